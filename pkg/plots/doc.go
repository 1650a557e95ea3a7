// Package plots draws the figures of the softmax-regression notebook with
// gonum/plot: the learned weight vectors as images (the original notebook's
// figure), grids of captioned digits, learning curves over training-set size,
// confusion matrices, training curves and the L1 regularisation path.
//
// Every figure is a function that returns the picture as a *Figure, a value
// that knows its encoding (Figure.Format) and implements io.WriterTo, like
// the one gonum/plot's Plot.WriterTo returns:
//
//	fig, err := plots.Weights(model.Coef, nil)                          // PNG, default size
//	fig, err = plots.Weights(model.Coef, &plots.Settings{Format: "svg"}) // SVG
//	_, err = fig.WriteTo(w)
//
// In a notebook, pkg/display shows the pair as it comes:
//
//	err := display.Figure(plots.Weights(model.Coef, nil))
//
// The inputs are plain Go and gonum types (mat.Matrix, slices), so the package
// does not depend on the model package. A nil or zero *Settings gives a PNG at
// 96 dots per inch in the figure's default size.
//
// # Images
//
// The 28x28 images (weights and digits) are drawn as images with
// nearest-neighbour sampling: each pixel of the digit is a crisp square of the
// same colour, with no interpolation blur and no seams. On raster outputs the
// image is also snapped to whole device pixels, so every square has the same
// size; on vector outputs (SVG, PDF) the embedded image is upscaled by a
// whole factor first, so viewers that smooth images still show sharp squares.
//
// # Colours
//
// The colour maps are matplotlib's ColorBrewer maps, sampled as matplotlib
// samples them (a 256-entry table, linear between the ColorBrewer anchors, bytes
// truncated), so a pixel has the colour the original notebook gives it.
// Greys maps low values to white and high values to black; RdBu maps low values
// to red and high values to blue.
//
// # Errors
//
// Bad input (wrong image size, empty data, mismatched lengths, NaN or infinite
// values, an unknown format) returns a nil *Figure and an error that names the
// parameter. Nothing in the package panics on data.
package plots
