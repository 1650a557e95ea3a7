package plots

import (
	"bytes"
	"errors"
	"image"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// TestBadInput checks that bad input gives an error naming the parameter
// and no figure.
func TestBadInput(t *testing.T) {
	pix := make([]uint8, Side*Side)
	nan := mat.NewDense(10, Side*Side, nil)
	nan.Set(2, 17, math.NaN())
	inf := mat.NewDense(10, Side*Side, nil)
	inf.Set(9, 783, math.Inf(-1))
	badVals := make([]float64, Side*Side)
	badVals[5] = math.Inf(1)
	pts := []LearningPoint{{Size: 100, Test: []float64{0.8}}, {Size: 1000, Test: []float64{0.9}}}
	path := []PathPoint{{C: 0.1, Accuracy: 0.8, Sparsity: 50}}
	loss := []float64{1, 0.5}

	for _, tc := range []struct {
		name string
		fn   func() (*Figure, error)
		want string // a substring of the error
	}{
		{"weights nil", func() (*Figure, error) { return Weights(nil, nil) }, "coef is nil"},
		{"weights no rows", func() (*Figure, error) { return Weights(&mat.Dense{}, nil) }, "coef has no rows"},
		{"weights 783 columns", func() (*Figure, error) { return Weights(mat.NewDense(10, 783, nil), nil) }, "coef has 783 columns, want 784"},
		{"weights NaN", func() (*Figure, error) { return Weights(nan, nil) }, "coef[2][17] is NaN"},
		{"weights -Inf", func() (*Figure, error) { return Weights(inf, nil) }, "coef[9][783] is -Inf"},

		{"digits empty", func() (*Figure, error) { return Digits(nil, nil) }, "digits is empty"},
		{"digits short", func() (*Figure, error) { return Digits([]Digit{{Pixels: pix}, {Pixels: pix[:700]}}, nil) }, "digits[1]: Pixels has 700 values, want 784"},
		{"digits long values", func() (*Figure, error) { return Digits([]Digit{{Values: make([]float64, 785)}}, nil) }, "digits[0]: Values has 785 values"},
		{"digits both", func() (*Figure, error) { return Digits([]Digit{{Pixels: pix, Values: badVals}}, nil) }, "digits[0]: both Pixels and Values"},
		{"digits neither", func() (*Figure, error) { return Digits([]Digit{{Caption: "x"}}, nil) }, "digits[0]: neither Pixels nor Values"},
		{"digits Inf", func() (*Figure, error) { return Digits([]Digit{{Values: badVals}}, nil) }, "digits[0]: Values[5] is +Inf"},

		{"confusion empty", func() (*Figure, error) { return ConfusionMatrix(nil, nil) }, "counts is empty"},
		{"confusion ragged", func() (*Figure, error) { return ConfusionMatrix([][]int{{1, 2}, {3}}, nil) }, "counts[1] has 1 entries, want 2"},
		{"confusion not square", func() (*Figure, error) { return ConfusionMatrix([][]int{{1, 2, 3}, {3, 4, 5}}, nil) }, "counts[0] has 3 entries, want 2"},
		{"confusion negative", func() (*Figure, error) { return ConfusionMatrix([][]int{{1, -2}, {3, 4}}, nil) }, "counts[0][1] is -2"},

		{"learning empty", func() (*Figure, error) { return LearningCurve(nil, nil) }, "pts is empty"},
		{"learning size 0", func() (*Figure, error) { return LearningCurve([]LearningPoint{{Size: 0, Test: []float64{1}}}, nil) }, "Size 0, want > 0"},
		{"learning repeated size", func() (*Figure, error) { return LearningCurve(append(pts, pts[0]), nil) }, "Size 100 twice"},
		{"learning no test", func() (*Figure, error) { return LearningCurve([]LearningPoint{{Size: 5}}, nil) }, "Size 5 has no Test"},
		{"learning NaN", func() (*Figure, error) {
			return LearningCurve([]LearningPoint{{Size: 5, Test: []float64{0.5, math.NaN()}}}, nil)
		}, "accuracy[1] is NaN"},
		{"learning > 1", func() (*Figure, error) {
			return LearningCurve([]LearningPoint{{Size: 5, Test: []float64{1.5}}}, nil)
		}, "accuracy[0] is 1.5"},
		{"learning mixed train", func() (*Figure, error) {
			return LearningCurve([]LearningPoint{{Size: 5, Test: []float64{0.5}, Train: []float64{0.6}}, {Size: 50, Test: []float64{0.7}}}, nil)
		}, "differ in having Train"},

		{"training empty", func() (*Figure, error) { return TrainingCurve(History{}, nil) }, "History.Loss is empty"},
		{"training iter length", func() (*Figure, error) { return TrainingCurve(History{Iter: []int{1}, Loss: loss}, nil) }, "History.Iter has 1 entries, History.Loss 2"},
		{"training accuracy length", func() (*Figure, error) { return TrainingCurve(History{Loss: loss, Accuracy: []float64{1}}, nil) }, "History.Accuracy has 1 entries"},
		{"training NaN loss", func() (*Figure, error) { return TrainingCurve(History{Loss: []float64{1, math.NaN()}}, nil) }, "History.Loss[1] is NaN"},
		{"training Inf loss", func() (*Figure, error) { return TrainingCurve(History{Loss: []float64{math.Inf(1)}}, nil) }, "History.Loss[0] is +Inf"},
		{"training accuracy < 0", func() (*Figure, error) {
			return TrainingCurve(History{Loss: loss, Accuracy: []float64{0.5, -0.1}}, nil)
		}, "History.Accuracy: accuracy[1] is -0.1"},

		{"path empty", func() (*Figure, error) { return RegularizationPath(nil, nil) }, "pts is empty"},
		{"path C 0", func() (*Figure, error) { return RegularizationPath([]PathPoint{{C: 0}}, nil) }, "pts[0].C is 0"},
		{"path C NaN", func() (*Figure, error) { return RegularizationPath([]PathPoint{{C: math.NaN()}}, nil) }, "pts[0].C is NaN"},
		{"path C Inf", func() (*Figure, error) { return RegularizationPath([]PathPoint{{C: math.Inf(1)}}, nil) }, "pts[0].C is +Inf"},
		{"path accuracy", func() (*Figure, error) { return RegularizationPath([]PathPoint{{C: 1, Accuracy: 2}}, nil) }, "pts[0].Accuracy is 2"},
		{"path sparsity", func() (*Figure, error) { return RegularizationPath([]PathPoint{{C: 1, Sparsity: 101}}, nil) }, "pts[0].Sparsity is 101"},
		{"path repeated C", func() (*Figure, error) { return RegularizationPath(append(path, path[0]), nil) }, "C 0.1 twice"},

		{"format", func() (*Figure, error) { return RegularizationPath(path, &Settings{Format: "gif"}) }, `Settings.Format "gif"`},
		{"format eps", func() (*Figure, error) { return Weights(mat.NewDense(1, 784, nil), &Settings{Format: "eps"}) }, `Settings.Format "eps"`},
		{"width", func() (*Figure, error) { return RegularizationPath(path, &Settings{Width: -1}) }, "Settings.Width is -1"},
		{"height NaN", func() (*Figure, error) {
			return TrainingCurve(History{Loss: loss}, &Settings{Height: vg.Length(math.NaN())})
		}, "Settings.Height is NaN"},
		{"dpi", func() (*Figure, error) { return ConfusionMatrix([][]int{{1}}, &Settings{DPI: -3}) }, "Settings.DPI is -3"},
		{"dpi huge", func() (*Figure, error) { return Weights(mat.NewDense(1, 784, nil), &Settings{DPI: 100000}) }, "Settings.DPI 100000"},
		{"columns", func() (*Figure, error) { return Digits([]Digit{{Pixels: pix}}, &Settings{Columns: -1}) }, "Settings.Columns is -1"},
		{"colour map", func() (*Figure, error) { return Weights(mat.NewDense(1, 784, nil), &Settings{ColorMap: 7}) }, "Settings.ColorMap 7"},
		{"colour bar", func() (*Figure, error) { return Weights(mat.NewDense(1, 784, nil), &Settings{ColorBar: 9}) }, "Settings.ColorBar 9"},
	} {
		f, err := tc.fn()
		switch {
		case err == nil:
			t.Errorf("%s: no error", tc.name)
		case !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "plots: "):
			t.Errorf("%s: error %q, want it to start with \"plots: \" and contain %q", tc.name, err, tc.want)
		}
		if f != nil {
			t.Errorf("%s: a %s figure despite the error", tc.name, f.Format())
		}
	}
}

