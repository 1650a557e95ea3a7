package cache

import (
	"encoding"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
)

// EnvDir is the environment variable that overrides the default directory.
const EnvDir = "SOFTMAX_MNIST_CACHE"

// suffix ends the file name of every entry.
const suffix = ".cache"

// DefaultDir returns the directory of a Store whose Dir is "": $SOFTMAX_MNIST_CACHE
// if it is set and not empty, else softmax-mnist/results in os.UserCacheDir.
// It returns os.UserCacheDir's error if there is no user cache directory.
func DefaultDir() (string, error) {
	if d := os.Getenv(EnvDir); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("cache: no user cache directory (set %s): %w", EnvDir, err)
	}
	return filepath.Join(d, "softmax-mnist", "results"), nil
}

// Clear removes the entries of the default Store (DefaultDir), as
// Store.Clear does.
func Clear() error { return (&Store{}).Clear() }

// A Key lists everything that determines a cached value, in a fixed order.
// Two Keys are equal when their parts are. A part's Name must not be empty
// or contain '=' or a line break, its Value must not contain a line break;
// Get panics otherwise.
type Key []Part

// A Part is one thing that determines a value, for example
// {"settings", "C=100000 Penalty=l2"} or {"code.softmax", "sha256:..."}.
type Part struct {
	Name, Value string
}

// Value is what a Store keeps: a value with a binary encoding.
type Value interface {
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
}

// Store is a directory of cached values. The zero Store is the default
// directory with problems reported to os.Stderr. A Store is safe for
// concurrent use, also by several processes.
type Store struct {
	// Dir is the directory of the entries; "" means DefaultDir(). It is
	// created when the first entry is stored.
	Dir string

	// Log receives one line for each entry that Get finds stale or corrupt
	// or cannot read or write. Nil means os.Stderr.
	Log io.Writer
}

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Get sets v to the value stored under name with key, and returns nil. If
// the store has no such entry, or the entry is stale (stored with another
// key) or corrupt, Get calls compute, which must set all of v, then stores
// v's encoding under name with key, replacing the old entry, and returns
// nil. A stale or corrupt entry, and a directory that cannot be read or
// written, are reported in one line to s.Log and are not errors.
//
// Get returns compute's error, in which case nothing is stored. Names are
// file names made of letters, digits, '.', '_' and '-', starting with a
// letter or a digit; Get panics on another name or an invalid key.
//
// A hit costs reading the file and v's UnmarshalBinary; the file is checked
// with a CRC-32 first.
func (s *Store) Get(name string, key Key, v Value, compute func() error) error {
	if !validName.MatchString(name) {
		panic(fmt.Sprintf("cache: invalid entry name %q", name))
	}
	keyText := key.encode()
	dir, err := s.dir()
	if err != nil {
		s.report("%v; computing %s without caching it", err, name)
		return compute()
	}
	path := filepath.Join(dir, name+suffix)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		problem := decode(data, keyText, v)
		if problem == "" {
			return nil
		}
		s.report("cache: %s is %s; computing it again", name, problem)
	case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
		s.report("cache: cannot read %s (%v); computing it again", name, err)
	}
	if err := compute(); err != nil {
		return err
	}
	payload, err := v.MarshalBinary()
	if err == nil {
		err = write(dir, name, encode(keyText, payload))
	}
	if err != nil {
		s.report("cache: cannot store %s: %v", name, err)
	}
	return nil
}

// Clear removes every entry of s, and the temporary files of entries being
// written, then s's directory if it is left empty. Other files in the
// directory are left alone. A directory that does not exist is already
// clear. Clear returns the errors of the removals.
func (s *Store) Clear() error {
	dir, err := s.dir()
	if err != nil {
		return err
	}
	list, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	var errs []error
	for _, e := range list {
		n := e.Name()
		entry := strings.HasSuffix(n, suffix) && validName.MatchString(strings.TrimSuffix(n, suffix))
		temp := strings.HasPrefix(n, ".") && strings.Contains(n, suffix+".tmp")
		if e.Type().IsRegular() && (entry || temp) {
			if err := os.Remove(filepath.Join(dir, n)); err != nil {
				errs = append(errs, fmt.Errorf("cache: %w", err))
			}
		}
	}
	os.Remove(dir) // only succeeds if nothing else is left
	return errors.Join(errs...)
}

