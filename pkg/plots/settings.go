package plots

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"strings"

	"git.sr.ht/~sbinet/gg"
	xdraw "golang.org/x/image/draw"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DefaultDPI is the resolution of raster output when Settings.DPI is zero.
const DefaultDPI = 96

// maxDots bounds the width and height of a raster figure in device pixels.
const maxDots = 16384

// Settings controls the output of a figure. A nil *Settings and the zero
// value give the defaults documented per field; fields that a figure does not
// use are ignored by it.
type Settings struct {
	// Format is the output format: "png" (the default when empty), "svg",
	// "pdf", "jpg" (or "jpeg") or "tif" (or "tiff"). Case is ignored. (EPS
	// is not offered: gonum's EPS canvas cannot draw images.) The figure
	// reports it as Figure.Format.
	Format string

	// Width and Height give the figure size (vg.Inch is 72 points). If both
	// are zero the figure's default size is used; if one of them is zero it is
	// chosen from the other with the figure's default aspect ratio.
	Width, Height vg.Length

	// DPI is the resolution of raster formats in dots per inch. If DPI is
	// zero, DefaultDPI is used.
	DPI int

	// Title replaces the figure's default title. Text between a pair of $
	// is set as simple inline math, as in WeightsTitle: letters italic, x_j
	// and x_{ij} subscripts, x^2 superscripts; a title with an odd number
	// of $ or an unclosed brace is drawn as plain text.
	Title string

	// ColorMap is the colour map of Weights; the zero value is Greys, the
	// original notebook's map.
	ColorMap ColorMap

	// ColorBar says whether Weights draws a colour bar; the zero value
	// (ColorBarAuto) draws one for every map except Greys, whose figure
	// mimics the original, which has none.
	ColorBar ColorBar

	// Columns is the number of panel columns of Weights and Digits. If
	// Columns is zero, Weights uses 5 (the original's 2x5 grid for ten
	// classes) and Digits uses min(5, number of digits).
	Columns int
}

// ColorBar says whether a figure draws a colour bar.
type ColorBar int

const (
	// ColorBarAuto lets the figure decide (see Settings.ColorBar).
	ColorBarAuto ColorBar = iota
	// ColorBarOn always draws the colour bar.
	ColorBarOn
	// ColorBarOff never draws the colour bar.
	ColorBarOff
)

// settings is a validated copy of Settings with defaults filled in.
type settings struct {
	Settings
	format string
	dpi    int
}

// check validates s and fills in the defaults that do not depend on the
// figure (format and resolution).
func (s *Settings) check() (settings, error) {
	var o settings
	if s != nil {
		o.Settings = *s
	}
	o.format = strings.ToLower(o.Format)
	switch o.format {
	case "":
		o.format = "png"
	case "png", "svg", "pdf", "tif", "tiff":
	case "jpg", "jpeg":
		o.format = "jpg"
	default:
		return o, fmt.Errorf("plots: Settings.Format %q is not one of png, svg, pdf, jpg, tif", o.Format)
	}
	if o.format == "tiff" {
		o.format = "tif"
	}
	for _, f := range []struct {
		name string
		v    vg.Length
	}{{"Width", o.Width}, {"Height", o.Height}} {
		if v := float64(f.v); math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return o, fmt.Errorf("plots: Settings.%s is %v, want a finite length >= 0", f.name, v)
		}
	}
	o.dpi = o.DPI
	switch {
	case o.dpi < 0:
		return o, fmt.Errorf("plots: Settings.DPI is %d, want >= 0", o.DPI)
	case o.dpi == 0:
		o.dpi = DefaultDPI
	}
	if o.Columns < 0 {
		return o, fmt.Errorf("plots: Settings.Columns is %d, want >= 0", o.Columns)
	}
	switch o.ColorMap {
	case Greys, RdBu, Blues:
	default:
		return o, fmt.Errorf("plots: Settings.ColorMap %d is not a known colour map", int(o.ColorMap))
	}
	switch o.ColorBar {
	case ColorBarAuto, ColorBarOn, ColorBarOff:
	default:
		return o, fmt.Errorf("plots: Settings.ColorBar %d is not a known mode", int(o.ColorBar))
	}
	return o, nil
}

