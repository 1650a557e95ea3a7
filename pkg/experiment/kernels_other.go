//go:build !amd64 || noasm

package experiment

// kernels says that pkg/softmax runs its pure Go kernels in this build.
func kernels() string { return "pure Go kernels" }
