package display

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/plots"
)

// encoded is a figure that reports its encoding.
type encoded struct {
	format string
	data   string
}

func (e encoded) WriteTo(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, e.data)
	return int64(n), err
}

func (e encoded) Format() string { return e.format }

type failingFigure struct{}

func (failingFigure) WriteTo(io.Writer) (int64, error) { return 0, errors.New("disk full") }

// TestFigurePlots shows real pkg/plots figures, passed as the pair the
// figure function returns, and checks the files hold their bytes.
func TestFigurePlots(t *testing.T) {
	dir, _ := outside(t)
	coef := mat.NewDense(2, 784, nil)
	coef.Set(1, 300, 1)
	for _, format := range []string{"png", "svg"} {
		f, err := plots.Weights(coef, &plots.Settings{Format: format})
		if err != nil {
			t.Fatal(err)
		}
		if err := Figure(f, nil); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "figure-*."+format))
		if len(files) != 1 {
			t.Fatalf("%s: files %v, want one", format, files)
		}
		got, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if _, err := f.WriteTo(&want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s: file holds %d bytes, want the figure's %d", format, len(got), want.Len())
		}
	}
	// The one-liner of the notebooks, with the error of a bad figure.
	err := Figure(plots.Weights(mat.NewDense(2, 100, nil), nil))
	if err == nil || !strings.HasPrefix(err.Error(), "plots: coef has 100 columns") {
		t.Errorf("bad coef: error %v, want the plots error", err)
	}
}

// TestFigureFormat checks that a figure's own encoding decides how it is
// shown, before the content is sniffed.
func TestFigureFormat(t *testing.T) {
	dir, _ := outside(t)
	// An SVG whose <svg element comes after the 512 bytes that sniff reads.
	late := "<?xml version=\"1.0\"?>\n<!-- " + strings.Repeat("x", 600) + " -->\n" + svgDoc[strings.Index(svgDoc, "<svg"):]
	if sniff([]byte(late)) != "" {
		t.Fatal("the test SVG is recognised by sniff; make its prolog longer")
	}
	if err := Figure(encoded{"svg", late}, nil); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "figure-*.svg")); len(files) != 1 {
		t.Errorf("files %v, want one SVG", files)
	}

	pdf, err := plots.Weights(mat.NewDense(1, 784, nil), &plots.Settings{Format: "pdf"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		f    io.WriterTo
		want string
	}{
		{"pdf", pdf, `cannot show a "pdf" figure`},
		{"png bytes said to be jpg", encoded{"jpg", "\x89PNG\r\n\x1a\n"}, `cannot show a "jpg" figure`},
		{"nil", nil, "nil figure"},
		{"nil *plots.Figure", (*plots.Figure)(nil), "nil *Figure"},
		{"write error", failingFigure{}, "disk full"},
	} {
		if err := Figure(tc.f, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 1 {
		t.Errorf("failed figures left files: %v", files)
	}
}
