package explore

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"image/png"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// testFit returns a fit of the explorer on real data, for the templates.
func testFit(t *testing.T) *fitResult {
	t.Helper()
	e, err := newExplorer(realSplit(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, logC := range []float64{0, -2} {
		r, err := e.fit(context.Background(), Choice{LogC: logC, Penalty: softmax.L1, Size: 1000}, never, nil)
		if err != nil {
			t.Fatal(err)
		}
		if logC == -2 {
			r.Seq = 4
			return r
		}
	}
	return nil
}

var (
	controlRE = regexp.MustCompile(`<(input|select|button)\b[^>]*>`)
	imgRE     = regexp.MustCompile(`<img\b[^>]*\bsrc="([^"]*)"`)
	idRE      = regexp.MustCompile(`id="p7_([a-z]+)"`)
)

// pngs checks that every img of h is an embedded PNG and returns how many.
func pngs(t *testing.T, h string) int {
	t.Helper()
	srcs := imgRE.FindAllStringSubmatch(h, -1)
	for _, m := range srcs {
		// As the browser reads the attribute: html/template writes + as &#43;.
		b64, ok := strings.CutPrefix(html.UnescapeString(m[1]), "data:image/png;base64,")
		if !ok {
			t.Errorf("an image is not an embedded PNG: %.60s", m[1])
			continue
		}
		b, err := base64.StdEncoding.DecodeString(b64)
		if err == nil {
			_, err = png.Decode(bytes.NewReader(b))
		}
		if err != nil {
			t.Errorf("an embedded image is not a PNG: %v", err)
		}
	}
	return len(srcs)
}

func TestPanel(t *testing.T) {
	r := testFit(t)
	for _, live := range []bool{true, false} {
		h, err := render("panel", newPanelView("p7", live, r, emptyDraw(), "a note"))
		if err != nil {
			t.Fatal(err)
		}
		controls := controlRE.FindAllString(h, -1)
		if len(controls) != 5 { // the slider, two selects, Clear and Stop
			t.Errorf("live=%v: %d controls, want 5: %q", live, len(controls), controls)
		}
		for _, c := range controls {
			if strings.Contains(c, " disabled") == live {
				t.Errorf("live=%v: control %s", live, c)
			}
		}
		// Offline: no script, no stylesheet, no address outside the page.
		for _, bad := range []string{"<script", "<link", "http:", "https:", "//cdn", "@import"} {
			if strings.Contains(h, bad) {
				t.Errorf("live=%v: the panel contains %q", live, bad)
			}
		}
		if n := pngs(t, h); n != 2 {
			t.Errorf("live=%v: %d images, want the weights and the path", live, n)
		}
		for _, want := range []string{`<canvas id="p7_canvas" width="280" height="280">`, `value="-2"`,
			`<option value="l1" selected>`, `<option value="1000" selected>`, `data-sparsity=`, "a note", ">0.01</output>"} {
			if !strings.Contains(h, want) {
				t.Errorf("live=%v: the panel lacks %s", live, want)
			}
		}
	}
}

// Every element the script looks up, and every part Go redraws, is in the
// panel; panel.js and panel.html agree.
func TestPanelScriptAgrees(t *testing.T) {
	h, err := render("panel", newPanelView("p7", true, testFit(t), emptyDraw(), ""))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range idRE.FindAllStringSubmatch(h, -1) {
		ids[m[1]] = true
	}
	used := regexp.MustCompile(`el\('([a-z]+)'\)`).FindAllStringSubmatch(panelJS, -1)
	if len(used) < 10 {
		t.Fatalf("panel.js looks up %d elements; the pattern el('name') no longer matches it", len(used))
	}
	for _, m := range used {
		if !ids[m[1]] {
			t.Errorf("panel.js uses element %q, which the panel does not have", m[1])
		}
	}
	for _, target := range []string{"fit", "progress", "draw", "status"} {
		if !ids[target] {
			t.Errorf("Go redraws part %q, which the panel does not have", target)
		}
	}
}

// The scripts read only the configuration Go gives them.
func TestScriptConfig(t *testing.T) {
	a := newAddresses("u1")
	for _, tc := range []struct {
		name, js string
		cfg      any
	}{
		{"panel.js", panelJS, panelConfig{a, 1000}},
		{"connect.js", connectJS, connectConfig(a, time.Second)},
	} {
		b, err := json.Marshal(tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		var keys map[string]any
		if err := json.Unmarshal(b, &keys); err != nil {
			t.Fatal(err)
		}
		used := regexp.MustCompile(`\bcfg\.([a-zA-Z]+)`).FindAllStringSubmatch(tc.js, -1)
		if len(used) < 3 {
			t.Fatalf("%s: %d uses of cfg; the pattern cfg.name no longer matches it", tc.name, len(used))
		}
		for _, m := range used {
			if v, ok := keys[m[1]]; !ok || v == "" || v == nil {
				t.Errorf("%s reads cfg.%s, which Go does not set (%s)", tc.name, m[1], b)
			}
		}
	}
}

func TestFitFragment(t *testing.T) {
	r := testFit(t)
	h, err := render("fit", r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`data-seq="4"`, `data-logc="-2.0"`, `data-penalty="l1"`, `data-size="1000"`,
		fmt.Sprintf(`data-sparsity="%.2f"`, r.Sparsity), fmt.Sprintf(`data-accuracy="%.4f"`, r.Accuracy)} {
		if !strings.Contains(h, want) {
			t.Errorf("the fit fragment lacks %s", want)
		}
	}
	if n := pngs(t, h); n != 2 {
		t.Errorf("%d images, want 2", n)
	}
}

func TestDrawFragment(t *testing.T) {
	rd := &reading{Proba: []float64{0.01, 0.9, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01},
		Classes: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Pred: 1, Pixels: make([]uint8, 784)}
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 28, 28))); err != nil {
		t.Fatal(err)
	}
	rd.Seen = b.Bytes()
	h, err := render("draw", newDrawView(9, rd))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(h, `class="sme-bar`); got != 10 {
		t.Errorf("%d bars, want 10", got)
	}
	if !strings.Contains(h, `<div class="sme-bar sme-top"><span>1</span><span class="sme-b" style="width:144px">`) {
		t.Errorf("the bar of the predicted 1 is not the top one, 144 px wide:\n%s", h)
	}
	if !strings.Contains(h, `data-pred="1"`) || pngs(t, h) != 1 {
		t.Errorf("the fragment lacks the prediction or the image the model saw:\n%s", h)
	}
	h, err = render("draw", drawView{Message: "no <ink>"})
	if err != nil || !strings.Contains(h, "no &lt;ink&gt;") {
		t.Errorf("message fragment %q, %v", h, err)
	}
}

