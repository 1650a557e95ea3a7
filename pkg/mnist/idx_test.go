package mnist

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// corruptCRC returns the gzip stream z with its CRC-32 trailer altered.
func corruptCRC(z []byte) []byte {
	c := bytes.Clone(z)
	c[len(c)-8] ^= 0xff
	return c
}

// corruptDeflate returns the gzip stream z with its first deflate block
// given the reserved block type 3.
func corruptDeflate(z []byte) []byte {
	c := bytes.Clone(z)
	c[10] |= 0x06 // BTYPE = 11
	return c
}

func TestReadImages(t *testing.T) {
	good := idxImages(3, Rows, Cols, pix)
	huge := bytes.Clone(good)
	huge[4], huge[5], huge[6], huge[7] = 0xff, 0xff, 0xff, 0xff // 4294967295 images
	for _, tc := range []struct {
		name string
		data []byte
		err  error  // nil: success
		msg  string // in the error message
	}{
		{name: "plain", data: good},
		{name: "gzip", data: gz(good)},
		{name: "empty set", data: idxImages(0, Rows, Cols, pix)},
		{name: "empty input", data: nil, err: ErrTruncated, msg: "header: 0 of 16 bytes"},
		{name: "label file", data: idxLabels(1, 2), err: ErrMagic, msg: "bad magic number 0x00000801 (a label file), want 0x00000803"},
		{name: "other magic", data: append([]byte{0, 0, 8, 1}, good[4:]...), err: ErrMagic, msg: "0x00000801"},
		{name: "idx2 magic", data: append([]byte{0, 0, 8, 2}, good[4:]...), err: ErrMagic, msg: "bad magic number 0x00000802, want"},
		{name: "rows", data: idxImages(1, 27, Cols, pix), err: ErrDims, msg: "wrong image dimensions 27x28, want 28x28"},
		{name: "cols", data: idxImages(1, Rows, 29, pix), err: ErrDims, msg: "28x29"},
		{name: "short header", data: good[:10], err: ErrTruncated, msg: "header: 10 of 16 bytes"},
		{name: "short payload", data: good[:16+Pixels+5], err: ErrTruncated, msg: "payload: 789 of 2352 bytes (1 of 3 images)"},
		{name: "huge count", data: huge, err: ErrTruncated, msg: "payload: 2352 of 3367254359280 bytes (3 of 4294967295 images)"},
		{name: "trailing", data: append(bytes.Clone(good), 0), err: ErrTrailing, msg: "trailing data after 3 images"},
		{name: "gzip short", data: gz(good)[:40], err: ErrTruncated},
		{name: "gzip no body", data: gz(good)[:10], err: ErrTruncated},
		{name: "gzip bad header", data: []byte{0x1f, 0x8b, 0, 0, 0, 0, 0, 0, 0, 0}, err: ErrCorrupt, msg: "gzip header"},
		{name: "gzip crc", data: corruptCRC(gz(good)), err: ErrCorrupt, msg: "after 3 images"},
		{name: "gzip deflate", data: corruptDeflate(gz(good)), err: ErrCorrupt},
		{name: "gzip trailing garbage", data: append(gz(good), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), err: ErrCorrupt, msg: "after 3 images: gzip: invalid header"},
		{name: "gzip trailing bytes", data: append(gz(good), 1, 2, 3), err: ErrTruncated, msg: "after 3 images"},
		{name: "gzip trailing data", data: gz(append(bytes.Clone(good), 1)), err: ErrTrailing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, r := range []io.Reader{bytes.NewReader(tc.data), iotest.HalfReader(bytes.NewReader(tc.data))} {
				got, err := ReadImages(r)
				if tc.err == nil {
					if err != nil {
						t.Fatal(err)
					}
					n := (len(tc.data) - 16) / Pixels
					if bytes.Equal(tc.data[:2], []byte{0x1f, 0x8b}) {
						n = 3
					}
					want := idxImages(n, Rows, Cols, pix)[16:]
					if !bytes.Equal(got, want) {
						t.Fatalf("pixels differ")
					}
					continue
				}
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				var fe *FileError
				if !errors.As(err, &fe) || fe.File != "image data" {
					t.Errorf("err = %#v, want a *FileError for \"image data\"", err)
				}
				if !strings.HasPrefix(err.Error(), "mnist: image data: ") || !strings.Contains(err.Error(), tc.msg) {
					t.Errorf("err = %q, want it to contain %q", err, tc.msg)
				}
				if got != nil {
					t.Errorf("got %d bytes with the error", len(got))
				}
			}
		})
	}
}

func TestReadLabels(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		err  error
		msg  string
	}{
		{name: "plain", data: idxLabels(0, 1, 9)},
		{name: "gzip", data: gz(idxLabels(0, 1, 9))},
		{name: "image file", data: idxImages(1, Rows, Cols, pix), err: ErrMagic, msg: "(an image file), want 0x00000801 (a label file)"},
		{name: "out of range", data: idxLabels(0, 1, 10, 3), err: ErrLabel, msg: "label out of range: label 10 at index 2, want 0..9"},
		{name: "255", data: gz(idxLabels(255)), err: ErrLabel, msg: "label 255 at index 0"},
		{name: "short magic", data: idxLabels(1)[:3], err: ErrTruncated, msg: "header: 3 of 8 bytes"},
		{name: "short header", data: idxLabels(1)[:7], err: ErrTruncated, msg: "header: 7 of 8 bytes"},
		{name: "short payload", data: idxLabels(1, 2, 3)[:10], err: ErrTruncated, msg: "payload: 2 of 3 bytes (2 of 3 labels)"},
		{name: "trailing", data: append(idxLabels(1, 2), 3), err: ErrTrailing, msg: "after 2 labels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadLabels(bytes.NewReader(tc.data))
			if tc.err == nil {
				if err != nil || !bytes.Equal(got, []uint8{0, 1, 9}) {
					t.Fatalf("got %v, %v; want [0 1 9]", got, err)
				}
				return
			}
			if !errors.Is(err, tc.err) || !strings.HasPrefix(err.Error(), "mnist: label data: ") || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v, want %v containing %q", err, tc.err, tc.msg)
			}
		})
	}
}

func TestReadNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x-idx1-ubyte")
	if err := os.WriteFile(path, idxLabels(1, 12), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = ReadLabels(f)
	if want := "mnist: " + path + ": label out of range: label 12 at index 1, want 0..9"; err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
}

func TestReadReaderError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(bytes.NewReader(idxImages(2, Rows, Cols, pix)[:100]), iotest.ErrReader(boom))
	if _, err := ReadImages(r); !errors.Is(err, boom) || !strings.Contains(err.Error(), "payload") {
		t.Fatalf("err = %v, want boom", err)
	}
}

func TestReadSet(t *testing.T) {
	s, err := ReadSet(bytes.NewReader(gz(idxImages(2, Rows, Cols, pix))), bytes.NewReader(idxLabels(4, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 || s.Labels[1] != 2 || s.Image(1)[3] != pix(1, 3) {
		t.Fatalf("wrong set: %d labels %v", s.Len(), s.Labels)
	}
	_, err = ReadSet(bytes.NewReader(idxImages(2, Rows, Cols, pix)), bytes.NewReader(idxLabels(4)))
	if want := "mnist: image data and label data: count mismatch: 2 images, 1 labels"; !errors.Is(err, ErrCount) || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	if _, err := ReadSet(bytes.NewReader(nil), bytes.NewReader(idxLabels(4))); !errors.Is(err, ErrTruncated) {
		t.Fatalf("err = %v, want ErrTruncated", err)
	}
	if _, err := ReadSet(bytes.NewReader(idxImages(1, Rows, Cols, pix)), bytes.NewReader(idxLabels(40))); !errors.Is(err, ErrLabel) {
		t.Fatalf("err = %v, want ErrLabel", err)
	}
}

// TestReadHugeCountAllocation checks that a header claiming billions of
// images does not make the reader allocate for them.
func TestReadHugeCountAllocation(t *testing.T) {
	data := idxImages(1, Rows, Cols, pix)
	data[4], data[5], data[6], data[7] = 0x7f, 0xff, 0xff, 0xff
	var err error
	allocs := testing.AllocsPerRun(1, func() { _, err = ReadImages(bytes.NewReader(data)) })
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("err = %v", err)
	}
	t.Logf("%v allocations", allocs)
}

func TestSet(t *testing.T) {
	s := &Set{Images: idxImages(4, Rows, Cols, pix)[16:], Labels: []uint8{3, 1, 4, 1}}
	if s.Len() != 4 {
		t.Fatalf("Len = %d", s.Len())
	}
	if im := s.Image(2); len(im) != Pixels || cap(im) != Pixels || im[0] != pix(2, 0) || im[Pixels-1] != pix(2, Pixels-1) {
		t.Fatalf("Image(2) wrong")
	}
	sub := s.Subset([]int{3, 0, 3})
	if !bytes.Equal(sub.Labels, []uint8{1, 3, 1}) || !bytes.Equal(sub.Image(1), s.Image(0)) || !bytes.Equal(sub.Image(2), s.Image(3)) {
		t.Fatalf("Subset wrong: %v", sub.Labels)
	}
	sub.Images[0] = 99
	if s.Images[3*Pixels] == 99 {
		t.Fatal("Subset shares memory")
	}
	d := s.Dense()
	if r, c := d.Dims(); r != 4 || c != Pixels {
		t.Fatalf("Dense dims %d x %d", r, c)
	}
	for i := range 4 {
		for j := range Pixels {
			if d.At(i, j) != float64(pix(i, j)) {
				t.Fatalf("Dense(%d,%d) = %v, want %v", i, j, d.At(i, j), pix(i, j))
			}
		}
	}
	if !(&Set{}).Dense().IsEmpty() {
		t.Fatal("Dense of an empty set is not empty")
	}
	if y := s.Ints(); len(y) != 4 || y[0] != 3 || y[2] != 4 {
		t.Fatalf("Ints = %v", y)
	}
	if c := s.Counts(); c != [Classes]int{1: 2, 3: 1, 4: 1} {
		t.Fatalf("Counts = %v", c)
	}
}

func TestSetPanics(t *testing.T) {
	s := &Set{Images: make([]uint8, 2*Pixels), Labels: []uint8{0, 11}}
	for name, f := range map[string]func(){
		"Image -1":   func() { s.Image(-1) },
		"Image 2":    func() { s.Image(2) },
		"Subset":     func() { s.Subset([]int{0, 2}) },
		"Counts":     func() { s.Counts() },
		"Locate src": func() { Locate(&Options{Source: 7}) },
	} {
		func() {
			defer func() {
				r := recover()
				if msg, ok := r.(string); !ok || !strings.HasPrefix(msg, "mnist: ") {
					t.Errorf("%s: recovered %v, want a mnist: panic", name, r)
				}
			}()
			f()
		}()
	}
}

func TestSourceString(t *testing.T) {
	for s, want := range map[Source]string{Auto: "auto", Dir: "directory", Module: "module cache", Download: "download", 9: "Source(9)"} {
		if s.String() != want {
			t.Errorf("%d: %q, want %q", int(s), s, want)
		}
	}
}
