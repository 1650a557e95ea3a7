package mnist

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// IDX magic numbers: two zero bytes, the element type (0x08, unsigned
// byte) and the number of dimensions.
const (
	imageMagic = 0x00000803
	labelMagic = 0x00000801
)

// initialChunk is the most ReadImages and ReadLabels allocate before the
// payload has arrived: a header cannot make them allocate more than the
// data it is followed by (plus this much).
const initialChunk = 1 << 20

// kind describes one of the two IDX file kinds MNIST uses.
type kind struct {
	magic   uint32
	header  int    // header length in bytes
	item    int    // bytes per item
	what    string // "image" or "label"
	article string // "an image file" or "a label file"
}

var (
	imageKind = kind{magic: imageMagic, header: 16, item: Pixels, what: "image", article: "an image file"}
	labelKind = kind{magic: labelMagic, header: 8, item: 1, what: "label", article: "a label file"}
)

// ReadImages reads an IDX image file (magic 0x00000803, then the count n and
// the dimensions 28 and 28, big-endian uint32, then n*784 pixel bytes) from
// r, gzip-compressed or not (detected by the gzip magic bytes 0x1f 0x8b).
// It returns the n*784 pixels, image after image, each row-major.
//
// The data must end after the last image. Errors are *FileError values naming
// r (by its Name method if it has one, as *os.File does, else "image data")
// and wrapping ErrMagic, ErrDims, ErrTruncated, ErrTrailing or ErrCorrupt,
// or the reader's own error. No hash is checked: see Load for that.
func ReadImages(r io.Reader) ([]uint8, error) {
	name := nameOf(r, "image data")
	pix, err := decode(r, imageKind, -1, nil)
	return pix, fileErr(name, err)
}

// ReadLabels reads an IDX label file (magic 0x00000801, then the count n,
// big-endian uint32, then n label bytes) from r, gzip-compressed or not.
// Errors are as for ReadImages, and ErrLabel for a label outside 0..9;
// they name r by its Name method if it has one, else "label data".
func ReadLabels(r io.Reader) ([]uint8, error) {
	name := nameOf(r, "label data")
	lab, err := decode(r, labelKind, -1, nil)
	return lab, fileErr(name, err)
}

// ReadSet reads an image file and a label file with ReadImages and ReadLabels
// and returns them as a Set. Besides their errors it returns an error
// wrapping ErrCount if the two files count different numbers of items.
func ReadSet(images, labels io.Reader) (*Set, error) {
	pix, err := ReadImages(images)
	if err != nil {
		return nil, err
	}
	lab, err := ReadLabels(labels)
	if err != nil {
		return nil, err
	}
	if n := len(pix) / Pixels; n != len(lab) {
		return nil, &FileError{
			File: nameOf(images, "image data") + " and " + nameOf(labels, "label data"),
			Err:  fmt.Errorf("%w: %d images, %d labels", ErrCount, n, len(lab)),
		}
	}
	return &Set{Images: pix, Labels: lab}, nil
}

// nameOf returns r.Name() if r has such a method, else def.
func nameOf(r io.Reader, def string) string {
	if n, ok := r.(interface{ Name() string }); ok {
		return n.Name()
	}
	return def
}

