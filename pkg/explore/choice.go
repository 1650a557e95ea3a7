package explore

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// The range of the C slider, in decades: C runs from 10^MinLogC to
// 10^MaxLogC in steps of a tenth of a decade.
const (
	MinLogC  = -3
	MaxLogC  = 5
	LogCStep = 0.1
)

// Tol is the stopping tolerance of every fit of the explorer, the port's
// tol=0.1 (a handful of epochs).
const Tol = 0.1

// Sizes are the training-set sizes the explorer offers.
var Sizes = []int{1000, 5000, 50000}

// Choice is one setting of the explorer's controls.
type Choice struct {
	// LogC is log10 of C, the inverse regularisation strength, in
	// [MinLogC, MaxLogC].
	LogC float64
	// Penalty is softmax.L2 (fitted with SAG) or softmax.L1 (with SAGA).
	Penalty softmax.Penalty
	// Size is the number of training images, one of Sizes.
	Size int
}

// DefaultChoice is the explorer's first setting: the port's C = 1e5 with
// the L2 penalty, on 5000 training images.
var DefaultChoice = Choice{LogC: MaxLogC, Penalty: softmax.L2, Size: 5000}

// C returns 10^LogC with LogC rounded to the slider's step, so that the
// slider's 0.1 steps give C = 0.01, not 0.009999999999999995.
func (c Choice) C() float64 {
	steps := math.Round(c.LogC / LogCStep)
	return math.Pow(10, steps/10)
}

// Validate returns an error naming the field that is out of range.
func (c Choice) Validate() error {
	if math.IsNaN(c.LogC) || c.LogC < MinLogC-1e-9 || c.LogC > MaxLogC+1e-9 {
		return fmt.Errorf("explore: log10(C) = %v is outside [%d, %d]", c.LogC, MinLogC, MaxLogC)
	}
	if c.Penalty != softmax.L1 && c.Penalty != softmax.L2 {
		return fmt.Errorf("explore: penalty %v is not l1 or l2", c.Penalty)
	}
	if !slices.Contains(Sizes, c.Size) {
		return fmt.Errorf("explore: training-set size %d is not one of %v", c.Size, Sizes)
	}
	return nil
}

// Settings returns the fit settings of c: SAG for L2, SAGA for L1, C, Tol.
func (c Choice) Settings() softmax.Settings {
	s := softmax.Settings{C: c.C(), Penalty: c.Penalty, Solver: softmax.SAG, Tol: Tol}
	if c.Penalty == softmax.L1 {
		s.Solver = softmax.SAGA
	}
	return s
}

// String describes c as the panel shows it: "C = 0.01, L1 (SAGA), 5000 images".
func (c Choice) String() string {
	s := c.Settings()
	return fmt.Sprintf("C = %s, %s (%s), %d images", formatC(c.C()), penaltyName(c.Penalty), solverName(s.Solver), c.Size)
}

// formatC formats C as the slider's label does (JavaScript's
// String(Number(c.toPrecision(2)))): two significant digits, no exponent
// ("0.0032", "0.01", "100000").
func formatC(c float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(c, 'g', 2, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func penaltyName(p softmax.Penalty) string {
	if p == softmax.L1 {
		return "L1"
	}
	return "L2"
}

func solverName(s softmax.Solver) string {
	if s == softmax.SAGA {
		return "SAGA"
	}
	return "SAG"
}

// request is a message of the page: a Choice with the sequence number the
// page gave it (1, 2, ... in the order the reader made the changes).
type request struct {
	Seq    int
	Choice Choice
}

// wireChoice is the JSON the page sends for a change of the controls.
type wireChoice struct {
	Seq     int      `json:"seq"`
	LogC    *float64 `json:"logC"`
	Penalty string   `json:"penalty"`
	Size    int      `json:"size"`
}

// parseChoice decodes the page's message
//
//	{"seq": 3, "logC": -2, "penalty": "l1", "size": 5000}
//
// It returns an error naming the field that is missing or out of range.
func parseChoice(s string) (request, error) {
	var w wireChoice
	if err := json.Unmarshal([]byte(s), &w); err != nil {
		return request{}, fmt.Errorf("explore: bad message from the page: %w", err)
	}
	if w.Seq <= 0 {
		return request{}, fmt.Errorf("explore: message from the page without a positive seq: %.80q", s)
	}
	if w.LogC == nil {
		return request{}, errors.New("explore: message from the page without logC")
	}
	p, err := softmax.ParsePenalty(w.Penalty)
	if err != nil {
		return request{}, fmt.Errorf("explore: message from the page: %w", err)
	}
	r := request{Seq: w.Seq, Choice: Choice{LogC: *w.LogC, Penalty: p, Size: w.Size}}
	return r, r.Choice.Validate()
}

// stroke is a message of the draw panel: the canvas after a stroke (URL,
// a PNG data URL) or after Clear (URL empty).
type stroke struct {
	Seq   int    `json:"seq"`
	URL   string `json:"url"`
	Clear bool   `json:"clear"`
}

// parseStroke decodes the page's message {"seq": 4, "url": "data:image/png;base64,..."}
// or {"seq": 5, "clear": true}.
func parseStroke(s string) (stroke, error) {
	var st stroke
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return stroke{}, fmt.Errorf("explore: bad message from the canvas: %w", err)
	}
	if st.Seq <= 0 {
		return stroke{}, fmt.Errorf("explore: message from the canvas without a positive seq")
	}
	if st.Clear == (st.URL != "") {
		return stroke{}, errors.New("explore: message from the canvas needs exactly one of url and clear")
	}
	return st, nil
}
