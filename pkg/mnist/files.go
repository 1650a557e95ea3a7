package mnist

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// spec describes one of the four MNIST files.
type spec struct {
	name   string // canonical name without ".gz"
	sha256 string // hex SHA-256 of name.gz
	size   int64  // size of name.gz in bytes
	count  int    // items in the file
	images bool   // an image file, else a label file
}

// Indices into files, and into Files.paths.
const (
	iTrainImages = iota
	iTrainLabels
	iTestImages
	iTestLabels
)

// files are the four canonical MNIST files, as published by LeCun et al.,
// shipped by the GoMNIST module and served by the mirrors. Tests swap this
// table for small synthetic files.
var files = [4]spec{
	iTrainImages: {"train-images-idx3-ubyte", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 9912422, TrainLen, true},
	iTrainLabels: {"train-labels-idx1-ubyte", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 28881, TrainLen, false},
	iTestImages:  {"t10k-images-idx3-ubyte", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 1648877, TestLen, true},
	iTestLabels:  {"t10k-labels-idx1-ubyte", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4542, TestLen, false},
}

// loadFiles decodes the four files of f into one Set, training images
// first. The four files are decoded concurrently.
func loadFiles(f *Files) (*Set, error) {
	paths := f.paths()
	ntrain, ntest := files[iTrainImages].count, files[iTestImages].count
	s := &Set{
		Images: make([]uint8, (ntrain+ntest)*Pixels),
		Labels: make([]uint8, ntrain+ntest),
	}
	dst := [4][]uint8{
		iTrainImages: s.Images[:ntrain*Pixels],
		iTrainLabels: s.Labels[:ntrain],
		iTestImages:  s.Images[ntrain*Pixels:],
		iTestLabels:  s.Labels[ntrain:],
	}
	var errs [4]error
	var wg sync.WaitGroup
	for i := range paths {
		wg.Go(func() { errs[i] = loadFile(paths[i], files[i], dst[i]) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fileErr(paths[i], err)
		}
	}
	return s, nil
}

// loadFile decodes the file at path, described by sp, into dst. Its error
// does not name the file. A gzip file is read whole and checked against
// sp's SHA-256 and size (concurrently with decoding); an uncompressed one is
// decoded as it is read.
func loadFile(path string, sp spec, dst []uint8) error {
	f, err := os.Open(path)
	if err != nil {
		if pe, ok := err.(*fs.PathError); ok {
			return pe.Err // the caller names the file
		}
		return err
	}
	defer f.Close()
	k := labelKind
	if sp.images {
		k = imageKind
	}
	br := bufio.NewReaderSize(f, 64<<10)
	if head, _ := br.Peek(2); !bytes.Equal(head, []byte{0x1f, 0x8b}) {
		_, err := decode(br, k, sp.count, dst)
		return err
	}
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() != sp.size {
		return fmt.Errorf("%w: size %d bytes, want %d", ErrChecksum, st.Size(), sp.size)
	}
	data := make([]byte, sp.size)
	if _, err := io.ReadFull(br, data); err != nil {
		return fmt.Errorf("reading: %w", err)
	}
	sum := make(chan error, 1)
	go func() { sum <- checkSum(data, sp) }()
	_, err = decode(bytes.NewReader(data), k, sp.count, dst)
	if serr := <-sum; serr != nil {
		err = serr // a wrong file explains a decoding error, if any
	}
	return err
}

// checkSum returns an error wrapping ErrChecksum unless data has the SHA-256
// of sp.
func checkSum(data []byte, sp spec) error {
	got := sha256.Sum256(data)
	if h := hex.EncodeToString(got[:]); h != sp.sha256 {
		return fmt.Errorf("%w: sha256 %s, want %s", ErrChecksum, h, sp.sha256)
	}
	return nil
}
