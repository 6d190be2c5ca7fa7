package report

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // a logo may be a JPEG
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/postmortem/postmortem/incident"
)

// MaxImage is the largest image file a template may place, in bytes, and
// MaxPixels the most pixels it may hold (a logo needs far fewer; a small
// file claiming a huge picture would otherwise take gigabytes to draw).
const (
	MaxImage  = 8 << 20
	MaxPixels = 16 << 20
)

// images reads the image files the Markdown names (![logo](logo.png)):
// PNG or JPEG, inside the templates folder, as a template is. A title of
// "NNmm" sets the printed width; else the image is printed at 150 dpi,
// no wider than the text. Charts (chart:NAME) and addresses (http:) are
// not files.
func (r *Renderer) images(src []byte) (map[string]*chart, error) {
	var dests []string
	ast.Walk(parse(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering {
			d := string(img.Destination)
			if !strings.HasPrefix(d, "chart:") && !strings.Contains(d, "://") && !strings.HasPrefix(d, "data:") {
				dests = append(dests, d, string(img.Title))
			}
		}
		return ast.WalkContinue, nil
	})
	if len(dests) == 0 {
		return nil, nil
	}
	out := map[string]*chart{}
	for i := 0; i < len(dests); i += 2 {
		dest, title := dests[i], dests[i+1]
		if _, done := out[dest]; done {
			continue
		}
		c, err := r.readImage(dest, title)
		if err != nil {
			return nil, err
		}
		out[dest] = c
	}
	return out, nil
}

var widthTitle = regexp.MustCompile(`^\s*(\d+(?:\.\d+)?)\s*mm\s*$`)

func (r *Renderer) readImage(dest, title string) (*chart, error) {
	refuse := func(format string, a ...any) error {
		return &incident.FieldError{Field: "image", Msg: fmt.Sprintf("%s: ", dest) + fmt.Sprintf(format, a...)}
	}
	if r.cfg.dir == "" {
		return nil, refuse("an image is read from the --templates folder; give one")
	}
	path := dest
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.cfg.dir, path)
	}
	data, _, err := readInside(r.cfg.dir, path, MaxImage)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, refuse("no such file in the templates folder")
	case errors.Is(err, errOutside):
		return nil, refuse("leads outside the templates folder; accepted: files inside %s", r.cfg.dir)
	case errors.Is(err, errNotRegular):
		return nil, refuse("not a regular file; accepted: a PNG or JPEG file")
	case errors.As(err, new(tooBig)):
		return nil, refuse("larger than %d MiB", MaxImage>>20)
	case err != nil:
		return nil, refuse("%v", err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 || (format != "png" && format != "jpeg") {
		return nil, refuse("not a PNG or JPEG image")
	}
	if cfg.Width*cfg.Height > MaxPixels {
		return nil, refuse("%d×%d pixels; accepted: at most %d million", cfg.Width, cfg.Height, MaxPixels>>20)
	}
	// Decoded whole, a damaged file is refused here, not drawn broken; a
	// PNG is written again plainly (8 bits, not interlaced), the form the
	// PDF writer reads.
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, refuse("a damaged %s image: %v", strings.ToUpper(format), err)
	}
	if format == "png" {
		switch img.(type) {
		case *image.NRGBA, *image.RGBA, *image.Gray, *image.Paletted:
		default: // 16-bit and the like: drawn again in 8 bits
			eight := image.NewNRGBA(img.Bounds())
			draw.Draw(eight, eight.Bounds(), img, img.Bounds().Min, draw.Src)
			img = eight
		}
		var plain bytes.Buffer
		if err := png.Encode(&plain, img); err != nil {
			return nil, refuse("%v", err)
		}
		data = plain.Bytes()
	}
	w := float64(cfg.Width) * 25.4 / 150
	if m := widthTitle.FindStringSubmatch(title); m != nil {
		w, _ = strconv.ParseFloat(m[1], 64)
	}
	c := &chart{w: w, h: w * float64(cfg.Height) / float64(cfg.Width), left: true}
	if format == "png" {
		c.png = data
	} else {
		c.jpeg = data
	}
	return c, nil
}

// realPath is path absolute, through every link: a folder given relative
// and a link inside it given absolute compare alike.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// The ways readInside refuses a file.
var (
	errOutside    = errors.New("leads outside its folder")
	errNotRegular = errors.New("not a regular file")
)

// tooBig is a file over the size readInside was given; it says its size.
type tooBig int64

func (n tooBig) Error() string { return fmt.Sprintf("%d bytes", int64(n)) }

// readInside reads path, which must resolve (through every link) to a
// regular file of at most max bytes inside folder dir: a template or an
// image, never /etc/shadow through a link, never a FIFO that would block
// for ever. It returns the file's real path too.
func readInside(dir, path string, max int64) ([]byte, string, error) {
	root, err := realPath(dir)
	if err != nil {
		return nil, "", err
	}
	real, err := realPath(path)
	if err != nil {
		return nil, "", err
	}
	if rel, err := filepath.Rel(root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, real, errOutside
	}
	fi, err := os.Stat(real)
	switch {
	case err != nil:
		return nil, real, err
	case !fi.Mode().IsRegular():
		return nil, real, errNotRegular
	case fi.Size() > max:
		return nil, real, tooBig(fi.Size())
	}
	f, err := os.Open(real)
	if err != nil {
		return nil, real, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err == nil && int64(len(data)) > max {
		err = tooBig(len(data)) // grown since it was looked at
	}
	return data, real, err
}
