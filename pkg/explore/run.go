package explore

import (
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"

	"github.com/mlphys/softmax-mnist/pkg/drawing"
	"github.com/mlphys/softmax-mnist/pkg/experiment"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// Defaults of Settings.
const (
	DefaultHandshake = 12 * time.Second
	DefaultIdle      = 15 * time.Minute
)

// progressAfter is how long a fit on fewer than 50000 images runs before
// it shows a progress bar; on 50000 it shows one from the start.
const progressAfter = 150 * time.Millisecond

// Settings configures Run. The zero value means the defaults of each field.
type Settings struct {
	// Handshake bounds the wait for the page's answer when HeadlessEnv is
	// not set; zero means DefaultHandshake.
	Handshake time.Duration
	// Idle ends a live panel after this long without a message from the
	// page; zero means DefaultIdle.
	Idle time.Duration
}

// Run shows the explorer's panel in a GoNB notebook cell: the regularisation
// explorer, over the training images of sp (and subsamples of 1000 and 5000
// of them), and the draw panel, which classifies drawings with model, a
// model fitted on sp's training images with sp's scaler (PortModel).
//
// It first fits DefaultChoice. Then, without a browser (see connect and
// HeadlessEnv), it shows the panel's initial state, inert, with a note
// saying why, prints one line and returns. With a browser it shows the live
// panel and serves it until the reader presses Stop, the cell is
// interrupted, or nothing comes from the page for Settings.Idle; it then
// leaves the panel as it was last drawn, inert, prints one line and
// returns. A nil s means the zero Settings.
//
// Run returns an error if sp has fewer than 50000 training images, a fit
// or figure of the initial state fails, or GoNB reports a communication
// error. Errors of later fits and of drawings are shown in the panel.
func Run(sp *experiment.Split, model *softmax.Model, s *Settings) error {
	var set Settings
	if s != nil {
		set = *s
	}
	if set.Handshake <= 0 {
		set.Handshake = DefaultHandshake
	}
	if set.Idle <= 0 {
		set.Idle = DefaultIdle
	}
	exp, err := newExplorer(sp)
	if err != nil {
		return err
	}
	first, err := exp.fit(context.Background(), DefaultChoice, func() bool { return false }, nil)
	if err != nil {
		return err
	}
	a := newAddresses(gonbui.UniqueId())
	live, why := connect(a, set.Handshake)
	if !live {
		note := "This panel needs a live notebook: JupyterLab or Notebook 7 with the Go kernel, " +
			"in a browser (" + why + "). It shows its initial state."
		fmt.Printf("explore: no live front end (%s): initial state shown, %s: sparsity %.2f%%, test accuracy %.4f\n",
			why, first.Choice, first.Sparsity, first.Accuracy)
		return showStatic(newPanelView(staticID, false, first, emptyDraw(), note))
	}
	ss := &session{
		a: a, exp: exp, rd: reader{model: model, scaler: &sp.Scaler},
		page: gonbPage{show: a.Show}, mail: newMailbox(), last: first, draw: emptyDraw(),
	}
	return ss.serve(why, set.Idle)
}

// emptyDraw is the draw panel before a stroke.
func emptyDraw() drawView {
	return drawView{Message: "Draw a digit on the black square with the mouse or a finger."}
}

// staticID is the element-id prefix of a panel that is not live: nothing
// binds to its elements, and a fixed prefix makes a headless run's output
// the same every time (the notebooks are committed with their outputs).
const staticID = "softmax_explore"

// show renders the panel and shows it in the block with display id id,
// replacing what it showed before.
func show(id string, v panelView) error {
	h, err := render("panel", v)
	if err != nil {
		return err
	}
	gonbui.UpdateHtml(id, h)
	return flush()
}

// showStatic renders the panel and shows it as a plain output, without a
// display id: a panel that is never redrawn.
func showStatic(v panelView) error {
	h, err := render("panel", v)
	if err != nil {
		return err
	}
	gonbui.DisplayHtml(h)
	return flush()
}

// flush waits until GoNB has what was sent and returns its error, if any.
func flush() error {
	gonbui.Sync()
	if err := gonbui.Error(); err != nil {
		return fmt.Errorf("explore: %w", err)
	}
	return nil
}

// session is one live run of the panel.
type session struct {
	a    addresses
	exp  *explorer
	rd   reader
	page interface{ send(message) }
	mail *mailbox

	mu         sync.Mutex // guards last and the fit counts (the fitter writes them)
	last       *fitResult
	superseded int

	// Used by the listening goroutine only.
	draw     drawView
	drawing  template.URL // the last drawing read, for the final panel
	drawSeq  int
	drawings int
}

// serve shows the live panel, binds it and listens until Stop, an
// interrupt or idle; then it leaves the panel as last drawn.
func (s *session) serve(why string, idle time.Duration) error {
	note := "Live (" + why + "): every change refits in Go. Stop, an interrupt or " +
		fmt.Sprintf("%.0f minutes without input end the cell and leave the panel as it is.", idle.Minutes())
	if err := show(s.a.ID, newPanelView(s.a.ID, true, s.last, s.draw, note)); err != nil {
		return err
	}
	in := inputs{
		choice: comms.Listen[string](s.a.Choice).LatestOnly().C,
		canvas: comms.Listen[string](s.a.Canvas).LatestOnly().C,
		stop:   comms.Listen[string](s.a.Stop).LatestOnly().C,
	}
	// Addresses are never unsubscribed: GoNB v0.11.4 deadlocks the program
	// when a value arrives for an address that has no subscriber.
	dom.TransientJavascript(script(panelJS, panelConfig{s.a, idle.Milliseconds()}))
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	reason := s.run(ctx, in, idle)

	s.mu.Lock()
	last, fits, superseded := s.last, s.exp.fits, s.superseded
	s.mu.Unlock()
	fmt.Printf("explore: stopped by %s after %d fits (%d superseded) and %d drawings\n",
		reason, fits-1, superseded, s.drawings)
	v := newPanelView(s.a.ID, false, last, s.draw,
		"Stopped by "+reason+". Run the cell again to explore.")
	v.Drawing = s.drawing
	return show(s.a.ID, v)
}

// inputs are the page's messages.
type inputs struct {
	choice, canvas, stop <-chan string
}

// run serves the page's messages until stop, the end of ctx or idle
// without a message, and returns which of them ended it. The fits run on
// a goroutine of their own, which has returned when run returns.
func (s *session) run(ctx context.Context, in inputs, idle time.Duration) string {
	fctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.fitter(fctx)
	}()
	defer func() {
		cancel()
		<-done
	}()
	timer := time.NewTimer(idle)
	defer timer.Stop()
	for {
		select {
		case v := <-in.choice:
			now := time.Now()
			r, err := parseChoice(v)
			if err != nil {
				s.page.send(message{Target: "progress", Seq: r.Seq, HTML: errorHTML(err)})
				break
			}
			s.mail.put(r, now)
		case v := <-in.canvas:
			s.stroke(v, time.Now())
		case <-in.stop:
			return "the Stop button"
		case <-ctx.Done():
			return "an interrupt"
		case <-timer.C:
			return fmt.Sprintf("%.0f minutes without input", idle.Minutes())
		}
		timer.Reset(idle)
	}
}

