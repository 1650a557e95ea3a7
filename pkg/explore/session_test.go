package explore

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder stands in for the page: it keeps the messages the session sends.
// (The real page, through GoNB, is tested in a browser by
// scripts/e2e/explore.test.mjs.)
type recorder struct {
	mu   sync.Mutex
	msgs []message
	new  chan struct{}
}

func (r *recorder) send(m message) {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	select {
	case r.new <- struct{}{}:
	default:
	}
}

// wait returns the first message that match accepts, waiting at most 60 s.
func (r *recorder) wait(t *testing.T, what string, match func(message) bool) message {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		r.mu.Lock()
		for _, m := range r.msgs {
			if match(m) {
				r.mu.Unlock()
				return m
			}
		}
		r.mu.Unlock()
		select {
		case <-r.new:
		case <-deadline:
			t.Fatalf("no %s within 60 s", what)
		}
	}
}

func (r *recorder) all(target string) []message {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []message
	for _, m := range r.msgs {
		if m.Target == target {
			out = append(out, m)
		}
	}
	return out
}

// live is a session serving its inputs on a goroutine.
type live struct {
	s                    *session
	rec                  *recorder
	choice, canvas, stop chan string
	cancel               context.CancelFunc
	done                 chan struct{} // closed when run has returned
	why                  string        // what run returned
}

// ended waits at most 30 s for the session to end and returns why it ended.
func (l *live) ended(t *testing.T) string {
	t.Helper()
	select {
	case <-l.done:
		return l.why
	case <-time.After(30 * time.Second):
		t.Fatal("the session did not end within 30 s")
		return ""
	}
}

