package mnist

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// idxImages returns an IDX image file of n rows x cols images whose pixel
// j of image i is pixel(i, j).
func idxImages(n, rows, cols int, pixel func(i, j int) uint8) []byte {
	b := binary.BigEndian.AppendUint32(nil, imageMagic)
	b = binary.BigEndian.AppendUint32(b, uint32(n))
	b = binary.BigEndian.AppendUint32(b, uint32(rows))
	b = binary.BigEndian.AppendUint32(b, uint32(cols))
	for i := range n {
		for j := range rows * cols {
			b = append(b, pixel(i, j))
		}
	}
	return b
}

// idxLabels returns an IDX label file of the labels.
func idxLabels(labels ...uint8) []byte {
	b := binary.BigEndian.AppendUint32(nil, labelMagic)
	b = binary.BigEndian.AppendUint32(b, uint32(len(labels)))
	return append(b, labels...)
}

// gz returns b gzip-compressed.
func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// pix is the pixel function of the synthetic sets: distinct per image.
func pix(i, j int) uint8 { return uint8(7*i + j) }

// Synthetic MNIST: 3 training and 2 test images.
var (
	synTrainLabels = []uint8{5, 0, 9}
	synTestLabels  = []uint8{7, 2}
)

// synthetic holds the plain and gzipped synthetic files by canonical name.
type synthetic struct {
	plain, gz map[string][]byte
}

// useSynthetic replaces the table of canonical files by small synthetic ones
// for the duration of the test and returns them. Tests that call it must not
// run in parallel.
func useSynthetic(t testing.TB) synthetic {
	t.Helper()
	s := synthetic{plain: map[string][]byte{}, gz: map[string][]byte{}}
	saved := files
	t.Cleanup(func() { files = saved })
	data := [4][]byte{
		iTrainImages: idxImages(len(synTrainLabels), Rows, Cols, pix),
		iTrainLabels: idxLabels(synTrainLabels...),
		iTestImages:  idxImages(len(synTestLabels), Rows, Cols, func(i, j int) uint8 { return pix(i+len(synTrainLabels), j) }),
		iTestLabels:  idxLabels(synTestLabels...),
	}
	counts := [4]int{len(synTrainLabels), len(synTrainLabels), len(synTestLabels), len(synTestLabels)}
	for i := range files {
		z := gz(data[i])
		sum := sha256.Sum256(z)
		files[i] = spec{name: saved[i].name, sha256: hex.EncodeToString(sum[:]), size: int64(len(z)), count: counts[i], images: saved[i].images}
		s.plain[saved[i].name] = data[i]
		s.gz[saved[i].name+".gz"] = z
	}
	return s
}

// write writes the files of m (name -> content) into dir.
func write(t testing.TB, dir string, m map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range m {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkSynthetic checks that s is the synthetic set, training images first.
func checkSynthetic(t *testing.T, s *Set) {
	t.Helper()
	want := append(append([]uint8{}, synTrainLabels...), synTestLabels...)
	if !bytes.Equal(s.Labels, want) {
		t.Fatalf("labels = %v, want %v", s.Labels, want)
	}
	if len(s.Images) != len(want)*Pixels {
		t.Fatalf("len(Images) = %d, want %d", len(s.Images), len(want)*Pixels)
	}
	for i := range want {
		for j, p := range s.Image(i) {
			if p != pix(i, j) {
				t.Fatalf("image %d pixel %d = %d, want %d", i, j, p, pix(i, j))
			}
		}
	}
}

// dirEntries returns the names in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