// size returns the figure size for the default size defW x defH.
func (o *settings) size(defW, defH vg.Length) (w, h vg.Length) {
	w, h = o.Width, o.Height
	switch {
	case w == 0 && h == 0:
		w, h = defW, defH
	case w == 0:
		w = h * defW / defH
	case h == 0:
		h = w * defH / defW
	}
	return w, h
}

// grid returns the rows and columns of a grid of n panels: Columns columns,
// 5 if Columns is zero, but no more than n.
func (o *settings) grid(n int) (rows, cols int) {
	cols = o.Columns
	if cols == 0 {
		cols = 5
	}
	cols = min(cols, n)
	return (n + cols - 1) / cols, cols
}

// title returns the title of a figure whose default title is def.
func (o *settings) title(def string) string {
	if o.Title != "" {
		return o.Title
	}
	return def
}

// drawing is a canvas being drawn on, the writer that encodes it and the
// name of its format.
type drawing struct {
	draw.Canvas
	out    vg.CanvasWriterTo
	format string
}

// newDrawing returns an empty drawing of size w x h in the output format of
// o.
func (o *settings) newDrawing(w, h vg.Length) (*drawing, error) {
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("plots: figure size %vx%v is empty", w, h)
	}
	var (
		c  vg.CanvasWriterTo
		vc vg.CanvasSizer // what is drawn on: c itself, or the *vgimg.Canvas inside it
	)
	switch o.format {
	case "png", "jpg", "tif":
		dpi := float64(o.dpi)
		wd, hd := math.Round(w.Dots(dpi)), math.Round(h.Dots(dpi))
		if wd < 1 || hd < 1 || wd > maxDots || hd > maxDots {
			return nil, fmt.Errorf("plots: figure of %vx%v at Settings.DPI %d is %vx%v pixels, want 1 to %d per side", w, h, o.dpi, wd, hd, maxDots)
		}
		img := image.NewRGBA(image.Rect(0, 0, int(wd), int(hd)))
		// The context gg gives vgimg by default samples images bilinearly,
		// which blurs a 28x28 image scaled up to a panel; nearest-neighbour
		// keeps every source pixel a crisp square.
		ctx := gg.NewContextForRGBA(img)
		ctx.SetInterpolator(xdraw.NearestNeighbor)
		ctx.SetLineCapButt()
		ctx.InvertY()
		ic := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(o.dpi))
		vc = ic
		switch o.format {
		case "png":
			c = vgimg.PngCanvas{Canvas: ic}
		case "jpg":
			c = vgimg.JpegCanvas{Canvas: ic}
		default:
			c = vgimg.TiffCanvas{Canvas: ic}
		}
	case "svg":
		c = vgsvg.New(w, h)
	case "pdf":
		c = vgpdf.New(w, h)
	}
	if vc == nil {
		vc = c
	}
	return &drawing{Canvas: draw.New(vc), out: c, format: o.format}, nil
}

// encode encodes the drawing into a Figure. The canvases cannot be encoded
// twice (gonum's SVG and PDF writers consume their buffers), so a Figure
// keeps the bytes.
func (d *drawing) encode() (*Figure, error) {
	var b bytes.Buffer
	if _, err := d.out.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("plots: encoding %s: %w", d.format, err)
	}
	return &Figure{format: d.format, data: b.Bytes()}, nil
}

// newFigure is the body of every figure function: it draws the figure of
// in with build and encodes it.
func newFigure[T, G any](in T, s *Settings, build func(T, *Settings) (*drawing, G, error)) (*Figure, error) {
	d, _, err := build(in, s)
	if err != nil {
		return nil, err
	}
	return d.encode()
}

// dpiOf returns the resolution of c if it is a raster canvas.
func dpiOf(c draw.Canvas) (dpi float64, raster bool) {
	if vc, ok := c.Canvas.(*vgimg.Canvas); ok {
		return vc.DPI(), true
	}
	return 0, false
}
