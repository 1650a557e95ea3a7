// Package drawing turns a drawing of a digit, such as a browser canvas, into
// an MNIST image: 28x28 grey levels, the digit's bounding box scaled so that
// its larger side is 20 pixels and its centre of mass at pixel (14, 14).
//
// # MNIST's procedure
//
// LeCun, Cortes and Burges describe how MNIST's digits were made from NIST's
// black-and-white scans: "size normalized to fit in a 20x20 pixel box while
// preserving their aspect ratio. The resulting images contain grey levels as
// a result of the anti-aliasing technique used by the normalization
// algorithm. The images were centered in a 28x28 image by computing the
// center of mass of the pixels, and translating the image so as to position
// this point at the center of the 28x28 field."
//
// Measured on the real data (the pixel in row r and column c at (c, r), the
// centres of pixels at whole numbers): the larger side of the box of nonzero
// pixels is exactly 20 in 69984 of the 70000 images; the other 16 have 19
// and touch the last row or column, cut off there. On the 10000 test images
// the centre of mass averages (14.008, 13.993) and is spread about
// uniformly over [13.5, 14.5) on each axis (quantiles 1%, 5%, 95%, 99%:
// 13.51, 13.55, 14.45, 14.49); of the 140000 coordinates of all the images,
// 3 are exactly 13.5, none is 14.5 and 2 are just below 13.5 (13.480 and
// 13.494). So the field's centre is pixel (14, 14), and the digits were
// translated by whole pixels, which keeps the 20-pixel box on the pixel
// grid.
//
// Normalize does the same: the box of all pixels with any ink is scaled by
// exact area averaging (each output pixel is the mean ink over the area it
// covers, the anti-aliasing of a bilevel image and a box filter for a grey
// one), placed on the pixel grid and translated by the whole pixels that
// bring its centre of mass into [13.5, 14.5) on each axis. A digit of MNIST
// given to Normalize comes back unchanged, pixel for pixel: all 9997 test
// images whose box is 20 pixels (the other three are scaled from 19 to 20
// pixels and cut off again). With
// Settings.Subpixel the translation is fractional and the centre of mass
// lands on (14, 14) within 0.01 pixel, at the cost of slightly softer edges.
//
// # Ink
//
// The input is an image.Image read as MNIST reads its own pixels: ink is
// the luminance of the image over a black background, so white strokes on a
// black or transparent canvas are full ink and a transparent pixel is
// background. A drawing in black on white must be inverted first.
//
// # From a browser canvas
//
// A canvas drawn in white on a transparent background gives its drawing as
// a PNG data URL (canvas.toDataURL("image/png")); DecodeDataURL turns it
// into an image for Normalize:
//
//	img, err := drawing.DecodeDataURL(url)
//	...
//	pix, err := drawing.Normalize(img, nil) // 784 grey levels, as mnist.Set.Image
package drawing
