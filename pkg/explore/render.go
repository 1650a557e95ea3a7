package explore

import (
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// The panel's HTML templates and the two scripts the page runs: embedded,
// so that the notebook needs nothing from the network.
var (
	//go:embed panel.html
	panelHTML string
	//go:embed panel.js
	panelJS string
	//go:embed connect.js
	connectJS string
)

var templates = template.Must(template.New("panel.html").Funcs(template.FuncMap{
	"png": pngURL,
	"ms":  func(d time.Duration) int64 { return d.Milliseconds() },
	"bar": func(p float64) int { return int(math.Round(160 * p)) },
}).Parse(panelHTML))

// pngURL returns PNG bytes as a data URL for an img element.
func pngURL(b []byte) template.URL {
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))
}

// panelView is what the panel template shows.
type panelView struct {
	ID      string // prefix of the element ids
	Live    bool   // controls enabled (a live notebook) or not
	LogC    float64
	CLabel  string
	Penalty string // "l1" or "l2"
	Sizes   []sizeOption
	Fit     *fitResult
	Draw    drawView
	Drawing template.URL // the last drawing (a PNG data URL) instead of the canvas, or ""
	Note    string

	MinLogC, MaxLogC int
	Step             float64
}

type sizeOption struct {
	Value    int
	Selected bool
}

// drawView is the draw panel's result: a reading or a message.
type drawView struct {
	Seq     int
	Reading *reading
	Best    int // index of the predicted class in Reading.Proba
	Message string
}

// newDrawView returns the view of a reading.
func newDrawView(seq int, r *reading) drawView {
	v := drawView{Seq: seq, Reading: r}
	for k, p := range r.Proba {
		if p > r.Proba[v.Best] {
			v.Best = k
		}
	}
	return v
}

// progressView is the progress line of a running fit.
type progressView struct {
	Choice   Choice
	Epoch    int     // epochs done; 0 before the first
	Change   float64 // the last epoch's max|dW|/max|W|
	Tol      float64
	Fraction float64 // in [0, 1]
	Elapsed  time.Duration
}

// newProgressView returns the progress of a SAG or SAGA fit after an
// epoch. The stopping rule compares the relative change of the weights
// with Tol and the first epoch's change is 1 (the weights start at zero),
// so the fraction done is log(change)/log(Tol), clamped to [0, 1]: how far
// the change has come, on a log scale, towards the stopping rule.
func newProgressView(ch Choice, p softmax.Progress) progressView {
	v := progressView{Choice: ch, Epoch: p.Iter, Change: p.RelChange, Tol: Tol, Elapsed: p.Elapsed}
	if p.RelChange > 0 && p.RelChange < 1 {
		v.Fraction = min(math.Log(p.RelChange)/math.Log(Tol), 1)
	} else if p.RelChange == 0 && p.Iter > 0 {
		v.Fraction = 1
	}
	return v
}

// render executes the named template with v.
func render(name string, v any) (string, error) {
	var b strings.Builder
	if err := templates.ExecuteTemplate(&b, name, v); err != nil {
		return "", fmt.Errorf("explore: rendering %s: %w", name, err)
	}
	return b.String(), nil
}

// newPanelView returns the view of the panel with prefix id showing fit and
// draw; the controls are set to fit's choice.
func newPanelView(id string, live bool, fit *fitResult, draw drawView, note string) panelView {
	v := panelView{
		ID: id, Live: live, LogC: fit.Choice.LogC, CLabel: formatC(fit.Choice.C()),
		Penalty: fit.Choice.Penalty.String(), Fit: fit, Draw: draw, Note: note,
		MinLogC: MinLogC, MaxLogC: MaxLogC, Step: LogCStep,
	}
	for _, n := range Sizes {
		v.Sizes = append(v.Sizes, sizeOption{Value: n, Selected: n == fit.Choice.Size})
	}
	return v
}

// message is a redraw the Go side sends to the live panel: the HTML of one
// of its parts.
type message struct {
	// Target is the part: "fit", "progress", "draw" or "status".
	Target string `json:"target"`
	// Seq is the sequence number of the page's message it answers; the
	// page ignores a message older than the one its part shows.
	Seq  int    `json:"seq"`
	HTML string `json:"html"`
	// Ms is the time in milliseconds from the page's message reaching
	// Go to this redraw being handed to GoNB (0 if it does not apply).
	Ms float64 `json:"ms,omitempty"`
}

// script returns JavaScript that calls the function expression js with
// the JSON of cfg.
func script(js string, cfg any) string {
	b, err := json.Marshal(cfg)
	if err != nil {
		panic("explore: " + err.Error()) // cfg is one of the package's own structs
	}
	return "(" + strings.TrimSpace(js) + ")(" + string(b) + ");"
}
