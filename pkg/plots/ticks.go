package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// logTicks labels a linear axis whose data are log10 of the quantity, with
// the ticks of plot.LogTicks (labelled powers of ten, unlabelled 2..9 between
// them) in the range of the axis. The figures draw log10(x) on a linear axis
// instead of using plot.LogScale because gonum v0.17.0 places a centred axis
// label of a log axis at the arithmetic mean of the range when it pads the
// plot, which leaves a wide empty margin on the right.
//
// If fewer than two labelled ticks fall in the range, every tick in it is
// labelled.
type logTicks struct{}

var _ plot.Ticker = logTicks{}

// Ticks implements plot.Ticker; lo and hi are log10 values.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	labelled := 0
	for _, t := range (plot.LogTicks{Prec: -1}).Ticks(math.Pow(10, lo), math.Pow(10, hi)) {
		v := math.Log10(t.Value)
		if v < lo-1e-9 || v > hi+1e-9 {
			continue
		}
		t.Value = v
		if t.Label != "" {
			labelled++
		}
		ts = append(ts, t)
	}
	if labelled < 2 {
		for i := range ts {
			ts[i].Label = strconv.FormatFloat(math.Pow(10, ts[i].Value), 'g', 3, 64)
		}
	}
	return ts
}

// intTicks puts labelled ticks on whole numbers at a step of 1, 2 or 5 times
// a power of ten, at most 8 of them, for epoch and iteration axes.
type intTicks struct{}

var _ plot.Ticker = intTicks{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	first, last := math.Ceil(lo), math.Floor(hi)
	if last < first {
		return (plot.DefaultTicks{}).Ticks(lo, hi)
	}
	step := intStep(last - first)
	var ts []plot.Tick
	for v := math.Ceil(first/step) * step; v <= last; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ts
}

// intStep returns the smallest step of 1, 2 or 5 times a power of ten (at
// least 1) that divides span into fewer than 8 intervals.
func intStep(span float64) float64 {
	for mag := 1.0; ; mag *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if span/(m*mag) < 8 {
				return m * mag
			}
		}
	}
}

// niceTicks puts 4 to 8 labelled ticks on a linear axis at a step of 1, 2,
// 2.5 or 5 times a power of ten, labelled with as many decimals as the step
// needs (gonum's DefaultTicks gives steps such as 0.08 or 0.12).
type niceTicks struct{}

var _ plot.Ticker = niceTicks{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return (plot.DefaultTicks{}).Ticks(lo, hi)
	}
	mag := math.Pow(10, math.Floor(math.Log10(span/8)))
	var step float64
	decimals := 0
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step = m * mag
		if span/step <= 8 {
			decimals = max(0, -int(math.Floor(math.Log10(step)+1e-9)))
			if m == 2.5 {
				decimals++
			}
			break
		}
	}
	var ts []plot.Tick
	for i := math.Ceil(lo/step - 1e-9); i*step <= hi+1e-9*step; i++ {
		v := i * step
		if v == 0 {
			v = 0 // no "-0"
		}
		ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', decimals, 64)})
	}
	return ts
}