// TestGoodEdgeInput checks inputs that are unusual but valid.
func TestGoodEdgeInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func() (*Figure, error)
	}{
		{"all-zero weights", func() (*Figure, error) { return Weights(mat.NewDense(10, Side*Side, nil), nil) }},
		{"one class", func() (*Figure, error) { return Weights(synthWeights(1, 1), &Settings{ColorMap: RdBu}) }},
		{"one digit no caption", func() (*Figure, error) { return Digits([]Digit{{Pixels: make([]uint8, Side*Side)}}, nil) }},
		{"one learning point, one run", func() (*Figure, error) {
			return LearningCurve([]LearningPoint{{Size: 10, Test: []float64{0.5}}}, nil)
		}},
		{"one training entry", func() (*Figure, error) {
			return TrainingCurve(History{Loss: []float64{2}, Accuracy: []float64{0.1}}, nil)
		}},
		{"constant loss", func() (*Figure, error) { return TrainingCurve(History{Loss: []float64{2, 2, 2}}, nil) }},
		{"one path point", func() (*Figure, error) {
			return RegularizationPath([]PathPoint{{C: 1, Accuracy: 1, Sparsity: 0}}, nil)
		}},
		{"zero confusion", func() (*Figure, error) { return ConfusionMatrix([][]int{{0, 0}, {0, 0}}, nil) }},
	} {
		f, err := tc.fn()
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		decode(t, render(t)(f, nil))
	}
}

