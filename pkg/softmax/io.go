package softmax

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// The model file format, version 1, little-endian:
//
//	magic    [8]byte  "SOFTMAX\x00"
//	version  uint32   1
//	K, d     uint32   classes, features
//	classes  K x int64
//	coef     K*d x float64 bits, row-major (Coef)
//	intercept K x float64 bits
//	niter    int64
//	flags    uint8    bit 0: Converged
//	settings C, L1Ratio, Tol, LearningRate, Momentum as float64 bits;
//	         Penalty, Solver, MaxIter, BatchSize, Threads as int64;
//	         Seed uint64; NoIntercept uint8
//	crc32    uint32   IEEE CRC of every byte before it
//
// Floats are stored as their IEEE 754 bits, so a round trip is exact.
// Save and Load accept only what Fit can produce: finite coefficients and
// intercepts, classes that are non-negative, distinct and sorted, a
// non-negative NIter and Settings that Validate accepts (a known solver and
// penalty, a supported combination, parameters in range).

const (
	fileMagic   = "SOFTMAX\x00"
	fileVersion = 1
	// maxFileDim bounds K and d when reading, against corrupt headers.
	maxFileDim = 1 << 24
)

// ErrFormat is wrapped by the errors of Load and LoadFile for input that is
// not a valid model file.
var ErrFormat = errors.New("invalid model file")

// MarshalBinary returns the model in the versioned binary format of Save.
// It returns an error for a model that Load would refuse (see the format).
func (m *Model) MarshalBinary() ([]byte, error) {
	if m.Coef == nil || m.Coef.IsEmpty() {
		return nil, errors.New("softmax: save model: no Coef")
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("softmax: save model: %w", err)
	}
	k, d := m.Coef.Dims()
	var b bytes.Buffer
	b.WriteString(fileMagic)
	le := binary.LittleEndian
	put32 := func(v uint32) { b.Write(le.AppendUint32(nil, v)) }
	put64 := func(v uint64) { b.Write(le.AppendUint64(nil, v)) }
	putF := func(v float64) { put64(math.Float64bits(v)) }
	put32(fileVersion)
	put32(uint32(k))
	put32(uint32(d))
	for _, c := range m.Classes {
		put64(uint64(int64(c)))
	}
	for i := 0; i < k; i++ {
		for j := 0; j < d; j++ {
			putF(m.Coef.At(i, j))
		}
	}
	for _, v := range m.Intercept {
		putF(v)
	}
	put64(uint64(int64(m.NIter)))
	var flags byte
	if m.Converged {
		flags |= 1
	}
	b.WriteByte(flags)
	s := &m.Settings
	for _, v := range []float64{s.C, s.L1Ratio, s.Tol, s.LearningRate, s.Momentum} {
		putF(v)
	}
	for _, v := range []int{int(s.Penalty), int(s.Solver), s.MaxIter, s.BatchSize, s.Threads} {
		put64(uint64(int64(v)))
	}
	put64(s.Seed)
	if s.NoIntercept {
		b.WriteByte(1)
	} else {
		b.WriteByte(0)
	}
	put32(crc32.ChecksumIEEE(b.Bytes()))
	return b.Bytes(), nil
}

// UnmarshalBinary sets m to the model encoded in data by MarshalBinary.
// It returns an error wrapping ErrFormat for data that is not a model, has
// another format version, is truncated, fails its checksum, or declares
// content that Fit cannot produce (a non-finite weight, unsorted or
// duplicate classes, an unknown solver or penalty, invalid settings); the
// error names the field.
func (m *Model) UnmarshalBinary(data []byte) error {
	return m.decode(data, "softmax: load model")
}

