package softmax

import (
	"fmt"
	"slices"
)

// ClassIndex returns the index in classes of each label of y: the class
// indices that Loss and Gradient take. With a fitted model's Classes it
// maps labels to rows of Coef, as Fit does; Classes[idx[i]] is y[i]. The
// classes must be distinct. ClassIndex returns an error naming the first
// label of y that is not one of classes. Cost O(len(y) + len(classes)).
func ClassIndex(y, classes []int) (idx []int, err error) {
	idx, bad := classIndex(y, classes)
	if bad >= 0 {
		return nil, fmt.Errorf("softmax: y[%d] = %d is not one of the classes %v", bad, y[bad], classes)
	}
	return idx, nil
}

// classIndex returns the index in classes of each label of y and -1, or
// nil and the position of the first label that is not one of classes.
func classIndex(y, classes []int) (idx []int, bad int) {
	index := make(map[int]int, len(classes))
	for i, c := range classes {
		index[c] = i
	}
	idx = make([]int, len(y))
	for i, v := range y {
		c, ok := index[v]
		if !ok {
			return nil, i
		}
		idx[i] = c
	}
	return idx, -1
}

// encodeLabels returns the sorted distinct labels of y and the class index
// of each label, or an error for a negative label or a single class.
func encodeLabels(y []int) (classes, idx []int, err error) {
	seen := make(map[int]bool)
	for i, v := range y {
		if v < 0 {
			return nil, nil, fmt.Errorf("softmax: y[%d] = %d: labels must be non-negative", i, v)
		}
		if !seen[v] {
			seen[v] = true
			classes = append(classes, v)
		}
	}
	if len(classes) < 2 {
		return nil, nil, fmt.Errorf("softmax: y has a single class (%d): need at least 2", classes[0])
	}
	slices.Sort(classes)
	idx, _ = classIndex(y, classes)
	return classes, idx, nil
}