func startSession(t *testing.T, idle time.Duration) *live {
	t.Helper()
	sp := realSplit(t)
	e, err := newExplorer(sp)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{new: make(chan struct{}, 1)}
	l := &live{
		s:   &session{exp: e, rd: testReader(t), page: rec, mail: newMailbox(), draw: emptyDraw()},
		rec: rec, choice: make(chan string), canvas: make(chan string), stop: make(chan string),
		done: make(chan struct{}),
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	go func() {
		defer close(l.done)
		l.why = l.s.run(ctx, inputs{choice: l.choice, canvas: l.canvas, stop: l.stop}, idle)
	}()
	t.Cleanup(func() {
		cancel()
		l.ended(t)
	})
	return l
}

func choiceMsg(seq int, logC float64, penalty string, size int) string {
	return fmt.Sprintf(`{"seq": %d, "logC": %v, "penalty": %q, "size": %d}`, seq, logC, penalty, size)
}

func target(name string, seq int) func(message) bool {
	return func(m message) bool { return m.Target == name && m.Seq == seq }
}

var sparsityRE = regexp.MustCompile(`data-sparsity="([0-9.]+)"`)

// A newer choice stops the fit that is running, at the end of its epoch,
// and only the newer one is drawn.
func TestSessionSupersedes(t *testing.T) {
	l := startSession(t, time.Minute)
	l.choice <- choiceMsg(1, 5, "l1", 50000) // SAGA on 50000 images: several seconds
	l.rec.wait(t, "progress after epoch 1", func(m message) bool {
		return m.Target == "progress" && m.Seq == 1 && strings.Contains(m.HTML, "epoch 1,")
	})
	l.choice <- choiceMsg(2, -2, "l1", 1000)
	fit := l.rec.wait(t, "the fit of choice 2", target("fit", 2))
	if got := l.rec.all("fit"); len(got) != 1 {
		t.Errorf("%d fits drawn, want only the newest", len(got))
	}
	for _, m := range l.rec.all("progress") {
		if m.Seq == 1 && strings.Contains(m.HTML, "epoch 3,") {
			t.Error("the superseded fit ran on to epoch 3")
		}
	}
	l.s.mu.Lock()
	superseded := l.s.superseded
	l.s.mu.Unlock()
	if superseded != 1 {
		t.Errorf("%d fits superseded, want 1", superseded)
	}
	if m := sparsityRE.FindStringSubmatch(fit.HTML); m == nil {
		t.Errorf("the fit fragment has no sparsity:\n%.300s", fit.HTML)
	}
	t.Logf("choice 2 (L1, C=0.01, 1000 images) drawn %.0f ms after it reached Go", fit.Ms)
	l.stop <- "stop"
	if r := l.ended(t); r != "the Stop button" {
		t.Errorf("ended by %q", r)
	}
}

// Messages that arrive out of order are dropped when older than one read:
// no fit or drawing goes back in time.
func TestSessionDropsStale(t *testing.T) {
	l := startSession(t, time.Minute)
	l.choice <- choiceMsg(3, 0, "l2", 1000)
	l.rec.wait(t, "fit 3", target("fit", 3))
	l.choice <- choiceMsg(2, -1, "l2", 1000) // older: dropped
	l.choice <- choiceMsg(4, 1, "l2", 1000)
	l.rec.wait(t, "fit 4", target("fit", 4))

	sp := realSplit(t)
	pix := sp.Test.Image(3) // a 7
	url := canvasURL(t, paint(func(x, y int) uint8 { return pix[(y/10)*28+x/10] }))
	l.canvas <- fmt.Sprintf(`{"seq": 5, "url": %q}`, url)
	d := l.rec.wait(t, "drawing 5", target("draw", 5))
	if !strings.Contains(d.HTML, `data-pred="7"`) {
		t.Errorf("test image 3, a 7, drawn: %.200s", d.HTML)
	}
	l.canvas <- `{"seq": 4, "clear": true}` // older: dropped
	l.canvas <- `{"seq": 6, "clear": true}`
	d = l.rec.wait(t, "drawing 6", target("draw", 6))
	if !strings.Contains(d.HTML, `data-pred=""`) {
		t.Errorf("Clear gave %.200s", d.HTML)
	}
	for _, tg := range []string{"fit", "draw"} {
		for _, m := range l.rec.all(tg) {
			if m.Seq == 2 || m.Seq == 4 && tg == "draw" {
				t.Errorf("a stale message was answered: %s %d", tg, m.Seq)
			}
		}
	}
	l.cancel()
	l.ended(t)
	// One drawing read; the last drawing is kept for the final panel only
	// while the canvas shows it.
	if l.s.drawings != 1 || l.s.drawing != "" {
		t.Errorf("%d drawings counted (want 1), drawing kept after Clear: %v", l.s.drawings, l.s.drawing != "")
	}
}

// A bad message is answered with an error in the panel, and the session
// goes on.
func TestSessionBadMessage(t *testing.T) {
	l := startSession(t, time.Minute)
	l.choice <- `{"seq": 1, "logC": 9, "penalty": "l2", "size": 5000}`
	m := l.rec.wait(t, "an error", func(m message) bool { return m.Target == "progress" })
	if !strings.Contains(m.HTML, "log10(C) = 9 is outside [-3, 5]") {
		t.Errorf("error shown: %s", m.HTML)
	}
	l.canvas <- `{"seq": 1, "url": "data:image/png;base64,!!"}`
	d := l.rec.wait(t, "drawing 1", target("draw", 1))
	if !strings.Contains(d.HTML, "Cannot read the drawing") {
		t.Errorf("bad drawing shown as %s", d.HTML)
	}
	l.choice <- choiceMsg(2, 5, "l2", 1000)
	l.rec.wait(t, "fit 2", target("fit", 2))
}

func TestSessionEnds(t *testing.T) {
	l := startSession(t, 200*time.Millisecond)
	if r := l.ended(t); !strings.Contains(r, "without input") {
		t.Errorf("idle session ended by %q", r)
	}

	l = startSession(t, time.Minute)
	l.choice <- choiceMsg(1, 5, "l1", 50000)
	l.rec.wait(t, "progress of fit 1", target("progress", 1))
	l.cancel()
	if r := l.ended(t); r != "an interrupt" {
		t.Errorf("cancelled session ended by %q", r)
	}
	if len(l.rec.all("fit")) != 0 {
		t.Error("the fit running at the interrupt was drawn")
	}
}
