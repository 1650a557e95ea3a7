package display

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// DefaultInterval is the shortest time between two redraws of a Bar when
// Bar.Interval is zero.
const DefaultInterval = 100 * time.Millisecond

// Bar is a progress bar. In a notebook it is one output block that Update
// redraws in place (gonbui.UpdateHtml with a transient id) and Finish
// replaces by a final, permanent line; outside a notebook each redraw prints
// a line to Out. Its Update method has the signature of a plain progress
// callback, func(done, total int, label string), so a model's progress hook
// can feed it, for example with pkg/softmax:
//
//	bar := display.NewBar("fit")
//	s := &softmax.Settings{Progress: func(p softmax.Progress) {
//		bar.Update(p.Iter, maxIter, fmt.Sprintf("loss %.4f", p.Loss))
//	}}
//	model, err := softmax.Fit(x, y, s)
//	bar.Finish(fmt.Sprintf("%d epochs", model.NIter))
//
// A Bar is safe for concurrent use.
type Bar struct {
	// Title is written before the bar.
	Title string

	// Interval is the shortest time between two redraws; updates in
	// between only record the state, except the first one and those with
	// done >= total, which are always drawn. If Interval is zero,
	// DefaultInterval is used.
	Interval time.Duration

	mu          sync.Mutex
	id          string
	start, last time.Time
	done, total int
	label       string
	finished    bool
}

// NewBar returns a progress bar with the given title, started now.
func NewBar(title string) *Bar {
	return &Bar{Title: title, start: time.Now()}
}

// Update records that done of total steps are complete, with label as a short
// status (for example the current loss), and redraws the bar unless the
// last redraw is more recent than Interval. If total is not positive the
// total is unknown and the bar shows the count only. Updates after Finish
// are ignored.
func (b *Bar) Update(done, total int, label string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		return
	}
	if b.start.IsZero() {
		b.start = time.Now()
	}
	b.done, b.total, b.label = done, total, label
	now := time.Now()
	interval := b.Interval
	if interval == 0 {
		interval = DefaultInterval
	}
	if !b.last.IsZero() && now.Sub(b.last) < interval && (total <= 0 || done < total) {
		return
	}
	b.last = now
	if !gonbui.IsNotebook {
		fmt.Fprintln(out(), b.text(now))
		return
	}
	if b.id == "" {
		b.id = "display_bar_" + gonbui.UniqueId()
	}
	gonbui.UpdateHtml(b.id, b.html(now))
}

// Finish ends the bar with label as its final status (or the last one if
// label is ""): in a notebook the transient block is cleared and a permanent
// final line displayed, outside a notebook the final line is printed. It
// returns GoNB's communication error, if any. Finish is idempotent.
func (b *Bar) Finish(label string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		return nil
	}
	b.finished = true
	if label != "" {
		b.label = label
	}
	now := time.Now()
	if !gonbui.IsNotebook {
		_, err := fmt.Fprintln(out(), b.text(now))
		return err
	}
	if b.id != "" {
		gonbui.UpdateHtml(b.id, "")
	}
	gonbui.DisplayHtml(b.html(now))
	return flush()
}

// fraction returns done/total in [0, 1], or -1 if the total is unknown.
func (b *Bar) fraction() float64 {
	if b.total <= 0 {
		return -1
	}
	return min(max(float64(b.done)/float64(b.total), 0), 1)
}

// count returns "done/total (p%)" or "done".
func (b *Bar) count() string {
	f := b.fraction()
	if f < 0 {
		return fmt.Sprint(b.done)
	}
	return fmt.Sprintf("%d/%d (%.0f%%)", b.done, b.total, 100*f)
}

// text returns the bar as a line of text.
func (b *Bar) text(now time.Time) string {
	var s strings.Builder
	if b.Title != "" {
		s.WriteString(b.Title + ": ")
	}
	if f := b.fraction(); f >= 0 {
		const width = 20
		n := int(f*width + 0.5)
		s.WriteString("[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "] ")
	}
	s.WriteString(b.count())
	fmt.Fprintf(&s, " %s", now.Sub(b.start).Round(time.Millisecond))
	if b.label != "" {
		s.WriteString(" " + b.label)
	}
	return s.String()
}

// html returns the bar as HTML: an HTML5 progress element between the
// escaped title and status.
func (b *Bar) html(now time.Time) string {
	var s strings.Builder
	s.WriteString(`<div style="font-family:monospace">`)
	if b.Title != "" {
		s.WriteString(html.EscapeString(b.Title) + " ")
	}
	if f := b.fraction(); f >= 0 {
		fmt.Fprintf(&s, `<progress value="%d" max="%d" style="width:20em;vertical-align:middle"></progress> `, max(b.done, 0), b.total)
	} else {
		s.WriteString(`<progress style="width:20em;vertical-align:middle"></progress> `)
	}
	s.WriteString(html.EscapeString(fmt.Sprintf("%s %s", b.count(), now.Sub(b.start).Round(time.Millisecond))))
	if b.label != "" {
		s.WriteString(" " + html.EscapeString(b.label))
	}
	s.WriteString("</div>")
	return s.String()
}
