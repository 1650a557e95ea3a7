package plots

import (
	"errors"
	"io"
)

// Figure is a drawn figure, encoded in the format its Settings asked for.
// Every figure function of the package returns one. A Figure implements
// io.WriterTo, so the caller decides where it goes: a file, an HTTP
// response, a notebook cell (pkg/display's Figure).
//
// A Figure holds the encoded bytes (tens of kilobytes for the default PNG
// figures), so it can be written any number of times and each write gives
// the same bytes. The zero Figure is not valid; Figures are made by the
// figure functions.
type Figure struct {
	format string
	data   []byte
}

// errNilWriter is returned by WriteTo given a nil io.Writer.
var errNilWriter = errors.New("plots: nil io.Writer")

// WriteTo writes the encoded figure to w. It returns the number of bytes
// written and w's error; it returns an error without writing if w or f is
// nil.
func (f *Figure) WriteTo(w io.Writer) (int64, error) {
	switch {
	case f == nil:
		return 0, errors.New("plots: nil *Figure")
	case w == nil:
		return 0, errNilWriter
	}
	n, err := w.Write(f.data)
	return int64(n), err
}

// Format returns the figure's encoding, Settings.Format in lower case with
// the aliases resolved: "png" (the default), "svg", "pdf", "jpg" or "tif".
// It returns "" for a nil Figure.
func (f *Figure) Format() string {
	if f == nil {
		return ""
	}
	return f.format
}
