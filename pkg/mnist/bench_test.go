package mnist

import (
	"errors"
	"runtime"
	"testing"
)

// BenchmarkLoad decodes all 70000 images from the four .gz files in the
// module cache (Locate, SHA-256 checks and decompression), and reports the
// heap that the loaded Set keeps (heapMB).
func BenchmarkLoad(b *testing.B) {
	o := &Options{Source: Module, Offline: true}
	if _, err := Locate(o); err != nil {
		if errors.Is(err, ErrNotFound) {
			b.Skipf("MNIST is not in the module cache (go mod download %s@%s): %v", ModulePath, ModuleVersion, err)
		}
		b.Fatal(err)
	}
	var s *Set
	for b.Loop() {
		var err error
		s, err = Load(o)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	withSet := m.HeapAlloc
	runtime.KeepAlive(s)
	s = nil
	runtime.GC()
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(withSet-m.HeapAlloc)/1e6, "heapMB")
}