func (m *Model) decode(data []byte, prefix string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: %w: "+format, append([]any{prefix, ErrFormat}, args...)...)
	}
	if len(data) < len(fileMagic) || string(data[:len(fileMagic)]) != fileMagic {
		return bad("not a softmax model (bad magic)")
	}
	r := &reader{data: data, off: len(fileMagic)}
	version := r.u32()
	if r.short {
		return bad("truncated file")
	}
	if version != fileVersion {
		return bad("unsupported format version %d (this package reads version %d)", version, fileVersion)
	}
	k, d := int(r.u32()), int(r.u32())
	if r.short {
		return bad("truncated file")
	}
	if k <= 0 || d <= 0 || k > maxFileDim || d > maxFileDim {
		return bad("bad dimensions %d x %d", k, d)
	}
	// The size is known from the header: check it before allocating.
	want := len(fileMagic) + 12 + 8*k + 8*k*d + 8*k + 8 + 1 + 5*8 + 5*8 + 8 + 1 + 4
	if len(data) < want {
		return bad("truncated file (%d bytes, want %d)", len(data), want)
	}
	if len(data) > want {
		return bad("%d trailing bytes", len(data)-want)
	}
	if got, sum := crc32.ChecksumIEEE(data[:want-4]), binary.LittleEndian.Uint32(data[want-4:]); got != sum {
		return bad("checksum mismatch (corrupt file)")
	}
	var out Model
	out.Classes = make([]int, k)
	for i := range out.Classes {
		out.Classes[i] = int(int64(r.u64()))
	}
	coef := make([]float64, k*d)
	for i := range coef {
		coef[i] = r.f64()
	}
	out.Coef = mat.NewDense(k, d, coef)
	out.Intercept = make([]float64, k)
	for i := range out.Intercept {
		out.Intercept[i] = r.f64()
	}
	out.NIter = int(int64(r.u64()))
	flags := r.u8()
	out.Converged = flags&1 != 0
	s := &out.Settings
	s.C, s.L1Ratio, s.Tol, s.LearningRate, s.Momentum = r.f64(), r.f64(), r.f64(), r.f64(), r.f64()
	s.Penalty, s.Solver = Penalty(int64(r.u64())), Solver(int64(r.u64()))
	s.MaxIter, s.BatchSize, s.Threads = int(int64(r.u64())), int(int64(r.u64())), int(int64(r.u64()))
	s.Seed = r.u64()
	noIntercept := r.u8()
	s.NoIntercept = noIntercept != 0
	switch {
	case flags > 1:
		return bad("flags = %#x: only bit 0 (Converged) is defined", flags)
	case noIntercept > 1:
		return bad("NoIntercept = %d: want 0 or 1", noIntercept)
	}
	if err := out.check(); err != nil {
		return bad("%v", err)
	}
	*m = out
	return nil
}

// check returns an error naming the first field of m that Fit cannot
// produce; m.Coef must not be nil.
func (m *Model) check() error {
	k, d := m.Coef.Dims()
	if len(m.Intercept) != k || len(m.Classes) != k {
		return fmt.Errorf("%d classes, %d intercepts for %d coefficient rows", len(m.Classes), len(m.Intercept), k)
	}
	for i, c := range m.Classes {
		if c < 0 {
			return fmt.Errorf("Classes[%d] = %d: labels are non-negative", i, c)
		}
		if i > 0 && c <= m.Classes[i-1] {
			return fmt.Errorf("Classes[%d] = %d after %d: classes must be distinct and sorted", i, c, m.Classes[i-1])
		}
	}
	for i := 0; i < k; i++ {
		for j := 0; j < d; j++ {
			if v := m.Coef.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("Coef[%d][%d] = %v: weights must be finite", i, j, v)
			}
		}
		if v := m.Intercept[i]; math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("Intercept[%d] = %v: intercepts must be finite", i, v)
		}
	}
	if m.NIter < 0 {
		return fmt.Errorf("NIter = %d: must not be negative", m.NIter)
	}
	if err := m.Settings.Validate(); err != nil {
		return fmt.Errorf("Settings: %s", strings.TrimPrefix(err.Error(), "softmax: "))
	}
	return nil
}

type reader struct {
	data  []byte
	off   int
	short bool
}

func (r *reader) next(n int) []byte {
	if r.off+n > len(r.data) {
		r.short = true
		r.off = len(r.data)
		return make([]byte, n)
	}
	b := r.data[r.off : r.off+n]
	r.off += n
	return b
}

func (r *reader) u8() uint8    { return r.next(1)[0] }
func (r *reader) u32() uint32  { return binary.LittleEndian.Uint32(r.next(4)) }
func (r *reader) u64() uint64  { return binary.LittleEndian.Uint64(r.next(8)) }
func (r *reader) f64() float64 { return math.Float64frombits(r.u64()) }

// Save writes the model to w in a versioned binary format that stores every
// float64 by its bits, so that Load returns an identical model. The
// Progress hook of Settings is not saved.
func (m *Model) Save(w io.Writer) error {
	b, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Load reads a model written by Save. Errors for input that is not a valid
// model file wrap ErrFormat.
func Load(r io.Reader) (*Model, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("softmax: load model: %w", err)
	}
	var m Model
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return &m, nil
}

// SaveFile writes the model to the file path atomically: it writes a
// temporary file in the same directory, syncs it and renames it to path, so
// that path holds either the old content or the complete new model.
func (m *Model) SaveFile(path string) (err error) {
	b, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("softmax: save model: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(b); err != nil {
		return fmt.Errorf("softmax: save model %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("softmax: save model %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("softmax: save model %s: %w", path, err)
	}
	if err = os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("softmax: save model %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("softmax: save model %s: %w", path, err)
	}
	return nil
}

// LoadFile reads a model written by SaveFile or Save. Errors name the file;
// those for content that is not a valid model file wrap ErrFormat.
func LoadFile(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("softmax: load model: %w", err)
	}
	var m Model
	if err := m.decode(b, "softmax: load model "+path); err != nil {
		return nil, err
	}
	return &m, nil
}
