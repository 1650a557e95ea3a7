package mnist_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

func Example() {
	// Load(nil) tries $MNIST_DIR, the Go module cache, then the mirrors;
	// this example uses only the module cache.
	s, err := mnist.Load(&mnist.Options{Source: mnist.Module})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("images:", s.Len(), "pixels:", len(s.Images))
	fmt.Println("labels:", s.Counts())

	train, test, err := mnist.LoadSplit(&mnist.Options{Source: mnist.Module})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("train:", train.Len(), train.Counts())
	fmt.Println("test: ", test.Len(), test.Counts())
	fmt.Println("first labels:", train.Labels[:10], test.Labels[:10])

	// Output:
	// images: 70000 pixels: 54880000
	// labels: [6903 7877 6990 7141 6824 6313 6876 7293 6825 6958]
	// train: 60000 [5923 6742 5958 6131 5842 5421 5918 6265 5851 5949]
	// test:  10000 [980 1135 1032 1010 982 892 958 1028 974 1009]
	// first labels: [5 0 4 1 9 2 1 3 1 4] [7 2 1 0 4 1 4 9 5 9]
}

func ExampleReadSet() {
	// Any IDX files of 28x28 images, gzipped or not, from any io.Reader.
	// Here: an image file with no images and a label file with a bad label.
	images := []byte{0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28}
	labels := []byte{0, 0, 8, 1, 0, 0, 0, 1, 12}
	_, err := mnist.ReadSet(bytes.NewReader(images), bytes.NewReader(labels))
	fmt.Println(err)
	// Output:
	// mnist: label data: label out of range: label 12 at index 0, want 0..9
}
