package cache_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/mlphys/softmax-mnist/pkg/cache"
)

// squares is a value with a binary encoding, as a cached value needs.
type squares []uint64

func (s squares) MarshalBinary() ([]byte, error) {
	var b []byte
	for _, v := range s {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b, nil
}

func (s *squares) UnmarshalBinary(b []byte) error {
	if len(b)%8 != 0 {
		return errors.New("squares: length not a multiple of 8")
	}
	*s = make(squares, len(b)/8)
	for i := range *s {
		(*s)[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return nil
}

// A value is computed once and then read from its entry, in this process or
// a later one. When something in its key changes, the entry is stale: Get
// says so in one line and computes the value again.
func ExampleStore_Get() {
	dir, err := os.MkdirTemp("", "cache-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store := &cache.Store{Dir: dir, Log: os.Stdout}

	get := func(n int, code string) {
		key := cache.Key{{Name: "n", Value: fmt.Sprint(n)}, {Name: "code", Value: code}}
		var sq squares
		err := store.Get(fmt.Sprintf("squares-%d", n), key, &sq, func() error {
			fmt.Println("computing")
			sq = make(squares, n)
			for i := range sq {
				sq[i] = uint64(i * i)
			}
			return nil
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(sq)
	}
	get(5, "v1")
	get(5, "v1") // from the file
	get(5, "v2") // the code changed
	if err := store.Clear(); err != nil {
		log.Fatal(err)
	}
	get(5, "v2") // cleared
	// Output:
	// computing
	// [0 1 4 9 16]
	// [0 1 4 9 16]
	// cache: squares-5 is stale (code changed); computing it again
	// computing
	// [0 1 4 9 16]
	// computing
	// [0 1 4 9 16]
}
