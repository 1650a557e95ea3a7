package preprocess

import "fmt"

// SplitSeed is the seed the port uses for the train/test split. The
// original notebook calls train_test_split without a random_state, so its
// split is not reproducible; the port uses 0, the seed of the notebook's
// shuffle, which is also the random_state of the project's scikit-learn
// reference runs.
const SplitSeed = 0

// TrainTestSplit returns the row indices of a random train/test split of n
// rows with scikit-learn's ShuffleSplit convention, which
// train_test_split(..., train_size=trainSize, test_size=testSize,
// random_state=seed) uses for integer sizes: with
// perm = RandomState(seed).Permutation(n),
//
//	test  = perm[:testSize]
//	train = perm[testSize : testSize+trainSize]
//
// so train and test are disjoint and in permutation order, not sorted. To
// reproduce "X = X[p]; train_test_split(X, ...)" map the indices through p:
// the original rows are p[train[i]] and p[test[i]].
//
// It returns an error naming the parameter if n, trainSize or testSize is
// not positive or if trainSize+testSize > n.
func TrainTestSplit(n, trainSize, testSize int, seed uint32) (train, test []int, err error) {
	switch {
	case n <= 0:
		return nil, nil, fmt.Errorf("preprocess: n=%d must be positive", n)
	case trainSize <= 0:
		return nil, nil, fmt.Errorf("preprocess: trainSize=%d must be positive", trainSize)
	case testSize <= 0:
		return nil, nil, fmt.Errorf("preprocess: testSize=%d must be positive", testSize)
	case trainSize > n-testSize:
		return nil, nil, fmt.Errorf("preprocess: trainSize=%d plus testSize=%d exceeds n=%d", trainSize, testSize, n)
	}
	perm := NewRandomState(seed).Permutation(n)
	return perm[testSize : testSize+trainSize : testSize+trainSize], perm[:testSize:testSize], nil
}
