package experiment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/mlphys/softmax-mnist/pkg/cache"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// store is the cache of Load and Split.Fit: the default directory of
// pkg/cache, problems reported to os.Stderr.
var store cache.Store

// origin says what made a Split's data, for the cache keys of its models.
// what is chosen by the caller (the Settings, the subsamples); env is what
// the code and the files bring (the MNIST files' checksums, the code's
// digest). A Split made by PrepareSet has none.
type origin struct {
	what, env cache.Key
}

// Load returns the split that Prepare(s) returns, from the cache of fitted
// models and prepared data (pkg/cache's default Store) if it holds it, else
// prepared by Prepare and stored there. A nil s means the zero Settings.
//
// The cache entry is keyed by the SHA-256 of the four MNIST files that
// mnist.Locate finds (hashing them costs about 30 ms, reading a cached split
// about as much again, against 0.3-0.5 s for Prepare), the Settings other
// than MNIST, and the source code of pkg/mnist, pkg/preprocess and this
// package (see CodeDigest). A stale or corrupt entry is reported in one line
// on os.Stderr and prepared again. Load returns mnist.Locate's and
// Prepare's errors.
func Load(s *Settings) (*Split, error) {
	if s == nil {
		s = &Settings{}
	}
	files, err := mnist.Locate(s.MNIST)
	if err != nil {
		return nil, err
	}
	data, err := filesDigest(files)
	if err != nil {
		return nil, err
	}
	o := origin{
		what: cache.Key{{Name: "experiment", Value: settingsText(s.withDefaults(), "MNIST")}},
		env:  cache.Key{{Name: "mnist", Value: data}, {Name: "code.data", Value: dataCode()}},
	}
	sp := new(Split)
	key := slices.Concat(o.what, o.env, cache.Key{{Name: "format.split", Value: fmt.Sprint(splitVersion)}})
	err = store.Get(entryName("split", o.what), key, sp, func() error {
		all, err := mnist.Load(s.MNIST)
		if err != nil {
			return err
		}
		p, err := PrepareSet(all, s)
		if err == nil {
			*sp = *p
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sp.origin = &o
	return sp, nil
}

// Fit returns the model that softmax.Fit fits with settings s on the
// training images of sp (sp.TrainData()) and their labels. If sp was made
// by Load, or by Subsample from such a split, the model comes from the cache
// of Load when it holds it (reading it takes a millisecond), else it is
// fitted and stored there; then s.Progress is only called for a fit. The
// entry is keyed by what Load's is, the subsamples, every field of s but
// Progress, the source code of pkg/softmax (its internal packages included)
// and the versions of its dependencies, the model file format, and the
// machine: GOARCH, the Go version and the CPU features that choose the
// assembly kernels. A split
// made by Prepare or PrepareSet is fitted without the cache. Fit returns
// softmax.Fit's errors.
func (sp *Split) Fit(s *softmax.Settings) (*softmax.Model, error) {
	return sp.FitContext(context.Background(), s)
}

// FitContext is Fit with softmax.FitContext: a fit stops when ctx is done
// and returns its error (which wraps ctx.Err()), and nothing is stored. A
// model that the cache holds is returned whatever ctx.
func (sp *Split) FitContext(ctx context.Context, s *softmax.Settings) (*softmax.Model, error) {
	if sp.origin == nil {
		return softmax.FitContext(ctx, sp.TrainData(), sp.Train.Ints(), s)
	}
	if s == nil {
		s = &softmax.Settings{}
	}
	what := append(slices.Clone(sp.origin.what), cache.Part{Name: "settings", Value: settingsText(*s, "Progress")})
	key := slices.Concat(what, sp.origin.env, cache.Key{
		{Name: "code.softmax", Value: softmaxCode()},
		{Name: "format.model", Value: modelFormat()},
		{Name: "machine", Value: machine()},
	})
	var m softmax.Model
	err := store.Get(entryName("model", what), key, &m, func() error {
		fitted, err := softmax.FitContext(ctx, sp.TrainData(), sp.Train.Ints(), s)
		if err == nil {
			m = *fitted
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// subsampled returns the origin of a subsample of a split made by o.
func (o *origin) subsampled(size int, seed uint32) *origin {
	if o == nil {
		return nil
	}
	return &origin{
		what: append(slices.Clone(o.what), cache.Part{Name: "subsample", Value: fmt.Sprintf("size=%d seed=%d", size, seed)}),
		env:  o.env,
	}
}

// entryName returns kind and 16 hexadecimal digits of the SHA-256 of what.
func entryName(kind string, what cache.Key) string {
	h := sha256.New()
	for _, p := range what {
		fmt.Fprintf(h, "%s=%s\n", p.Name, p.Value)
	}
	return kind + "-" + hex.EncodeToString(h.Sum(nil))[:16]
}

// withDefaults returns s with the default sizes filled in, so that nil and
// the explicit defaults share a cache entry.
func (s *Settings) withDefaults() Settings {
	c := *s
	if c.TrainSize == 0 {
		c.TrainSize = DefaultTrainSize
	}
	if c.TestSize == 0 {
		c.TestSize = DefaultTestSize
	}
	return c
}