func TestProgressFraction(t *testing.T) {
	for _, tc := range []struct {
		iter   int
		change float64
		want   float64
	}{
		{0, 0, 0}, // before the first epoch
		{1, 1, 0}, // after it: the weights started at zero
		{2, math.Sqrt(0.1), 0.5},
		{3, 0.1, 1}, // the stopping rule
		{4, 0.01, 1},
		{5, 0, 1},
	} {
		v := newProgressView(DefaultChoice, softmax.Progress{Iter: tc.iter, RelChange: tc.change, Elapsed: time.Second})
		if math.Abs(v.Fraction-tc.want) > 1e-12 {
			t.Errorf("epoch %d, change %v: fraction %v, want %v", tc.iter, tc.change, v.Fraction, tc.want)
		}
	}
	h, err := render("progress", newProgressView(DefaultChoice, softmax.Progress{Iter: 2, RelChange: 0.3, Elapsed: 1500 * time.Millisecond}))
	if err != nil || !strings.Contains(h, `<progress value="0.523" max="1">`) || !strings.Contains(h, "epoch 2, change 0.3 (stops below 0.1), 1500 ms") {
		t.Errorf("progress fragment %q, %v", h, err)
	}
	// Before the first epoch: a progress element without a value, which
	// browsers draw as indeterminate.
	h, err = render("progress", newProgressView(DefaultChoice, softmax.Progress{}))
	if err != nil || !strings.Contains(h, `<progress max="1"></progress>`) || !strings.Contains(h, "first epoch") {
		t.Errorf("progress fragment before the first epoch %q, %v", h, err)
	}
}

// script passes its configuration as JSON that cannot end the script
// element it is in.
func TestScript(t *testing.T) {
	s := script("(cfg) => { f(cfg); }\n", map[string]string{"id": "</script><b>"})
	if want := `((cfg) => { f(cfg); })({"id":"\u003c/script\u003e\u003cb\u003e"});`; s != want {
		t.Errorf("script = %s, want %s", s, want)
	}
}
