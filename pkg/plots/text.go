package plots

import (
	"image/color"
	"math"
	"strings"

	stdfnt "golang.org/x/image/font"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgpdf"
)

// Font sizes in points, after matplotlib's defaults (10 pt text, 12 pt titles).
const (
	titleSize = 12
	labelSize = 10
	tickSize  = 9
)

// textStyle returns a plain black text style of the given size in gonum's
// default font (Liberation Serif).
func textStyle(size vg.Length) draw.TextStyle {
	return draw.TextStyle{
		Color:   color.Black,
		Font:    font.From(plot.DefaultFont, size),
		Handler: plot.DefaultTextHandler,
	}
}

// titleStyle returns the style for the title txt: mathText if txt has a pair
// of $ signs, plain otherwise.
func titleStyle(txt string, size vg.Length) draw.TextStyle {
	sty := textStyle(size)
	if strings.Count(txt, "$") >= 2 {
		sty.Handler = mathText{Fonts: font.DefaultCache}
	}
	return sty
}

// titleHeight returns the height that drawTitle takes for title, 0 for no
// title.
func titleHeight(title string) vg.Length {
	if title == "" {
		return 0
	}
	return titleStyle(title, titleSize).Height(title) + 10
}

// drawTitle writes title, if it is not "", centred across c with its top at
// y, and returns the y below it: y less titleHeight(title).
func drawTitle(c draw.Canvas, title string, y vg.Length) vg.Length {
	if title == "" {
		return y
	}
	ts := titleStyle(title, titleSize)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
	c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: y}, title)
	return y - titleHeight(title)
}

// newPlot returns a new plot whose text sizes follow matplotlib's defaults.
func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle = titleStyle(title, titleSize)
	p.Title.TextStyle.XAlign = draw.XCenter
	p.Title.TextStyle.YAlign = draw.YTop
	p.Title.Padding = 6
	p.X.Label.TextStyle.Font.Size = labelSize
	p.Y.Label.TextStyle.Font.Size = labelSize
	p.X.Tick.Label.Font.Size = tickSize
	p.Y.Tick.Label.Font.Size = tickSize
	p.Legend.TextStyle.Font.Size = tickSize
	p.X.Tick.Marker = niceTicks{}
	p.Y.Tick.Marker = niceTicks{}
	return p
}

// mathText is a text.Handler for text with inline math between $ signs, the
// subset that figure titles need: in math, letters are italic, x_j and
// x_{ij} are subscripts and x^2 and x^{ij} superscripts (70% size, shifted);
// other characters are upright. Outside math the text is plain. gonum's own
// text.Latex handler (go-latex v0.2.0) cannot be used for the default title of
// Weights: it rejects subscripts ("unknown ast node *ast.Sub").
//
// Text that is not well formed (an odd number of $, an unclosed brace) is
// drawn as plain text; mathText never panics on its input.
type mathText struct {
	Fonts *font.Cache
}

var _ text.Handler = mathText{}

// run is a piece of text set in one font at one baseline.
type run struct {
	s      string
	italic bool
	shift  int // -1 subscript, 0 baseline, +1 superscript
}

// parseMath splits txt into runs. It returns one plain run if txt is not
// well formed.
func parseMath(txt string) []run {
	plain := []run{{s: txt}}
	if strings.Count(txt, "$")%2 != 0 {
		return plain
	}
	var runs []run
	add := func(s string, italic bool, shift int) {
		if s == "" {
			return
		}
		if n := len(runs); n > 0 && runs[n-1].italic == italic && runs[n-1].shift == shift {
			runs[n-1].s += s
			return
		}
		runs = append(runs, run{s: s, italic: italic, shift: shift})
	}
	isLetter := func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
	parts := strings.Split(txt, "$")
	for i, part := range parts {
		if i%2 == 0 {
			add(part, false, 0)
			continue
		}
		rs := []rune(part)
		for j := 0; j < len(rs); j++ {
			r := rs[j]
			if r != '_' && r != '^' {
				add(string(r), isLetter(r), 0)
				continue
			}
			shift := -1
			if r == '^' {
				shift = 1
			}
			j++
			if j >= len(rs) {
				return plain
			}
			arg := []rune{rs[j]}
			if rs[j] == '{' {
				end := j + 1
				for end < len(rs) && rs[end] != '}' {
					end++
				}
				if end >= len(rs) {
					return plain
				}
				arg = rs[j+1 : end]
				j = end
			}
			for _, a := range arg {
				add(string(a), isLetter(a), shift)
			}
		}
	}
	return runs
}

// face returns the font face of r in the base font fnt; upright only drops
// the italic style.
func (h mathText) face(r run, fnt font.Font, upright bool) font.Face {
	f := fnt
	if r.italic && !upright {
		f.Style = stdfnt.StyleItalic
	}
	if r.shift != 0 {
		f.Size = fnt.Size * 0.7
	}
	return h.Fonts.Lookup(f, f.Size)
}

// Cache implements text.Handler.
func (h mathText) Cache() *font.Cache { return h.Fonts }

// Extents implements text.Handler.
func (h mathText) Extents(fnt font.Font) font.Extents {
	f := h.Fonts.Lookup(fnt, fnt.Size)
	return f.Extents()
}

// Lines implements text.Handler.
func (h mathText) Lines(txt string) []string {
	return strings.Split(strings.TrimRight(txt, "\n"), "\n")
}

// Box implements text.Handler.
func (h mathText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	for _, r := range parseMath(txt) {
		f := h.face(r, fnt, false)
		width += f.Width(r.s)
	}
	e := h.Extents(fnt)
	return width, e.Ascent, e.Descent
}

// Draw implements text.Handler, as text.Plain does.
func (h mathText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if txt == "" {
		return
	}
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
		defer c.Pop()
	}
	sin, cos := math.Sincos(sty.Rotation)
	pt.X, pt.Y = pt.Y*vg.Length(sin)+pt.X*vg.Length(cos), pt.Y*vg.Length(cos)-pt.X*vg.Length(sin)

	// gonum's PDF canvas (v0.17.0) registers a font under its plain style
	// but selects it with "I", so italic text fails when the PDF is
	// written ("undefined font: liberationserif-italic I"): set math
	// upright there.
	_, upright := baseCanvas(c).(*vgpdf.Canvas)

	lines := h.Lines(txt)
	pt.Y += sty.Height(txt)*vg.Length(sty.YAlign) - h.Extents(sty.Font).Ascent
	for i, line := range lines {
		w, _, _ := h.Box(line, sty.Font)
		x := pt.X + vg.Length(sty.XAlign)*w
		y := pt.Y + vg.Length(len(lines)-i)*sty.Font.Size
		for _, r := range parseMath(line) {
			f := h.face(r, sty.Font, upright)
			// Draw each run without its outer spaces, moved by the
			// width of the leading ones: SVG viewers drop leading and
			// trailing spaces of a text element, which would shift the
			// next run.
			body := strings.TrimLeft(r.s, " ")
			lead := f.Width(r.s[:len(r.s)-len(body)])
			body = strings.TrimRight(body, " ")
			if body != "" {
				c.FillString(f, vg.Point{X: x + lead, Y: y + vg.Length(r.shift)*0.3*sty.Font.Size}, body)
			}
			x += f.Width(r.s)
		}
	}
}

// baseCanvas returns the canvas under the draw.Canvas wrappers of c.
func baseCanvas(c vg.Canvas) vg.Canvas {
	for {
		switch dc := c.(type) {
		case *draw.Canvas:
			c = dc.Canvas
		case draw.Canvas:
			c = dc.Canvas
		default:
			return c
		}
	}
}
