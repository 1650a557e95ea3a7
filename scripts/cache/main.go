// Command cache shows or clears the cache of prepared data and fitted models
// that the notebooks use (pkg/cache's default Store, read and filled by
// experiment.Load and Split.Fit).
//
// Usage, from the repository:
//
//	go run ./scripts/cache          # the directory, its entries and their size
//	go run ./scripts/cache -clear   # remove the entries
//
// The directory is $SOFTMAX_MNIST_CACHE if it is set, else
// softmax-mnist/results in the user's cache directory (~/.cache on Linux).
// Clearing removes the entries only, never another file. The notebooks fill
// the cache again as they need it.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mlphys/softmax-mnist/pkg/cache"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cache", flag.ContinueOnError)
	fs.SetOutput(stderr)
	doClear := fs.Bool("clear", false, "remove the cache's entries")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "cache: unexpected argument %q (try -h)\n", fs.Arg(0))
		return 2
	}
	dir, err := cache.DefaultDir()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	n, size := count(dir)
	if *doClear {
		if err := cache.Clear(); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "cache: removed %d entries (%.1f MB) from %s\n", n, float64(size)/1e6, dir)
		return 0
	}
	fmt.Fprintf(stdout, "cache: %s: %d entries, %.1f MB\n", dir, n, float64(size)/1e6)
	return 0
}

// count returns the number of entries in dir and their total size.
func count(dir string) (n int, size int64) {
	list, _ := filepath.Glob(filepath.Join(dir, "*.cache"))
	for _, f := range list {
		if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
			n++
			size += st.Size()
		}
	}
	return n, size
}
