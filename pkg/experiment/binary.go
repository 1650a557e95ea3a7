package experiment

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

// The split format, version 1, little-endian:
//
//	magic     [8]byte "SMSPLIT\x00"
//	version   uint32  1
//	ntrain, ntest, nall, pixels uint32
//	train     ntrain*pixels uint8 images, then ntrain uint8 labels
//	test      ntest*pixels uint8 images, then ntest uint8 labels
//	rows      ntrain + ntest uint32 (TrainRows, TestRows), nall uint32 (Permutation)
//	scaler    NSamples uint64, then Mean, Var, Scale: pixels float64 bits each
//
// It has no checksum of its own: pkg/cache stores it with one.
const (
	splitMagic   = "SMSPLIT\x00"
	splitVersion = 1
)

// ErrFormat is wrapped by the errors of UnmarshalBinary for data that is
// not an encoded Split.
var ErrFormat = errors.New("invalid split encoding")

// MarshalBinary encodes the split (its images, labels, rows, permutation and
// scaler) in a versioned binary format, about 47 MB for the default sizes.
// Floats are stored by their bits, so UnmarshalBinary restores an identical
// Split. It returns an error if the images are not mnist.Pixels wide, or the
// rows or the scaler do not match the sets.
func (sp *Split) MarshalBinary() ([]byte, error) {
	ntrain, ntest := sp.Train.Len(), sp.Test.Len()
	sc := &sp.Scaler
	switch {
	case len(sp.Train.Images) != ntrain*mnist.Pixels || len(sp.Test.Images) != ntest*mnist.Pixels:
		return nil, errors.New("experiment: encode split: images are not mnist.Pixels wide")
	case len(sp.TrainRows) != ntrain || len(sp.TestRows) != ntest:
		return nil, fmt.Errorf("experiment: encode split: %d and %d rows for %d and %d images", len(sp.TrainRows), len(sp.TestRows), ntrain, ntest)
	case len(sc.Mean) != mnist.Pixels || len(sc.Var) != mnist.Pixels || len(sc.Scale) != mnist.Pixels:
		return nil, errors.New("experiment: encode split: the scaler is not fitted on mnist.Pixels features")
	}
	le := binary.LittleEndian
	b := make([]byte, 0, splitSize(ntrain, ntest, len(sp.Permutation)))
	b = append(b, splitMagic...)
	for _, v := range []int{splitVersion, ntrain, ntest, len(sp.Permutation), mnist.Pixels} {
		b = le.AppendUint32(b, uint32(v))
	}
	b = append(append(b, sp.Train.Images...), sp.Train.Labels...)
	b = append(append(b, sp.Test.Images...), sp.Test.Labels...)
	for _, rows := range [][]int{sp.TrainRows, sp.TestRows, sp.Permutation} {
		for _, r := range rows {
			b = le.AppendUint32(b, uint32(r))
		}
	}
	b = le.AppendUint64(b, uint64(sc.NSamples))
	for _, v := range [][]float64{sc.Mean, sc.Var, sc.Scale} {
		for _, x := range v {
			b = le.AppendUint64(b, math.Float64bits(x))
		}
	}
	return b, nil
}

// splitSize is the length of an encoded split.
func splitSize(ntrain, ntest, nall int) int {
	return len(splitMagic) + 5*4 + (ntrain+ntest)*(mnist.Pixels+1) + 4*(ntrain+ntest+nall) + 8 + 3*8*mnist.Pixels
}

// UnmarshalBinary sets sp to the split encoded in data by MarshalBinary; it
// copies what it keeps. It returns an error wrapping ErrFormat, and leaves sp
// unchanged, for data of another format or version, a wrong length, a label
// outside 0..9 or a row outside the permutation.
func (sp *Split) UnmarshalBinary(data []byte) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("experiment: decode split: %w: "+format, append([]any{ErrFormat}, args...)...)
	}
	le := binary.LittleEndian
	const head = len(splitMagic) + 5*4
	if len(data) < head || string(data[:len(splitMagic)]) != splitMagic {
		return bad("not an encoded split")
	}
	var h [5]int
	for i := range h {
		h[i] = int(le.Uint32(data[len(splitMagic)+4*i:]))
	}
	version, ntrain, ntest, nall, pixels := h[0], h[1], h[2], h[3], h[4]
	if version != splitVersion {
		return bad("version %d, want %d", version, splitVersion)
	}
	const most = 1 << 24
	if pixels != mnist.Pixels || ntrain > most || ntest > most || nall > most {
		return bad("sizes %d, %d, %d of %d pixels", ntrain, ntest, nall, pixels)
	}
	if want := splitSize(ntrain, ntest, nall); len(data) != want {
		return bad("%d bytes, want %d", len(data), want)
	}
	r := data[head:]
	next := func(n int) []byte { b := r[:n:n]; r = r[n:]; return b }
	set := func(n int) *mnist.Set {
		return &mnist.Set{Images: append([]uint8(nil), next(n*pixels)...), Labels: append([]uint8(nil), next(n)...)}
	}
	ints := func(n int) []int {
		v := make([]int, n)
		for i := range v {
			v[i] = int(le.Uint32(next(4)))
		}
		return v
	}
	out := Split{Train: set(ntrain), Test: set(ntest), TrainRows: ints(ntrain), TestRows: ints(ntest), Permutation: ints(nall)}
	out.Scaler.NSamples = int(le.Uint64(next(8)))
	for _, v := range []*[]float64{&out.Scaler.Mean, &out.Scaler.Var, &out.Scaler.Scale} {
		*v = make([]float64, pixels)
		for j := range *v {
			(*v)[j] = math.Float64frombits(le.Uint64(next(8)))
		}
	}
	for _, l := range [][]uint8{out.Train.Labels, out.Test.Labels} {
		for _, y := range l {
			if y >= mnist.Classes {
				return bad("label %d", y)
			}
		}
	}
	for _, rows := range [][]int{out.TrainRows, out.TestRows, out.Permutation} {
		for _, row := range rows {
			if row >= nall {
				return bad("row %d of %d", row, nall)
			}
		}
	}
	*sp = out
	return nil
}
