package plots_test

import (
	"bytes"
	"fmt"
	"image/png"
	"log"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/plots"
)

// size prints the pixel size of a PNG figure.
func size(f *plots.Figure) {
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		log.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%dx%d %s\n", img.Bounds().Dx(), img.Bounds().Dy(), f.Format())
}

// The weights figure of the original notebook, here with synthetic weights:
// class i is a ring of radius 3+i pixels.
func ExampleWeights() {
	coef := mat.NewDense(10, 784, nil)
	for i := range 10 {
		for r := range 28 {
			for c := range 28 {
				d := math.Hypot(float64(r)-13.5, float64(c)-13.5)
				coef.Set(i, r*28+c, math.Exp(-(d-3-float64(i))*(d-3-float64(i))/4)-0.3)
			}
		}
	}
	greys, err := plots.Weights(coef, nil) // Greys, as the original
	if err != nil {
		log.Fatal(err)
	}
	size(greys)

	rdbu, err := plots.Weights(coef, &plots.Settings{ColorMap: plots.RdBu}) // with a colour bar
	if err != nil {
		log.Fatal(err)
	}
	size(rdbu)
	// Output:
	// 864x432 png
	// 931x432 png
}

func ExampleDigits() {
	img := make([]uint8, 784)
	for r := 4; r < 24; r++ {
		img[r*28+14] = 255 // a "1"
	}
	digits := []plots.Digit{
		{Pixels: img, Caption: plots.Caption(1, 7, 0.62)},
		{Pixels: img, Caption: "label 1"},
	}
	f, err := plots.Digits(digits, &plots.Settings{Title: "misclassified"})
	if err != nil {
		log.Fatal(err)
	}
	size(f)
	fmt.Println(digits[0].Caption)
	// Output:
	// 323x220 png
	// true 1 → pred 7 (p=0.62)
}

func ExampleConfusionMatrix() {
	counts := [][]int{
		{950, 20, 30},
		{10, 980, 10},
		{40, 5, 955},
	}
	f, err := plots.ConfusionMatrix(counts, nil)
	if err != nil {
		log.Fatal(err)
	}
	size(f)
	// Output:
	// 528x480 png
}

func ExampleLearningCurve() {
	pts := []plots.LearningPoint{
		{Size: 500, Test: []float64{0.80, 0.82, 0.81}, Train: []float64{1, 1, 1}},
		{Size: 5000, Test: []float64{0.87, 0.88, 0.875}, Train: []float64{0.95, 0.96, 0.955}},
		{Size: 50000, Test: []float64{0.90, 0.901, 0.899}, Train: []float64{0.93, 0.931, 0.93}},
	}
	f, err := plots.LearningCurve(pts, &plots.Settings{Format: "svg"})
	if err != nil {
		log.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil { // or a file, an HTTP response
		log.Fatal(err)
	}
	fmt.Println(f.Format(), bytes.HasPrefix(b.Bytes(), []byte("<?xml")))
	// Output:
	// svg true
}

func ExampleTrainingCurve() {
	// Collect the history from the model's progress hook, for example
	//  Progress: func(p softmax.Progress) { h.Iter = append(h.Iter, p.Iter); h.Loss = append(h.Loss, p.Loss) }
	h := plots.History{
		Iter: []int{1, 2, 3, 4, 5},
		Loss: []float64{1.0, 0.51, 0.43, 0.39, 0.37},
	}
	f, err := plots.TrainingCurve(h, nil)
	if err != nil {
		log.Fatal(err)
	}
	size(f)
	// Output:
	// 576x336 png
}

func ExampleRegularizationPath() {
	pts := []plots.PathPoint{
		{C: 0.001, Accuracy: 0.11, Sparsity: 100},
		{C: 0.01, Accuracy: 0.83, Sparsity: 68},
		{C: 0.1, Accuracy: 0.87, Sparsity: 35},
		{C: 1, Accuracy: 0.87, Sparsity: 18},
	}
	f, err := plots.RegularizationPath(pts, nil)
	if err != nil {
		log.Fatal(err)
	}
	size(f)
	// Output:
	// 576x528 png
}

func ExampleWeights_error() {
	f, err := plots.Weights(mat.NewDense(10, 100, nil), nil)
	fmt.Println(f == nil, err)
	// Output:
	// true plots: coef has 100 columns, want 784 (28x28 images)
}
