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
//
// # The cache
//
// Every GoNB cell runs as a new program, and a kernel restart forgets
// everything, so the notebooks keep their prepared data and fitted models
// on disk, in pkg/cache's default Store ($SOFTMAX_MNIST_CACHE, else
// softmax-mnist/results in the user's cache directory). Load is Prepare
// through that cache and Split.Fit is softmax.Fit through it:
//
//	sp, err := experiment.Load(nil)   // about 0.1 s from the cache, 0.5 s without
//	l2, err := sp.Fit(&softmax.Settings{C: 1e5, Penalty: softmax.L2, Solver: softmax.SAG, Tol: 0.1})
//	sub, err := sp.Subsample(5000, 0) // a subsample's models are cached too
//
// An entry is keyed by everything that determines it: the SHA-256 of the
// four MNIST files; the Settings (sizes, seeds), the subsamples and the
// softmax.Settings; the digest of the source code of the packages that
// compute it (pkg/mnist, pkg/preprocess and this package for the data,
// pkg/softmax with its internal packages and the versions of gonum and x/sys
// for a model) read through
// the program's debug information; the model file format; and the machine
// (GOARCH, the Go version, the CPU features that choose the assembly
// kernels). The name of an entry's file depends only on what the caller
// chose (the settings and subsamples), so an entry made stale by a change
// of code, data or machine is replaced, not kept beside the new one. A
// stale or corrupt entry is reported in one line on os.Stderr and computed
// again. cache.Clear() empties the cache, as does "go run ./scripts/cache
// -clear" in the repository.
package experiment
