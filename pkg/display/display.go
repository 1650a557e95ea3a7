package display

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/janpfeifer/gonb/gonbui"
)

var (
	// Dir is the directory where figures are written outside a notebook.
	// If Dir is "", a new directory under os.TempDir() is created on first
	// use and kept for the life of the process.
	Dir string

	// Out receives the text output outside a notebook: the paths of written
	// figures, tables and progress lines. If Out is nil, os.Stdout is used.
	Out io.Writer
)

// IsNotebook reports whether the program runs under a GoNB kernel
// (gonbui.IsNotebook).
func IsNotebook() bool { return gonbui.IsNotebook }

// out returns Out or os.Stdout.
func out() io.Writer {
	if Out != nil {
		return Out
	}
	return os.Stdout
}

// Figure shows the figure f as Image does. It takes the two results of a
// pkg/plots figure function as they come, so that a notebook cell reads
//
//	err := display.Figure(plots.Weights(model.Coef, nil))
//
// If err is not nil, Figure shows nothing and returns err. Otherwise f is
// written into memory and shown. If f reports its encoding with a method
// Format() string, as *plots.Figure does, that encoding is used ("png" or
// "svg"; any other is an error); otherwise the format is recognised from the
// content, as Image does. Figure returns f's write error, an error for a nil
// f or a format it cannot show, and Image's errors.
func Figure(f io.WriterTo, err error) error {
	if err != nil {
		return err
	}
	if f == nil {
		return errors.New("display: nil figure")
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return err
	}
	kind := sniff(b.Bytes())
	if e, ok := f.(interface{ Format() string }); ok {
		kind = e.Format()
		if kind != "png" && kind != "svg" {
			return fmt.Errorf("display: cannot show a %q figure, want png or svg", kind)
		}
	}
	return show(b.Bytes(), kind)
}

// Image shows a PNG or SVG image given as its encoded bytes; the format is
// recognised from the content. In a notebook a PNG is shown with
// gonbui.DisplayPng and an SVG with gonbui.DisplaySvg (inline HTML). Outside
// a notebook the image is written to a new file figure-N.png or figure-N.svg
// in Dir and its path is printed to Out.
//
// Image returns an error if b is neither a PNG nor an SVG, if the file cannot
// be written, or if GoNB reports a communication error.
func Image(b []byte) error {
	return show(b, sniff(b))
}

// show shows b, encoded as kind ("png" or "svg", "" if unknown).
func show(b []byte, kind string) error {
	if kind == "" {
		return errors.New("display: image is neither PNG nor SVG")
	}
	if !gonbui.IsNotebook {
		path, err := writeFigure(b, kind)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out(), "display: figure written to %s\n", path)
		return err
	}
	if kind == "png" {
		gonbui.DisplayPng(b)
	} else {
		gonbui.DisplaySvg(svgBody(b))
	}
	return flush()
}

// flush waits until GoNB has the output sent so far (gonbui.Sync) and
// returns its communication error, if any.
func flush() error {
	gonbui.Sync()
	if err := gonbui.Error(); err != nil {
		return fmt.Errorf("display: %w", err)
	}
	return nil
}

// sniff returns "png", "svg" or "".
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.Contains(b[:min(len(b), 512)], []byte("<svg")):
		return "svg"
	}
	return ""
}

// svgBody returns the SVG b from its <svg element on, without the XML
// declaration and comments before it, which do not belong inside HTML.
func svgBody(b []byte) string {
	if i := bytes.Index(b, []byte("<svg")); i > 0 {
		b = b[i:]
	}
	return string(b)
}

var (
	dirMu   sync.Mutex
	tempDir string
	figures int
)

// writeFigure writes b to the next figure file of Dir.
func writeFigure(b []byte, ext string) (string, error) {
	dirMu.Lock()
	defer dirMu.Unlock()
	dir := Dir
	if dir == "" {
		if tempDir == "" {
			d, err := os.MkdirTemp("", "display-")
			if err != nil {
				return "", fmt.Errorf("display: %w", err)
			}
			tempDir = d
		}
		dir = tempDir
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("display: %w", err)
	}
	for {
		figures++
		path := filepath.Join(dir, fmt.Sprintf("figure-%d.%s", figures, ext))
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue // keep files from earlier runs
		}
		if err != nil {
			return "", fmt.Errorf("display: %w", err)
		}
		_, err = f.Write(b)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", fmt.Errorf("display: writing %s: %w", path, err)
		}
		return path, nil
	}
}
