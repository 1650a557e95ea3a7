// Package cache keeps values that take seconds to compute, such as fitted
// models and prepared data, in files on disk, so that a notebook cell run
// after a kernel restart gets them back in milliseconds.
//
// A Store is a directory of entries. Each entry is one file, named by the
// caller, that holds a value's binary encoding (encoding.BinaryMarshaler)
// together with its Key: the list of everything that determined the value
// (the data's checksums, the settings, the version of the code and of the
// file format). Store.Get returns the stored value when the entry's Key
// equals the one asked for, and otherwise computes it and stores it:
//
//	var m softmax.Model
//	err := store.Get(name, key, &m, func() error {
//		fitted, err := softmax.Fit(x, y, s)
//		if err == nil {
//			m = *fitted
//		}
//		return err
//	})
//
// # Stale and corrupt entries
//
// An entry whose Key differs from the one asked for is stale (the code or
// the data changed since it was written); one that is truncated, fails its
// CRC-32 or does not decode is corrupt. Get reports either in one line to
// Store.Log, naming the entry and what changed, computes the value again and
// replaces the entry. It never panics on a file's content, and a cache that
// cannot be read or written only costs the time of computing: the value is
// still returned.
//
// # Files
//
// The default directory is $SOFTMAX_MNIST_CACHE if it is set, else
// softmax-mnist/results in the user's cache directory (os.UserCacheDir:
// $XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS). An entry
// is written to a temporary file in the same directory and renamed into
// place, so readers, and writers racing to store the same value from
// several processes, see either a complete entry or none; it is not synced
// to the disk, since a file damaged by a crash fails its checksum and is
// computed again. Clear, or "go run ./scripts/cache -clear" in the
// repository, removes the entries and nothing else.
package cache