// fitter fits the requests of the mailbox, newest first, until ctx ends. A
// fit is abandoned at the end of an epoch once a newer request is waiting
// or ctx has ended.
func (s *session) fitter(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.mail.wake:
		}
		l, ok := s.mail.take()
		if !ok {
			continue
		}
		stop := func() bool { return s.mail.superseded(l.Seq) }
		r, err := s.exp.fit(ctx, l.Choice, stop, s.progress(l))
		if errors.Is(err, ErrSuperseded) {
			s.mu.Lock()
			s.superseded++
			s.mu.Unlock()
			continue
		}
		if err == nil {
			r.Seq = l.Seq
			var h string
			if h, err = render("fit", r); err == nil {
				s.mu.Lock()
				s.last = r
				s.mu.Unlock()
				s.page.send(message{Target: "fit", Seq: l.Seq, HTML: h, Ms: msSince(l.received)})
				continue
			}
		}
		s.page.send(message{Target: "progress", Seq: l.Seq, HTML: errorHTML(err)})
	}
}

// progress returns the Progress hook of the fit of l: it shows a progress
// bar after every epoch once the fit has run for progressAfter, and on
// 50000 images from the start.
func (s *session) progress(l letter) func(softmax.Progress) {
	send := func(p softmax.Progress) {
		if h, err := render("progress", newProgressView(l.Choice, p)); err == nil {
			s.page.send(message{Target: "progress", Seq: l.Seq, HTML: h})
		}
	}
	if l.Choice.Size >= 50000 {
		send(softmax.Progress{})
	}
	return func(p softmax.Progress) {
		if l.Choice.Size >= 50000 || p.Elapsed >= progressAfter {
			send(p)
		}
	}
}

// stroke reads one message of the canvas and shows what the model makes of
// it. Messages older than the last one read are dropped.
func (s *session) stroke(v string, received time.Time) {
	st, err := parseStroke(v)
	if err != nil || st.Seq <= s.drawSeq {
		return
	}
	s.drawSeq = st.Seq
	view := emptyDraw()
	view.Seq = st.Seq
	s.drawing = ""
	if !st.Clear {
		r, err := s.rd.read(st.URL)
		switch {
		case errors.Is(err, drawing.ErrEmpty):
			view.Message = "The canvas has no ink: draw a digit."
		case err != nil:
			view.Message = "Cannot read the drawing: " + err.Error()
		default:
			view = newDrawView(st.Seq, r)
			s.drawing = template.URL(st.URL) // a PNG data URL: DecodeDataURL accepted it
		}
		s.drawings++
	}
	s.draw = view
	h, err := render("draw", view)
	if err != nil {
		return
	}
	s.page.send(message{Target: "draw", Seq: st.Seq, HTML: h, Ms: msSince(received)})
}

// errorHTML shows err in the panel.
func errorHTML(err error) string {
	return `<span class="sme-note" style="color:#b00">` + html.EscapeString(err.Error()) + `</span>`
}

// msSince returns the milliseconds since t.
func msSince(t time.Time) float64 {
	return float64(time.Since(t).Microseconds()) / 1000
}
