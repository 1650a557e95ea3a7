package drawing

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"strings"
)

// pngDataURL is the prefix of the data URL of a PNG image in base64.
const pngDataURL = "data:image/png;base64,"

// DecodeDataURL decodes a PNG image given as a data URL, the form in which a
// browser canvas gives its drawing (canvas.toDataURL("image/png")):
// "data:image/png;base64," followed by the PNG file in standard base64.
//
// It returns an error if s has another prefix, is not valid base64 or not a
// valid PNG, or if the image has more than MaxPixels pixels (checked from the
// PNG header, before the pixels are decoded).
func DecodeDataURL(s string) (image.Image, error) {
	payload, ok := strings.CutPrefix(s, pngDataURL)
	if !ok {
		head := s[:min(len(s), len(pngDataURL))]
		return nil, fmt.Errorf("drawing: data URL starts with %q, want %q", head, pngDataURL)
	}
	b, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("drawing: data URL: %w", err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("drawing: data URL: %w", err)
	}
	if cfg.Width > 0 && cfg.Height > 0 && cfg.Width > MaxPixels/cfg.Height {
		return nil, fmt.Errorf("drawing: data URL: %dx%d image: more than %d pixels", cfg.Width, cfg.Height, MaxPixels)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("drawing: data URL: %w", err)
	}
	return img, nil
}
