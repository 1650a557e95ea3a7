package explore

import (
	"math"
	"strings"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

func TestChoiceC(t *testing.T) {
	for _, tc := range []struct {
		logC  float64
		c     float64
		label string
	}{
		{-3, 0.001, "0.001"},
		{-2, 0.01, "0.01"},
		{-2.0000000001, 0.01, "0.01"}, // a slider value off by rounding is the step
		{-2.5, 0.0031622776601683794, "0.0032"},
		{0, 1, "1"},
		{0.1, 1.2589254117941673, "1.3"},
		{4.3, 19952.623149688792, "20000"},
		{5, 1e5, "100000"},
	} {
		ch := Choice{LogC: tc.logC, Penalty: softmax.L2, Size: 5000}
		// Exact at whole decades, within two ulps elsewhere (Python's 10**x).
		if got := ch.C(); got != tc.c && (tc.logC == math.Round(tc.logC) || math.Abs(got-tc.c) > 4e-16*tc.c) {
			t.Errorf("Choice{LogC: %v}.C() = %v, want %v", tc.logC, got, tc.c)
		}
		if got := formatC(ch.C()); got != tc.label {
			t.Errorf("formatC(%v) = %q, want %q (JavaScript's String(Number(c.toPrecision(2))))", ch.C(), got, tc.label)
		}
	}
}

func TestChoiceSettings(t *testing.T) {
	l1 := Choice{LogC: -2, Penalty: softmax.L1, Size: 1000}.Settings()
	if l1.Solver != softmax.SAGA || l1.Penalty != softmax.L1 || l1.C != 0.01 || l1.Tol != 0.1 {
		t.Errorf("L1 settings = %+v, want SAGA, L1, C=0.01, tol=0.1", l1)
	}
	l2 := DefaultChoice.Settings()
	if l2.Solver != softmax.SAG || l2.Penalty != softmax.L2 || l2.C != 1e5 || l2.Tol != 0.1 {
		t.Errorf("default settings = %+v, want the port's SAG, L2, C=1e5, tol=0.1", l2)
	}
	if got, want := (Choice{LogC: -2, Penalty: softmax.L1, Size: 50000}).String(), "C = 0.01, L1 (SAGA), 50000 images"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestParseChoice(t *testing.T) {
	r, err := parseChoice(`{"seq": 7, "logC": -2, "penalty": "l1", "size": 50000}`)
	if err != nil {
		t.Fatal(err)
	}
	if want := (request{Seq: 7, Choice: Choice{LogC: -2, Penalty: softmax.L1, Size: 50000}}); r != want {
		t.Errorf("parseChoice = %+v, want %+v", r, want)
	}
	for _, tc := range []struct{ msg, wantErr string }{
		{`{"seq": 1, "logC": 5, "penalty": "l2", "size": 5000`, "bad message"},
		{`{"logC": 5, "penalty": "l2", "size": 5000}`, "seq"},
		{`{"seq": 1, "penalty": "l2", "size": 5000}`, "without logC"},
		{`{"seq": 1, "logC": 6, "penalty": "l2", "size": 5000}`, "log10(C) = 6"},
		{`{"seq": 1, "logC": -3.5, "penalty": "l2", "size": 5000}`, "log10(C) = -3.5"},
		{`{"seq": 1, "logC": 0, "penalty": "elasticnet", "size": 5000}`, "not l1 or l2"},
		{`{"seq": 1, "logC": 0, "penalty": "l3", "size": 5000}`, "penalty"},
		{`{"seq": 1, "logC": 0, "penalty": "l1", "size": 4000}`, "size 4000"},
		{`"stop"`, "bad message"},
	} {
		_, err := parseChoice(tc.msg)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("parseChoice(%s) = %v, want an error containing %q", tc.msg, err, tc.wantErr)
		}
	}
}

func TestParseStroke(t *testing.T) {
	for _, tc := range []struct {
		msg     string
		want    stroke
		wantErr string
	}{
		{msg: `{"seq": 3, "url": "data:image/png;base64,AAAA"}`, want: stroke{Seq: 3, URL: "data:image/png;base64,AAAA"}},
		{msg: `{"seq": 4, "clear": true}`, want: stroke{Seq: 4, Clear: true}},
		{msg: `{"seq": 4}`, wantErr: "exactly one"},
		{msg: `{"seq": 4, "clear": true, "url": "data:"}`, wantErr: "exactly one"},
		{msg: `{"seq": 0, "clear": true}`, wantErr: "seq"},
		{msg: `[1]`, wantErr: "bad message"},
	} {
		got, err := parseStroke(tc.msg)
		switch {
		case tc.wantErr == "" && (err != nil || got != tc.want):
			t.Errorf("parseStroke(%s) = %+v, %v, want %+v", tc.msg, got, err, tc.want)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("parseStroke(%s) = %v, want an error containing %q", tc.msg, err, tc.wantErr)
		}
	}
}