func TestFormatsAndSizes(t *testing.T) {
	w := synthWeights(10, 2)
	for _, tc := range []struct {
		format, want, magic string
	}{
		{"", "png", "\x89PNG"}, {"PNG", "png", "\x89PNG"}, {"svg", "svg", "<?xml"}, {"pdf", "pdf", "%PDF"},
		{"jpg", "jpg", "\xff\xd8"}, {"jpeg", "jpg", "\xff\xd8"}, {"tif", "tif", "II*\x00"}, {"tiff", "tif", "II*\x00"},
	} {
		f, err := Weights(w, &Settings{Format: tc.format})
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Format(); got != tc.want {
			t.Errorf("format %q: Format() = %q, want %q", tc.format, got, tc.want)
		}
		// A Figure is a value: every write gives the whole figure again
		// (gonum's SVG and PDF canvases can be encoded only once).
		var first, second bytes.Buffer
		n, err := f.WriteTo(&first)
		if err != nil || n != int64(first.Len()) {
			t.Fatalf("format %q: WriteTo = %d, %v for %d bytes", tc.format, n, err, first.Len())
		}
		if _, err := f.WriteTo(&second); err != nil || !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("format %q: second WriteTo gave %d bytes (%v), want the %d of the first", tc.format, second.Len(), err, first.Len())
		}
		if b := first.Bytes(); !bytes.HasPrefix(b, []byte(tc.magic)) {
			t.Errorf("format %q: output starts with %q, want %q", tc.format, b[:min(8, len(b))], tc.magic)
		}
	}
	for _, tc := range []struct {
		s    Settings
		w, h int
	}{
		{Settings{}, 864, 432},                    // 9 x 4.5 in at 96 dpi
		{Settings{DPI: 192}, 1728, 864},           // twice the resolution
		{Settings{Width: 4 * vg.Inch}, 384, 192},  // height from the default aspect
		{Settings{Height: 3 * vg.Inch}, 576, 288}, // width from the default aspect
		{Settings{Width: 300, Height: 300, DPI: 72}, 300, 300},
		{Settings{ColorMap: RdBu}, 931, 432}, // 0.7 in more for the colour bar
	} {
		img := decode(t, render(t)(Weights(w, &tc.s)))
		if got := img.Bounds().Size(); got != image.Pt(tc.w, tc.h) {
			t.Errorf("%+v: %v pixels, want %dx%d", tc.s, got, tc.w, tc.h)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestFigureWriteToErrors(t *testing.T) {
	f, err := Weights(synthWeights(10, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteTo(failingWriter{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error %v, want the writer's error", err)
	}
	if _, err := f.WriteTo(nil); err != errNilWriter {
		t.Errorf("nil writer: error %v, want %v", err, errNilWriter)
	}
	var b bytes.Buffer
	if n, err := (*Figure)(nil).WriteTo(&b); err == nil || n != 0 || b.Len() != 0 {
		t.Errorf("nil *Figure: WriteTo = %d, %v and %d bytes written, want an error and nothing", n, err, b.Len())
	}
	if got := (*Figure)(nil).Format(); got != "" {
		t.Errorf("nil *Figure: Format() = %q, want \"\"", got)
	}
}

func TestParseMath(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []run
	}{
		{"plain", []run{{s: "plain"}}},
		{"a $w_j$ b", []run{{s: "a "}, {s: "w", italic: true}, {s: "j", italic: true, shift: -1}, {s: " b"}}},
		{"$x^{2k}$", []run{{s: "x", italic: true}, {s: "2", shift: 1}, {s: "k", italic: true, shift: 1}}},
		{"$a1$", []run{{s: "a", italic: true}, {s: "1"}}},
		{"odd $ sign", []run{{s: "odd $ sign"}}},
		{"$x_$", []run{{s: "$x_$"}}},
		{"$x_{ab$", []run{{s: "$x_{ab$"}}},
	} {
		got := parseMath(tc.in)
		if len(got) != len(tc.want) {
			t.Errorf("parseMath(%q) = %+v, want %+v", tc.in, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("parseMath(%q) = %+v, want %+v", tc.in, got, tc.want)
				break
			}
		}
	}
}

func FuzzTitle(f *testing.F) {
	for _, s := range []string{WeightsTitle, "$", "$_$", "${$", "a$^{}$b", "$x_{ab$", "\n$w$\n"} {
		f.Add(s)
	}
	c := make([]float64, Side*Side)
	coef := mat.NewDense(1, Side*Side, c)
	f.Fuzz(func(t *testing.T, title string) {
		sty := titleStyle(title, titleSize)
		sty.Width(title)
		if _, err := Weights(coef, &Settings{Title: title, Format: "svg"}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestTicks(t *testing.T) {
	labels := func(ts []plot.Tick) []string {
		var out []string
		for _, t := range ts {
			if t.Label != "" {
				out = append(out, t.Label)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		ticker plot.Ticker
		lo, hi float64
		want   string
	}{
		{"int 1..30", intTicks{}, 1, 30, "5 10 15 20 25 30"},
		{"int 0.5..12.5", intTicks{}, 0.5, 12.5, "2 4 6 8 10 12"},
		{"int 1..3", intTicks{}, 1, 3, "1 2 3"},
		{"nice symmetric", niceTicks{}, -0.14, 0.14, "-0.10 -0.05 0.00 0.05 0.10"},
		{"nice accuracy", niceTicks{}, 0.79, 0.98, "0.800 0.825 0.850 0.875 0.900 0.925 0.950 0.975"},
		{"nice percent", niceTicks{}, 15, 103, "20 40 60 80 100"},
		{"log 300..50000", logTicks{}, math.Log10(300), math.Log10(50000), "1000 10000"},
		{"log within a decade", logTicks{}, math.Log10(2000), math.Log10(9000), "2e+03 3e+03 4e+03 5e+03 6e+03 7e+03 8e+03 9e+03"},
	} {
		if got := strings.Join(labels(tc.ticker.Ticks(tc.lo, tc.hi)), " "); got != tc.want {
			t.Errorf("%s: labels %q, want %q", tc.name, got, tc.want)
		}
	}
}
