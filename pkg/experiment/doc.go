// Package experiment prepares MNIST exactly as Notebook 7 does before it fits
// a model: load the 70000 images, shuffle them with numpy's
// RandomState(0).permutation, split them with scikit-learn's ShuffleSplit
// convention and fit a StandardScaler on the training half.
//
// The original notebook calls train_test_split without a random_state, so
// its split cannot be reproduced; the port uses preprocess.SplitSeed (0).
// With the default Settings, Prepare selects exactly the rows that
//
//	X = X[check_random_state(0).permutation(70000)]
//	train_test_split(X, y, train_size=50000, test_size=10000, random_state=0)
//
// selects in scikit-learn, and its Scaler holds the mean and scale that
// StandardScaler().fit(X_train) computes.
//
// The notebooks, scripts/bench and the figure generators share this one
// implementation; the port notebook spells the same steps out cell by cell.
package experiment
