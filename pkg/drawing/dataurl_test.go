package drawing_test

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"strings"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/mlphys/softmax-mnist/pkg/drawing"
)

// dataURL returns img as a browser gives a canvas: a PNG data URL.
func dataURL(t testing.TB, img image.Image) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())
}

// A canvas sent as a data URL is normalised as the canvas itself.
func TestDecodeDataURL(t *testing.T) {
	test := testImages(t)
	for i := range 20 {
		c := canvas(test.Image(i), xdraw.CatmullRom, 280, 13, true)
		img, err := drawing.DecodeDataURL(dataURL(t, c))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := normalize(t, img, nil), normalize(t, c, nil); !bytes.Equal(got, want) {
			t.Fatalf("image %d: the decoded canvas normalises differently (mean |difference| %.2f)", i, meanAbsDiff(got, want))
		}
	}
}

// Bad data URLs are errors that say what is wrong.
func TestDecodeDataURLErrors(t *testing.T) {
	small := dataURL(t, image.NewGray(image.Rect(0, 0, 2, 2)))
	for _, tc := range []struct {
		name, url, want string
	}{
		{"empty", "", `starts with ""`},
		{"jpeg", strings.Replace(small, "png", "jpeg", 1), `starts with "data:image/jpeg;base64"`},
		{"bad base64", small + "!", "illegal base64 data"},
		{"not a png", "data:image/png;base64," + base64.StdEncoding.EncodeToString([]byte("GIF89a, not a PNG file")), "png: invalid format"},
		{"truncated png", small[:len(small)-12], "unexpected EOF"},
		{"too large", dataURL(t, image.NewGray(image.Rect(0, 0, 4097, 4096))), "4097x4096 image: more than 16777216 pixels"},
	} {
		img, err := drawing.DecodeDataURL(tc.url)
		if err == nil || !strings.Contains(err.Error(), tc.want) || img != nil {
			t.Errorf("%s: DecodeDataURL returned an image %v and error %v, want an error containing %q", tc.name, img != nil, err, tc.want)
		}
	}
}
