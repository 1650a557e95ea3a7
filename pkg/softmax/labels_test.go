package softmax

import (
	"slices"
	"strings"
	"testing"
)

// TestClassIndex checks the one label encoding of the package: the index
// of each label in the classes, whatever their order, and an error naming
// a label that is not one of them (the test data's labels {2, 4, 9} as
// Fit sorts them, and a reordering).
func TestClassIndex(t *testing.T) {
	y := []int{9, 2, 4, 4, 9, 2}
	for _, tc := range []struct {
		classes, want []int
	}{
		{[]int{2, 4, 9}, []int{2, 0, 1, 1, 2, 0}},
		{[]int{9, 4, 2}, []int{0, 2, 1, 1, 0, 2}},
	} {
		got, err := ClassIndex(y, tc.classes)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ClassIndex(%v, %v) = %v, %v; want %v", y, tc.classes, got, err, tc.want)
		}
	}
	if _, err := ClassIndex([]int{2, 7}, []int{2, 4, 9}); err == nil || !strings.Contains(err.Error(), "y[1] = 7") {
		t.Errorf("unknown label: err = %v, want it to name y[1] = 7", err)
	}
}
