package explore

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"
)

// HeadlessEnv is the environment variable that tells Run that no browser
// is attached: when it is set to anything but "" or "0", Run shows the
// panel's initial state and returns at once, without a handshake.
// scripts/run-notebooks.sh sets it; GoNB passes the kernel's environment to
// every cell program.
const HeadlessEnv = "SOFTMAX_MNIST_HEADLESS"

// addresses are the element-id prefix and the comms addresses of one run
// of the panel, unique to the run so that nothing of an earlier run's page
// reaches it.
type addresses struct {
	ID     string `json:"id"`    // prefix of the element ids
	Nonce  string `json:"nonce"` // the handshake's token
	Hello  string `json:"hello"`
	Choice string `json:"choice"`
	Canvas string `json:"canvas"`
	Stop   string `json:"stop"`
	Show   string `json:"show"`
	Alive  string `json:"alive"` // the page's keep-alive, which no one subscribes to
	Retry  string `json:"retry"` // the kernel's nudge during the handshake, which the page ignores
}

// handshakeRetry is how often connect asks GoNB to check its connection to
// the page while it waits for the handshake, and how long connect.js lets
// gonb_comm wait for the kernel's acknowledgement: by the time of the nudge
// gonb_comm has either opened or given up.
const handshakeRetry = 4 * time.Second

func newAddresses(uid string) addresses {
	base := "/softmax-mnist/explore/" + uid + "/"
	return addresses{
		ID: "softmax_explore_" + uid, Nonce: uid,
		Hello: base + "hello", Choice: base + "choice", Canvas: base + "canvas",
		Stop: base + "stop", Show: base + "show", Alive: base + "alive", Retry: base + "retry",
	}
}

// headless reports whether HeadlessEnv asks for the headless state.
func headless() bool {
	v := os.Getenv(HeadlessEnv)
	return v != "" && v != "0"
}

// connect finds out whether a browser runs the notebook, and says why:
// false at once outside GoNB or with HeadlessEnv set, else after the
// handshake of connect.js, waiting at most timeout for the page's answer.
//
// GoNB's own signal, gonbui.IsNotebook, is true for any cell program,
// headless or not, and GoNB installs its connection to the page (gonb_comm)
// without telling the cell program whether it succeeded. So the page must
// answer: connect.js fixes gonb_comm's address where GoNB gets it wrong,
// then sends a token back through gonb_comm. Without a browser (nbconvert
// without HeadlessEnv) the wait costs the whole timeout, and GoNB leaves
// its connection script in the saved output.
func connect(a addresses, timeout time.Duration) (bool, string) {
	if !gonbui.IsNotebook {
		return false, "not running under the GoNB kernel"
	}
	if headless() {
		return false, fmt.Sprintf("$%s is set: no browser", HeadlessEnv)
	}
	t0 := time.Now()
	// The WebSocket fix must run before gonb_comm is installed, which the
	// first subscription below sets off: the page renders the outputs in
	// the order GoNB sends them.
	dom.TransientJavascript(script(connectJS, connectConfig(a, timeout)))
	hello := comms.Listen[string](a.Hello).LatestOnly()
	deadline := time.After(timeout)
	// On a loaded machine gonb_comm can give up on the kernel's late
	// acknowledgement and close, while the kernel takes it for open. Sending
	// through GoNB makes the kernel check its connection (a heartbeat the
	// closed page cannot answer) and install gonb_comm again; connect.js
	// sends the token through the new one.
	retry := time.NewTicker(handshakeRetry)
	defer retry.Stop()
	for {
		select {
		case v := <-hello.C:
			if v == a.Nonce {
				return true, fmt.Sprintf("the page answered in %d ms", time.Since(t0).Milliseconds())
			}
		case <-retry.C:
			comms.Send(a.Retry, "retry")
		case <-deadline:
			return false, fmt.Sprintf("the page did not answer within %.0f s: GoNB's connection to "+
				"the browser (gonb_comm) did not open", timeout.Seconds())
		}
	}
}

// panelConfig is the configuration of panel.js.
type panelConfig struct {
	addresses
	IdleMs int64 `json:"idleMs"`
}

// connectConfig is the configuration of connect.js.
func connectConfig(a addresses, timeout time.Duration) map[string]any {
	return map[string]any{"hello": a.Hello, "nonce": a.Nonce, "ms": timeout.Milliseconds(), "ackMs": handshakeRetry.Milliseconds()}
}

// gonbPage is the live page, through GoNB.
type gonbPage struct{ show string }

// send hands m to GoNB for the page (comms.Send of its JSON to the page's
// address).
func (p gonbPage) send(m message) {
	b, err := json.Marshal(m)
	if err != nil {
		return // a message of strings and numbers always encodes
	}
	comms.Send(p.show, string(b))
}