func (s *Store) dir() (string, error) {
	if s.Dir != "" {
		return s.Dir, nil
	}
	return DefaultDir()
}

func (s *Store) report(format string, args ...any) {
	w := s.Log
	if w == nil {
		w = os.Stderr
	}
	fmt.Fprintf(w, format+"\n", args...)
}

// encode returns the key as text, one "name=value" line per part.
func (k Key) encode() string {
	var b strings.Builder
	for _, p := range k {
		if p.Name == "" || strings.ContainsAny(p.Name, "=\r\n") || strings.ContainsAny(p.Value, "\r\n") {
			panic(fmt.Sprintf("cache: invalid key part %q=%q", p.Name, p.Value))
		}
		b.WriteString(p.Name + "=" + p.Value + "\n")
	}
	return b.String()
}

// The entry format, little-endian:
//
//	magic    [8]byte "SMCACHE1"
//	keylen   uint32, then the key as text (Key.encode)
//	len      uint64, then the payload (the value's MarshalBinary)
//	crc32    uint32  IEEE CRC of every byte before it
const magic = "SMCACHE1"

// encode returns an entry holding key and payload.
func encode(key string, payload []byte) []byte {
	le := binary.LittleEndian
	b := make([]byte, 0, len(magic)+4+len(key)+8+len(payload)+4)
	b = append(b, magic...)
	b = le.AppendUint32(b, uint32(len(key)))
	b = append(b, key...)
	b = le.AppendUint64(b, uint64(len(payload)))
	b = append(b, payload...)
	return le.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// decode sets v from the entry data if it holds key. It returns "" on
// success, else what is wrong with the entry: "stale (... changed)" or
// "corrupt (...)".
func decode(data []byte, key string, v Value) string {
	le := binary.LittleEndian
	const head = len(magic) + 4
	if len(data) < head+8+4 || string(data[:len(magic)]) != magic {
		return "corrupt (not a cache entry)"
	}
	body, sum := data[:len(data)-4], le.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return "corrupt (checksum mismatch)"
	}
	klen := uint64(le.Uint32(data[len(magic):]))
	if klen > uint64(len(body)-head-8) {
		return "corrupt (bad key length)"
	}
	stored := string(body[head : head+int(klen)])
	rest := body[head+int(klen):]
	if plen := le.Uint64(rest); plen != uint64(len(rest)-8) {
		return "corrupt (bad length)"
	}
	if stored != key {
		return "stale (" + changed(stored, key) + ")"
	}
	if err := v.UnmarshalBinary(rest[8:]); err != nil {
		return fmt.Sprintf("corrupt (%v)", err)
	}
	return ""
}

// changed names the parts in which the encoded keys old and new differ.
func changed(old, new string) string {
	parts := func(s string) (names []string, values map[string]string) {
		values = make(map[string]string)
		for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
			name, value, _ := strings.Cut(line, "=")
			if _, dup := values[name]; !dup {
				names = append(names, name)
			}
			values[name] += value + "\n"
		}
		return names, values
	}
	oldNames, oldValues := parts(old)
	newNames, newValues := parts(new)
	var diff []string
	for _, n := range newNames {
		if v, ok := oldValues[n]; !ok || v != newValues[n] {
			diff = append(diff, n)
		}
	}
	for _, n := range oldNames {
		if _, ok := newValues[n]; !ok {
			diff = append(diff, n)
		}
	}
	if len(diff) == 0 {
		return "key order changed"
	}
	return strings.Join(diff, ", ") + " changed"
}

// write stores data as the entry name in dir atomically: a temporary file
// in dir renamed into place.
func write(dir, name string, data []byte) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+name+suffix+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, name+suffix))
}
