//go:build amd64 && !noasm

package softmax

import "golang.org/x/sys/cpu"

// useAsm reports whether the AVX2+FMA kernels of simd_amd64.s are used.
// Tests switch it off to check them against the pure Go versions.
var useAsm = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func gemv10u8(z *float64, v *float64, stride int, cols *int32, xs *uint8, n int)

//go:noescape
func gemv10f64(z *float64, v *float64, stride int, cols *int32, xs *float64, n int)

//go:noescape
func ger10u8(gw *float64, stride int, cols *int32, xs *uint8, n int, d *float64)

//go:noescape
func ger10f64(gw *float64, stride int, cols *int32, xs *float64, n int, d *float64)

//go:noescape
func sagPredict10(z *float64, wr *float64, cols *int32, vals *float64, n int, c float64)

//go:noescape
func sagUpdate10(wr *float64, cols *int32, vals *float64, n int, f float64, d *float64)

//go:noescape
func proxStep10(wr *float64, m *float64, feats *int32, n int, c, p float64, a *float64, acc *float64)

//go:noescape
func exp10(z *float64, m float64)

//go:noescape
func col2x10u8(ga, gb, res *float64, ra *int32, xa *uint8, na int, rb *int32, xb *uint8, nb int)

//go:noescape
func col2x10f64(ga, gb, res *float64, ra *int32, xa *float64, na int, rb *int32, xb *float64, nb int)

//go:noescape
func softmax10x(z *float64) (sum, m float64, ok bool)

//go:noescape
func gram10(r *float64, offs *int32, xs *float64, n int, va *float64)

//go:noescape
func gram10x2(ra, rb *float64, offs *int32, xs *float64, n int, va, vb *float64)

//go:noescape
func gram1(r *float64, offs *int32, xs *float64, n int, va float64)

//go:noescape
func gram1x2(ra, rb *float64, offs *int32, xs *float64, n int, va, vb float64)

//go:noescape
func dot2(l, x, y *float64, n int) (sx, sy float64)

//go:noescape
func axpy2(l, x, y *float64, n int, a, b float64)