// decode reads an IDX file of kind k from r. If want >= 0 the header must
// count want items. If dst is not nil, the payload is read into it and
// len(dst) must be want*k.item; otherwise the result is allocated as the
// data arrives. The error does not name the file: callers wrap it.
func decode(r io.Reader, k kind, want int, dst []uint8) ([]uint8, error) {
	src, err := uncompressed(r)
	if err != nil {
		return nil, err
	}
	// The magic number first, so that a short file of the other kind
	// gets the clearer error.
	var hdr [16]byte
	if m, err := io.ReadFull(src, hdr[:4]); err != nil {
		return nil, streamErr(err, fmt.Sprintf("header: %d of %d bytes", m, k.header))
	}
	if magic := binary.BigEndian.Uint32(hdr[0:]); magic != k.magic {
		hint := ""
		switch magic {
		case imageMagic:
			hint = " (an image file)"
		case labelMagic:
			hint = " (a label file)"
		}
		return nil, fmt.Errorf("%w 0x%08x%s, want 0x%08x (%s)", ErrMagic, magic, hint, k.magic, k.article)
	}
	if m, err := io.ReadFull(src, hdr[4:k.header]); err != nil {
		return nil, streamErr(err, fmt.Sprintf("header: %d of %d bytes", 4+m, k.header))
	}
	n := binary.BigEndian.Uint32(hdr[4:])
	if k.magic == imageMagic {
		rows, cols := binary.BigEndian.Uint32(hdr[8:]), binary.BigEndian.Uint32(hdr[12:])
		if rows != Rows || cols != Cols {
			return nil, fmt.Errorf("%w %dx%d, want %dx%d", ErrDims, rows, cols, Rows, Cols)
		}
	}
	if want >= 0 && uint64(n) != uint64(want) {
		return nil, fmt.Errorf("%w: header counts %d %ss, want %d", ErrCount, n, k.what, want)
	}
	if uint64(n) > uint64(math.MaxInt/k.item) {
		return nil, fmt.Errorf("%w: header counts %d %ss, too many for this platform", ErrCount, n, k.what)
	}
	size := int(n) * k.item

	var buf []uint8
	if dst != nil {
		if len(dst) != size {
			panic("mnist: internal error: destination length does not match the count")
		}
		if m, err := io.ReadFull(src, dst); err != nil {
			return nil, payloadErr(err, k, m, size)
		}
		buf = dst
	} else {
		buf = make([]uint8, 0, min(size, initialChunk))
		for len(buf) < size {
			if len(buf) == cap(buf) {
				buf = slices.Grow(buf, min(cap(buf), size-len(buf)))
			}
			m, err := io.ReadFull(src, buf[len(buf):min(cap(buf), size)])
			buf = buf[:len(buf)+m]
			if err != nil {
				return nil, payloadErr(err, k, len(buf), size)
			}
		}
	}

	// Reading to the end checks the gzip CRC-32 and length, and finds
	// data after the last item.
	var extra [1]byte
	switch m, err := io.ReadFull(src, extra[:]); {
	case m > 0:
		return nil, fmt.Errorf("%w after %d %ss", ErrTrailing, n, k.what)
	case err != io.EOF:
		return nil, streamErr(err, fmt.Sprintf("after %d %ss", n, k.what))
	}

	if k.magic == labelMagic {
		for i, l := range buf {
			if l >= Classes {
				return nil, fmt.Errorf("%w: label %d at index %d, want 0..%d", ErrLabel, l, i, Classes-1)
			}
		}
	}
	return buf, nil
}

// uncompressed returns a reader of the uncompressed content of r: r itself
// (buffered) if it does not start with the gzip magic bytes, else a gzip
// reader over it.
func uncompressed(r io.Reader) (io.Reader, error) {
	var head [2]byte
	var br interface {
		io.Reader
		io.ByteReader
	}
	switch rr := r.(type) {
	case *bytes.Reader:
		// Peek without copying the data into a buffer.
		rr.ReadAt(head[:], rr.Size()-int64(rr.Len()))
		br = rr
	default:
		b := bufio.NewReaderSize(r, 64<<10)
		p, _ := b.Peek(2)
		copy(head[:], p)
		br = b
	}
	if head != [2]byte{0x1f, 0x8b} {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, streamErr(err, "gzip header")
	}
	return zr, nil
}

// payloadErr describes a failed read of the payload after got of size bytes.
func payloadErr(err error, k kind, got, size int) error {
	return streamErr(err, fmt.Sprintf("payload: %d of %d bytes (%d of %d %ss)",
		got, size, got/k.item, size/k.item, k.what))
}

// streamErr maps the errors of reading a (possibly gzip) stream to the
// sentinel errors, with where added to the message.
func streamErr(err error, where string) error {
	var corrupt flate.CorruptInputError
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return fmt.Errorf("%w: %s", ErrTruncated, where)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader), errors.As(err, &corrupt):
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, where, err)
	}
	return fmt.Errorf("%s: %w", where, err)
}
