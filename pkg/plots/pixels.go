package plots

import (
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Side is the width and height of an MNIST image in pixels; images are
// Side*Side values in row-major order.
const Side = 28

// vectorUpscale is the minimum size, in image pixels, to which a small image
// is upscaled (by a whole factor, nearest neighbour) before it is embedded in a
// vector figure, so that viewers that smooth images keep the squares sharp.
const vectorUpscale = 224

// valuesImage returns the rows x cols image of vals (row-major) under cm.
func valuesImage(vals []float64, rows, cols int, cm *colorMap) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, cols, rows))
	for r := range rows {
		for c := range cols {
			img.SetRGBA(c, r, cm.rgba(vals[r*cols+c]))
		}
	}
	return img
}

// upscale returns img with every pixel repeated k x k times.
func upscale(img *image.RGBA, k int) *image.RGBA {
	if k <= 1 {
		return img
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()*k, b.Dy()*k))
	for y := range out.Rect.Dy() {
		for x := range out.Rect.Dx() {
			out.SetRGBA(x, y, img.RGBAAt(b.Min.X+x/k, b.Min.Y+y/k))
		}
	}
	return out
}

// forVector returns img upscaled for a vector canvas, or img itself.
func forVector(c draw.Canvas, img *image.RGBA) image.Image {
	if _, raster := dpiOf(c); raster {
		return img
	}
	n := max(img.Rect.Dx(), img.Rect.Dy())
	return upscale(img, (vectorUpscale+n-1)/n)
}

// fitSquares returns the largest rectangle centred in r in which img (cols x
// rows pixels) is drawn with square pixels. On a raster canvas the rectangle
// is snapped to whole device pixels and every image pixel covers the same
// whole number of device pixels (at least one).
func fitSquares(c draw.Canvas, r vg.Rectangle, cols, rows int) vg.Rectangle {
	w, h := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
	cx, cy := (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2
	dpi, raster := dpiOf(c)
	if !raster {
		k := min(w/vg.Length(cols), h/vg.Length(rows))
		hw, hh := k*vg.Length(cols)/2, k*vg.Length(rows)/2
		return vg.Rectangle{Min: vg.Point{X: cx - hw, Y: cy - hh}, Max: vg.Point{X: cx + hw, Y: cy + hh}}
	}
	k := math.Floor(math.Min(w.Dots(dpi)/float64(cols), h.Dots(dpi)/float64(rows)))
	k = math.Max(k, 1)
	wd, hd := k*float64(cols), k*float64(rows)
	x0 := math.Round(cx.Dots(dpi) - wd/2)
	y0 := math.Round(cy.Dots(dpi) - hd/2)
	toLen := func(d float64) vg.Length { return vg.Length(d / dpi * vg.Inch.Points()) }
	return vg.Rectangle{
		Min: vg.Point{X: toLen(x0), Y: toLen(y0)},
		Max: vg.Point{X: toLen(x0 + wd), Y: toLen(y0 + hd)},
	}
}

// drawPanel draws a Side x Side image as the panel of a grid in the tile r:
// the image with square pixels (fitSquares) and a frame in r less capH at
// the bottom, and caption, unless it is "", centred under the image in sty.
// It returns the rectangle of the image.
func drawPanel(c draw.Canvas, r vg.Rectangle, capH vg.Length, img *image.RGBA, caption string, sty draw.TextStyle) vg.Rectangle {
	r.Min.Y += capH
	r = fitSquares(c, r, Side, Side)
	c.DrawImage(r, forVector(c, img))
	drawFrame(c, r)
	if caption != "" {
		c.FillText(sty, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: r.Min.Y - 3}, caption)
	}
	return r
}

// drawFrame strokes a thin black frame just outside r. On a raster canvas
// the frame is one device pixel wide and covers exactly the ring of pixels
// around r, so it is sharp and does not overlap the image.
func drawFrame(c draw.Canvas, r vg.Rectangle) {
	width := vg.Length(0.8)
	if dpi, raster := dpiOf(c); raster {
		width = vg.Length(vg.Inch.Points() / dpi)
	}
	d := width / 2
	r = vg.Rectangle{
		Min: vg.Point{X: r.Min.X - d, Y: r.Min.Y - d},
		Max: vg.Point{X: r.Max.X + d, Y: r.Max.Y + d},
	}
	c.SetLineStyle(draw.LineStyle{Color: color.Black, Width: width})
	var p vg.Path
	p.Move(r.Min)
	p.Line(vg.Point{X: r.Max.X, Y: r.Min.Y})
	p.Line(r.Max)
	p.Line(vg.Point{X: r.Min.X, Y: r.Max.Y})
	p.Close()
	c.Stroke(p)
}

// imagePlotter is a plot.Plotter that draws an image over a data rectangle
// with nearest-neighbour sampling (unlike plotter.Image on gonum's default
// raster canvas, which samples bilinearly and blurs small images).
type imagePlotter struct {
	img                    *image.RGBA
	xmin, xmax, ymin, ymax float64
}

var (
	_ plot.Plotter    = (*imagePlotter)(nil)
	_ plot.DataRanger = (*imagePlotter)(nil)
)

// Plot implements plot.Plotter.
func (ip *imagePlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	r := vg.Rectangle{
		Min: vg.Point{X: trX(ip.xmin), Y: trY(ip.ymin)},
		Max: vg.Point{X: trX(ip.xmax), Y: trY(ip.ymax)},
	}
	c.DrawImage(r, forVector(c, ip.img))
}

// DataRange implements plot.DataRanger.
func (ip *imagePlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return ip.xmin, ip.xmax, ip.ymin, ip.ymax
}
