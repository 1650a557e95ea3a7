package display

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBarClamps checks that counts outside [0, total] draw a full or an
// empty bar instead of a bar of negative or excess width.
func TestBarClamps(t *testing.T) {
	_, text := outside(t)
	for _, c := range []struct {
		done, total int
		want        string
	}{
		{6, 5, "[####################] 6/5 (100%)"},
		{-1, 5, "[....................] -1/5 (0%)"},
		{1 << 40, 1, "[####################] 1099511627776/1 (100%)"},
	} {
		text.Reset()
		b := NewBar("")
		b.Update(c.done, c.total, "")
		if got := text.String(); !strings.HasPrefix(got, c.want+" ") {
			t.Errorf("Update(%d, %d) drew %q, want %q", c.done, c.total, got, c.want)
		}
		if h := b.html(time.Now()); !strings.Contains(h, "<progress value=") {
			t.Errorf("Update(%d, %d): HTML %q", c.done, c.total, h)
		}
	}
}

// TestBarConcurrent updates one bar from several goroutines, as a
// progress hook called from worker goroutines does, and finishes it from
// another: every line drawn is whole and the final line comes once, last.
func TestBarConcurrent(t *testing.T) {
	_, text := outside(t)
	b := NewBar("fit")
	b.Interval = time.Nanosecond // draw (nearly) every update
	const workers, updates = 4, 200
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range updates {
				b.Update(w*updates+i, workers*updates+1, "working")
			}
		})
	}
	wg.Wait()
	finished := make(chan error, 2)
	for range 2 {
		go func() { finished <- b.Finish("done") }()
	}
	for range 2 {
		if err := <-finished; err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSuffix(text.String(), "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("%d lines drawn, want the updates and the final line", len(lines))
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, "fit: [") || strings.Count(l, "[") != 1 || !strings.Contains(l, "/801 (") {
			t.Fatalf("line %d is not a whole bar: %q", i, l)
		}
		if final := strings.HasSuffix(l, " done"); final != (i == len(lines)-1) {
			t.Fatalf("line %d %q: the final line must come once, last", i, l)
		}
	}
}
