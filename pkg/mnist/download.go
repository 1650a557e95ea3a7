package mnist

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// cacheDir returns o.CacheDir, else os.UserCacheDir()/softmax-mnist.
func cacheDir(o *Options) (string, error) {
	if o.CacheDir != "" {
		return o.CacheDir, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("mnist: %w: no cache directory: %v", ErrNotFound, err)
	}
	return filepath.Join(d, "softmax-mnist"), nil
}

func locateDownload(o *Options) (*Files, error) {
	dir, err := cacheDir(o)
	if err != nil {
		return nil, err
	}
	var missing []spec
	for _, sp := range files {
		if !cached(filepath.Join(dir, sp.name+".gz"), sp) {
			missing = append(missing, sp)
		}
	}
	if len(missing) > 0 {
		if o.Offline {
			return nil, &FileError{File: dir, Err: fmt.Errorf("%w: %d of 4 files not downloaded (offline)", ErrNotFound, len(missing))}
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, &FileError{File: dir, Err: err}
		}
		for _, sp := range missing {
			if err := fetch(o, dir, sp); err != nil {
				return nil, err
			}
		}
	}
	return find(dir, Download, ".gz")
}

// cached reports whether path holds the file sp.
func cached(path string, sp spec) bool {
	data, err := os.ReadFile(path)
	return err == nil && int64(len(data)) == sp.size && checkSum(data, sp) == nil
}

// fetch downloads sp into dir from the first mirror that has it. The error
// wraps ErrNotFound and the error of each mirror.
func fetch(o *Options, dir string, sp spec) error {
	mirrors := o.Mirrors
	if mirrors == nil {
		mirrors = DefaultMirrors
	}
	name := sp.name + ".gz"
	if len(mirrors) == 0 {
		return &FileError{File: name, Err: fmt.Errorf("%w: no mirrors", ErrNotFound)}
	}
	var errs []error
	for _, base := range mirrors {
		if !strings.HasSuffix(base, "/") {
			base += "/"
		}
		err := fetchFrom(o, base+name, dir, sp)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return &FileError{File: name, Err: fmt.Errorf("%w: every mirror failed: %w", ErrNotFound, errors.Join(errs...))}
}

// fetchFrom downloads url into dir/sp.name.gz: into a temporary file in dir
// that is removed on failure, checked, synced and renamed into place.
func fetchFrom(o *Options, url, dir string, sp spec) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout())
	defer cancel()
	defer func() {
		if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w (timeout %v)", context.DeadlineExceeded, o.timeout())
		}
		if err != nil {
			var se *StatusError
			if !errors.As(err, &se) {
				err = &FileError{File: url, Err: err}
			}
		}
	}()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	client := o.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &StatusError{URL: url, StatusCode: resp.StatusCode, Status: resp.Status}
	}

	tmp, err := os.CreateTemp(dir, "."+sp.name+".gz.*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	p := &progress{f: o.Progress, p: Progress{File: sp.name + ".gz", URL: url, Total: sp.size}}
	p.report()
	n, err := io.CopyBuffer(io.MultiWriter(tmp, h, p), io.LimitReader(resp.Body, sp.size+1), make([]byte, 64<<10))
	if err != nil {
		return err
	}
	if n != sp.size {
		return fmt.Errorf("%w: got %d bytes, want %d", ErrChecksum, n, sp.size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sp.sha256 {
		return fmt.Errorf("%w: sha256 %s, want %s", ErrChecksum, got, sp.sha256)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), filepath.Join(dir, sp.name+".gz")); err != nil {
		return err
	}
	// Make the rename durable; not every platform can sync a directory.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// progress is an io.Writer that counts bytes and reports them.
type progress struct {
	f func(Progress)
	p Progress
}

func (p *progress) Write(b []byte) (int, error) {
	p.p.Done += int64(len(b))
	p.report()
	return len(b), nil
}

func (p *progress) report() {
	if p.f != nil {
		p.f(p.p)
	}
}
