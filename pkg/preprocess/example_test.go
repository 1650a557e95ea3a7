package preprocess_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/preprocess"
)

func ExampleRandomState_Permutation() {
	// numpy: np.random.RandomState(0).permutation(10)
	r := preprocess.NewRandomState(0)
	fmt.Println(r.Permutation(10))
	// Output:
	// [2 8 4 9 1 6 7 3 0 5]
}

func ExampleRandomState_Uint32() {
	// The first outputs of MT19937 seeded as numpy.random.RandomState(0).
	r := preprocess.NewRandomState(0)
	for range 3 {
		fmt.Println(r.Uint32())
	}
	// Output:
	// 2357136044
	// 2546248239
	// 3071714933
}

func ExampleTrainTestSplit() {
	// The notebook's protocol: shuffle the rows with seed 0, then split the
	// shuffled rows with the port's SplitSeed, as scikit-learn does with
	//   p = check_random_state(0).permutation(10)
	//   train_test_split(np.arange(10)[p], train_size=6, test_size=3, random_state=0)
	// which gives [5 8 7 3 9 2] and [4 0 1] (scikit-learn 1.2.1).
	const n = 10
	shuffle := preprocess.NewRandomState(0).Permutation(n)
	train, test, err := preprocess.TrainTestSplit(n, 6, 3, preprocess.SplitSeed)
	if err != nil {
		fmt.Println(err)
		return
	}
	rows := func(idx []int) []int {
		out := make([]int, len(idx))
		for i, k := range idx {
			out[i] = shuffle[k]
		}
		return out
	}
	fmt.Println("train positions:", train, "original rows:", rows(train))
	fmt.Println("test positions: ", test, "original rows:", rows(test))

	_, _, err = preprocess.TrainTestSplit(n, 8, 3, preprocess.SplitSeed)
	fmt.Println(err)
	// Output:
	// train positions: [9 1 6 7 3 0] original rows: [5 8 7 3 9 2]
	// test positions:  [2 8 4] original rows: [4 0 1]
	// preprocess: trainSize=8 plus testSize=3 exceeds n=10
}

func ExampleStandardScaler() {
	x := mat.NewDense(4, 3, []float64{
		0, 1, 7,
		0, 3, 7,
		2, 5, 7,
		2, 7, 7,
	})
	var s preprocess.StandardScaler
	s.Fit(x)
	fmt.Println("mean: ", s.Mean)
	fmt.Println("var:  ", s.Var)
	fmt.Println("scale:", s.Scale) // the constant column gets scale 1

	var z mat.Dense
	s.Transform(&z, x)
	fmt.Printf("z =\n%.4f\n", mat.Formatted(&z, mat.Squeeze()))
	// Output:
	// mean:  [1 4 7]
	// var:   [1 5 0]
	// scale: [1 2.23606797749979 1]
	// z =
	// ⎡-1.0000  -1.3416  0.0000⎤
	// ⎢-1.0000  -0.4472  0.0000⎥
	// ⎢ 1.0000   0.4472  0.0000⎥
	// ⎣ 1.0000   1.3416  0.0000⎦
}

func ExampleStandardScaler_FitPixels() {
	// Three 4-pixel images, row-major uint8 as in mnist.Set.Images. Pixel 0
	// is always 0 and pixel 2 always 255: both are constant and get scale 1.
	// scikit-learn 1.2.1 gives the same mean_, scale_ and transform.
	pix := []uint8{
		0, 0, 255, 10,
		0, 128, 255, 20,
		0, 255, 255, 60,
	}
	var s preprocess.StandardScaler
	s.FitPixels(pix, 4)
	fmt.Printf("mean:  %.4f\n", s.Mean)
	fmt.Printf("scale: %.4f\n", s.Scale)

	var z mat.Dense
	s.TransformPixels(&z, pix)
	fmt.Printf("z =\n%.4f\n", mat.Formatted(&z, mat.Squeeze()))
	// Output:
	// mean:  [0.0000 127.6667 255.0000 30.0000]
	// scale: [1.0000 104.1036 1.0000 21.6025]
	// z =
	// ⎡0.0000  -1.2263  0.0000  -0.9258⎤
	// ⎢0.0000   0.0032  0.0000  -0.4629⎥
	// ⎣0.0000   1.2231  0.0000   1.3887⎦
}
