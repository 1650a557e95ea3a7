package mnist

import (
	"errors"
	"fmt"
)

// Sentinel errors. The errors about data and about finding it that this
// package returns wrap one of these, so callers can branch with errors.Is;
// the message of the wrapping error names the file and gives the details.
// (Operating-system errors, such as a permission denied, are returned
// wrapped in a *FileError as they are.)
var (
	// ErrMagic is a bad magic number in an IDX header: not an image
	// file where one is expected, or not a label file.
	ErrMagic = errors.New("bad magic number")
	// ErrDims is an image file whose images are not Rows x Cols.
	ErrDims = errors.New("wrong image dimensions")
	// ErrTruncated is a file that ends before its header or its payload
	// is complete.
	ErrTruncated = errors.New("truncated data")
	// ErrTrailing is a file with data after the items its header counts.
	ErrTrailing = errors.New("trailing data")
	// ErrCorrupt is a gzip stream that cannot be decompressed (bad header,
	// bad deflate data or bad gzip checksum).
	ErrCorrupt = errors.New("corrupt gzip stream")
	// ErrCount is an item count that does not match: images and labels of
	// one split disagree, or a file does not have its canonical count, or
	// a header counts more items than the platform can address.
	ErrCount = errors.New("count mismatch")
	// ErrLabel is a label outside 0..Classes-1.
	ErrLabel = errors.New("label out of range")
	// ErrChecksum is a gzip file whose SHA-256 or size is not the
	// canonical one.
	ErrChecksum = errors.New("checksum mismatch")
	// ErrNotFound means that the files were not found (in a directory, in
	// the module cache) or could not be fetched from any source.
	ErrNotFound = errors.New("mnist files not found")
)

// FileError is an error about one file: File is its path (or its name, or
// its URL), Err the problem, which wraps one of the sentinel errors above
// or an I/O error.
type FileError struct {
	File string
	Err  error
}

func (e *FileError) Error() string { return "mnist: " + e.File + ": " + e.Err.Error() }

// Unwrap returns e.Err.
func (e *FileError) Unwrap() error { return e.Err }

// StatusError is an HTTP response from a mirror with a status other than
// 200 OK.
type StatusError struct {
	URL        string
	StatusCode int
	Status     string // as in http.Response, e.g. "404 Not Found"
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("mnist: %s: HTTP status %s", e.URL, e.Status)
}

// fileErr wraps err (if not nil) in a *FileError for file.
func fileErr(file string, err error) error {
	if err == nil {
		return nil
	}
	return &FileError{File: file, Err: err}
}
