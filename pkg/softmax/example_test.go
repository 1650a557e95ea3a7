package softmax_test

import (
	"fmt"
	"log"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// Fit the notebook's model, LogisticRegression(C=1e5,
// multi_class='multinomial', penalty='l2', solver='sag', tol=0.1), on a
// small problem with three classes of 2-d points.
func Example() {
	x := mat.NewDense(9, 2, []float64{
		2, 0, 2.5, 0.5, 3, -0.5, // class 0: right
		0, 2, 0.5, 2.5, -0.5, 3, // class 1: up
		-2, -2, -2.5, -2, -3, -2.5, // class 2: bottom left
	})
	y := []int{0, 0, 0, 1, 1, 1, 2, 2, 2}
	m, err := softmax.Fit(softmax.Dense(x), y, &softmax.Settings{C: 1e5, Solver: softmax.SAG, Tol: 0.1, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	test := mat.NewDense(2, 2, []float64{4, 0.5, -1, -4})
	fmt.Println("classes:", m.Classes)
	fmt.Println("predict:", m.Predict(softmax.Dense(test)))
	fmt.Println("train accuracy:", m.Score(softmax.Dense(x), y))
	// Output:
	// classes: [0 1 2]
	// predict: [0 2]
	// train accuracy: 1
}

// Fit on uint8 pixels standardised on the fly: the two middle features vary,
// the last is 0 in every sample and keeps weights of exactly 0.
func ExamplePixels() {
	pix := []uint8{
		0, 200, 10, 0,
		0, 180, 30, 0,
		0, 20, 220, 0,
		0, 10, 240, 0,
	}
	y := []int{3, 3, 7, 7}
	mean := []float64{0, 102.5, 125, 0}
	scale := []float64{1, 92.5, 105, 1} // population standard deviations; 1 for constant features
	m, err := softmax.Fit(softmax.Pixels(pix, 4, mean, scale), y, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("classes:", m.Classes)
	fmt.Println("zero weights:", m.Coef.At(0, 3), m.Coef.At(1, 3))
	fmt.Printf("sparsity: %.0f%%\n", m.Sparsity())
	// Output:
	// classes: [3 7]
	// zero weights: 0 0
	// sparsity: 50%
}
