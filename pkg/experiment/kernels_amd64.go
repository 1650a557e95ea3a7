//go:build amd64 && !noasm

package experiment

import (
	"fmt"

	"golang.org/x/sys/cpu"
)

// kernels names the CPU features by which pkg/softmax chooses its kernels.
func kernels() string {
	return fmt.Sprintf("AVX2=%v FMA=%v AVX512F=%v", cpu.X86.HasAVX2, cpu.X86.HasFMA, cpu.X86.HasAVX512F)
}
