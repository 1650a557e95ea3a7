// Package preprocess provides the data preparation steps of the MNIST
// softmax notebook, each bit-compatible with the Python library that the
// original notebook used.
//
// # Standardisation
//
// StandardScaler follows scikit-learn's sklearn.preprocessing.StandardScaler:
// it learns the per-feature mean and the population variance (ddof=0), sets
// the scale of a feature to its standard deviation, and replaces the scale of
// a constant feature by 1 so that the feature maps to exactly 0. Fit and
// Transform work on gonum matrices; FitPixels and TransformPixels work
// directly on rows of uint8 pixels, so the 70000x784 MNIST images never need
// a second, float64 copy just to learn the statistics. The fitted Mean and
// Scale are exported so that a model can fold the standardisation into its
// weights instead of materialising standardised data.
//
// # Random permutations
//
// RandomState is numpy's legacy generator numpy.random.RandomState: the
// 32-bit Mersenne Twister MT19937 seeded with init_genrand, with numpy's
// masked rejection sampling for bounded integers and its Fisher-Yates
// shuffle that runs from the end of the array. For the same integer seed,
// RandomState(seed).Permutation(n) returns exactly the values of
// numpy.random.RandomState(seed).permutation(n), which is what
// sklearn.utils.check_random_state(seed).permutation(n) uses.
//
// # Train/test split
//
// TrainTestSplit selects rows with the convention of scikit-learn's
// ShuffleSplit, the machinery behind train_test_split with integer sizes:
// the test rows are the first testSize entries of the seeded permutation and
// the training rows are the trainSize entries that follow. Shuffling with one
// seed and splitting with another therefore selects the same rows as
// scikit-learn does for the same seeds.
//
// # The split seed
//
// The original notebook shuffles the 70000 images with a fixed seed (0) but
// calls train_test_split without a random_state, so its split cannot be
// reproduced. The port fixes the split seed to SplitSeed = 0, the same value
// as the shuffle, and the reference figures of the project were measured with
// scikit-learn's train_test_split(..., random_state=0). With both seeds 0 the
// port's 50000 training and 10000 test rows are exactly scikit-learn's.
//
// # Errors
//
// Following gonum, programmer errors panic with a "preprocess: " message:
// shape mismatches, an unfitted scaler, a negative permutation length, and
// fitting on no rows (the signatures of Fit and FitPixels have no error,
// and an empty training set is a bug in the caller). Invalid split sizes,
// which come from user settings, are returned as errors by TrainTestSplit.
package preprocess
