//go:build unix

package display

import (
	"bytes"
	"encoding/gob"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// TestNotebook runs TestNotebookChild in a child process as GoNB runs a
// cell's program, with the two named pipes GoNB creates, and plays the
// kernel's side: it decodes what the child displays and acknowledges its
// Sync requests, as GoNB v0.11.4 does (internal/jpyexec/namedpipes.go).
func TestNotebook(t *testing.T) {
	dir := t.TempDir()
	pipe, back := filepath.Join(dir, "pipe"), filepath.Join(dir, "back")
	for _, p := range []string{pipe, back} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("no named pipes: %v", err)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNotebookChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), protocol.GONB_PIPE_ENV+"="+pipe, protocol.GONB_PIPE_BACK_ENV+"="+back, "DISPLAY_NOTEBOOK_CHILD=1")
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	type opened struct {
		r, w *os.File
		err  error
	}
	ch := make(chan opened, 1)
	go func() {
		// The program opens its writer first, then its reader.
		r, err := os.OpenFile(pipe, os.O_RDONLY, 0)
		if err != nil {
			ch <- opened{err: err}
			return
		}
		w, err := os.OpenFile(back, os.O_WRONLY, 0)
		ch <- opened{r, w, err}
	}()
	var o opened
	select {
	case o = <-ch:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child never opened GoNB's pipes; output:\n%s", output.String())
	}
	if o.err != nil {
		t.Fatal(o.err)
	}
	dec, enc := gob.NewDecoder(o.r), gob.NewEncoder(o.w)
	var msgs []protocol.DisplayData
	syncs := 0
	for {
		var d protocol.DisplayData
		if err := dec.Decode(&d); err != nil {
			if err != io.EOF {
				t.Errorf("decoding: %v", err)
			}
			break
		}
		if cv, ok := d.Data[protocol.MIMECommValue].(protocol.CommValue); ok && cv.Address == protocol.GonbuiSyncAddress {
			syncs++
			if err := enc.Encode(&protocol.CommValue{Address: protocol.GonbuiSyncAckAddress, Value: cv.Value}); err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, protocol.DisplayData{Data: map[protocol.MIMEType]any{"sync": true}})
			continue
		}
		msgs = append(msgs, d)
	}
	o.w.Close()
	o.r.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v\n%s", err, output.String())
	}
	if !strings.Contains(output.String(), "--- PASS: TestNotebookChild") {
		t.Fatalf("child did not pass:\n%s", output.String())
	}

	// What the kernel saw, in order.
	var kinds []string
	for _, m := range msgs {
		switch {
		case m.Data["sync"] != nil:
			kinds = append(kinds, "sync")
		case m.Data[protocol.MIMEImagePNG] != nil:
			if !bytes.Equal(m.Data[protocol.MIMEImagePNG].([]byte), childPNG()) {
				t.Error("PNG bytes changed on the way")
			}
			kinds = append(kinds, "png")
		case m.DisplayID != "":
			h, _ := m.Data[protocol.MIMETextHTML].(string)
			switch {
			case h == "":
				kinds = append(kinds, "clear")
			case strings.Contains(h, "<progress"):
				kinds = append(kinds, "bar")
			default:
				kinds = append(kinds, "update?")
			}
		default:
			h, _ := m.Data[protocol.MIMETextHTML].(string)
			switch {
			case strings.HasPrefix(h, "<div><svg "):
				kinds = append(kinds, "svg")
			case strings.HasPrefix(h, "<table"):
				if !strings.Contains(h, "&lt;b&gt;") {
					t.Errorf("table not escaped: %s", h)
				}
				kinds = append(kinds, "table")
			case strings.Contains(h, "<progress") && strings.Contains(h, "done"):
				kinds = append(kinds, "final")
			default:
				kinds = append(kinds, "html?")
			}
		}
	}
	want := "png sync svg sync table sync bar bar clear final sync"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("kernel saw %q\nwant       %q", got, want)
	}
	if syncs != 4 {
		t.Errorf("%d Sync requests, want 4", syncs)
	}
}

func childPNG() []byte {
	// A fixed 1x1 PNG.
	return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
}

// TestNotebookChild is the cell program of TestNotebook.
func TestNotebookChild(t *testing.T) {
	if os.Getenv("DISPLAY_NOTEBOOK_CHILD") != "1" {
		t.Skip("run by TestNotebook")
	}
	if !IsNotebook() || !gonbui.IsNotebook {
		t.Fatal("not a notebook despite GONB_PIPE")
	}
	if err := Image(childPNG()); err != nil {
		t.Fatal(err)
	}
	if err := Figure(strings.NewReader(svgDoc), nil); err != nil {
		t.Fatal(err)
	}
	if err := Table("<b>", []string{"a"}, [][]string{{"1"}}); err != nil {
		t.Fatal(err)
	}
	b := NewBar("fit")
	b.Interval = time.Nanosecond
	b.Update(1, 2, "")
	time.Sleep(time.Millisecond)
	b.Update(2, 2, "")
	if err := b.Finish("done"); err != nil {
		t.Fatal(err)
	}
}
