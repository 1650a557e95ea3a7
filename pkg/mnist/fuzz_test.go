package mnist

import (
	"bytes"
	"errors"
	"testing"
)

// sentinels are the errors every failure to read from a bytes.Reader must
// wrap: such a reader has no I/O errors of its own.
var sentinels = []error{ErrMagic, ErrDims, ErrTruncated, ErrTrailing, ErrCorrupt, ErrCount, ErrLabel}

// checkFuzzResult checks the invariants of a ReadImages or ReadLabels call
// on data with items of size item and header length hdr.
func checkFuzzResult(t *testing.T, data []byte, got []uint8, err error, item, hdr int) {
	if err != nil {
		if got != nil {
			t.Fatalf("data and error: %v", err)
		}
		for _, s := range sentinels {
			if errors.Is(err, s) {
				return
			}
		}
		t.Fatalf("error wraps no sentinel: %v", err)
	}
	if len(got)%item != 0 {
		t.Fatalf("%d bytes, not a whole number of items", len(got))
	}
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		return // compressed: the payload is not in data
	}
	// Uncompressed: the result is the data after the header, all of it.
	if len(data) != hdr+len(got) || !bytes.Equal(got, data[hdr:]) {
		t.Fatalf("result is not the payload: %d bytes of %d", len(got), len(data))
	}
	if n := int(data[4])<<24 | int(data[5])<<16 | int(data[6])<<8 | int(data[7]); n != len(got)/item {
		t.Fatalf("%d items, header counts %d", len(got)/item, n)
	}
}

func FuzzReadImages(f *testing.F) {
	good := idxImages(2, Rows, Cols, pix)
	for _, b := range [][]byte{
		good,
		gz(good),
		idxImages(0, Rows, Cols, pix),
		good[:20],
		append(bytes.Clone(good), 1),
		idxImages(1, 27, 28, pix),
		idxLabels(1, 2, 3),
		corruptCRC(gz(good)),
		corruptDeflate(gz(good)),
		gz(good)[:30],
		{0x1f, 0x8b},
		{0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3},
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadImages(bytes.NewReader(data))
		checkFuzzResult(t, data, got, err, Pixels, 16)
	})
}

func FuzzReadLabels(f *testing.F) {
	for _, b := range [][]byte{
		idxLabels(0, 1, 9),
		gz(idxLabels(5, 0, 4)),
		idxLabels(),
		idxLabels(10),
		idxLabels(1, 2)[:9],
		append(idxLabels(1), 1),
		idxImages(1, Rows, Cols, pix),
		corruptCRC(gz(idxLabels(1, 2, 3))),
		{0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff, 1},
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadLabels(bytes.NewReader(data))
		checkFuzzResult(t, data, got, err, 1, 8)
		for _, l := range got {
			if l >= Classes {
				t.Fatalf("label %d returned", l)
			}
		}
	})
}
