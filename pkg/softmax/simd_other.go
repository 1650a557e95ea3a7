//go:build !amd64 || noasm

package softmax

// useAsm is false: there are no assembly kernels on this platform.
var useAsm = false

func gemv10u8(z *float64, v *float64, stride int, cols *int32, xs *uint8, n int) {
	panic("softmax: no assembly kernels")
}

func gemv10f64(z *float64, v *float64, stride int, cols *int32, xs *float64, n int) {
	panic("softmax: no assembly kernels")
}

func ger10u8(gw *float64, stride int, cols *int32, xs *uint8, n int, d *float64) {
	panic("softmax: no assembly kernels")
}

func ger10f64(gw *float64, stride int, cols *int32, xs *float64, n int, d *float64) {
	panic("softmax: no assembly kernels")
}

func sagPredict10(z *float64, wr *float64, cols *int32, vals *float64, n int, c float64) {
	panic("softmax: no assembly kernels")
}

func sagUpdate10(wr *float64, cols *int32, vals *float64, n int, f float64, d *float64) {
	panic("softmax: no assembly kernels")
}

func proxStep10(wr *float64, m *float64, feats *int32, n int, c, p float64, a *float64, acc *float64) {
	panic("softmax: no assembly kernels")
}

func exp10(z *float64, m float64) {
	panic("softmax: no assembly kernels")
}

func col2x10u8(ga, gb, res *float64, ra *int32, xa *uint8, na int, rb *int32, xb *uint8, nb int) {
	panic("softmax: no assembly kernels")
}

func col2x10f64(ga, gb, res *float64, ra *int32, xa *float64, na int, rb *int32, xb *float64, nb int) {
	panic("softmax: no assembly kernels")
}

func softmax10x(z *float64) (sum, m float64, ok bool) {
	panic("softmax: no assembly kernels")
}

func gram10(r *float64, offs *int32, xs *float64, n int, va *float64) {
	panic("softmax: no assembly kernels")
}

func gram10x2(ra, rb *float64, offs *int32, xs *float64, n int, va, vb *float64) {
	panic("softmax: no assembly kernels")
}

func gram1(r *float64, offs *int32, xs *float64, n int, va float64) {
	panic("softmax: no assembly kernels")
}

func gram1x2(ra, rb *float64, offs *int32, xs *float64, n int, va, vb float64) {
	panic("softmax: no assembly kernels")
}

func dot2(l, x, y *float64, n int) (sx, sy float64) {
	panic("softmax: no assembly kernels")
}

func axpy2(l, x, y *float64, n int, a, b float64) {
	panic("softmax: no assembly kernels")
}
