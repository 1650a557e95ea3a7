package explore

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	"github.com/mlphys/softmax-mnist/pkg/drawing"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
	"github.com/mlphys/softmax-mnist/pkg/preprocess"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// reading is what the model makes of a drawing.
type reading struct {
	Pixels  []uint8   // the 28x28 MNIST image the model saw (drawing.Normalize)
	Proba   []float64 // the probability of each class, in the order of Classes
	Classes []int     // the model's classes (0 to 9)
	Pred    int       // the predicted class (the most probable)
	Seen    []byte    // Pixels as a PNG, white ink on black as on the canvas
}

// reader classifies drawings with a model fitted on standardised MNIST
// pixels and the scaler of its training images.
type reader struct {
	model  *softmax.Model
	scaler *preprocess.StandardScaler
}

// read decodes a canvas's PNG data URL, turns it into an MNIST image
// (drawing.Normalize, as LeCun's digits were made) and classifies it.
// It returns drawing's errors (a bad data URL; drawing.ErrEmpty for a
// canvas without ink).
func (r reader) read(dataURL string) (*reading, error) {
	img, err := drawing.DecodeDataURL(dataURL)
	if err != nil {
		return nil, err
	}
	pix, err := drawing.Normalize(img, nil)
	if err != nil {
		return nil, err
	}
	x := softmax.Pixels(pix, mnist.Pixels, r.scaler.Mean, r.scaler.Scale)
	p := r.model.PredictProba(x)
	out := &reading{Pixels: pix, Proba: make([]float64, len(r.model.Classes)), Classes: r.model.Classes}
	best := 0
	for k := range out.Proba {
		out.Proba[k] = p.At(0, k)
		if out.Proba[k] > out.Proba[best] {
			best = k
		}
	}
	out.Pred = r.model.Classes[best]
	var b bytes.Buffer
	gray := &image.Gray{Pix: pix, Stride: mnist.Cols, Rect: image.Rect(0, 0, mnist.Cols, mnist.Rows)}
	if err := png.Encode(&b, gray); err != nil {
		return nil, fmt.Errorf("explore: %w", err)
	}
	out.Seen = b.Bytes()
	return out, nil
}
