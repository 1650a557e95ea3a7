package explore

import (
	"sync"
	"time"
)

// mailbox hands the fit requests of the page to the one goroutine that fits,
// newest first and without a queue: it holds at most one waiting request,
// and a request replaces the waiting one only if its sequence number is
// higher. The page numbers its messages, but GoNB delivers each on a
// goroutine of its own, so they can arrive out of order; a request older
// than one already put is dropped.
//
// A mailbox is safe for concurrent use. Its zero value is not; use
// newMailbox.
type mailbox struct {
	mu      sync.Mutex
	pending *letter
	newest  int           // the highest sequence number put so far
	wake    chan struct{} // one token when a request is waiting
}

// letter is a request with the time it reached Go.
type letter struct {
	request
	received time.Time
}

func newMailbox() *mailbox {
	return &mailbox{wake: make(chan struct{}, 1)}
}

// put leaves r for the fitter, replacing a waiting older request. It
// reports false, and drops r, if a request with the same or a higher
// sequence number was put before.
func (m *mailbox) put(r request, received time.Time) bool {
	m.mu.Lock()
	if r.Seq <= m.newest {
		m.mu.Unlock()
		return false
	}
	m.newest = r.Seq
	m.pending = &letter{request: r, received: received}
	m.mu.Unlock()
	select {
	case m.wake <- struct{}{}:
	default: // a token is already waiting
	}
	return true
}

// take returns the waiting request and empties the slot; ok is false if
// none is waiting.
func (m *mailbox) take() (l letter, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pending == nil {
		return letter{}, false
	}
	l = *m.pending
	m.pending = nil
	return l, true
}

// superseded reports whether a request newer than seq has been put: the
// fit for seq is then of no use and should stop.
func (m *mailbox) superseded(seq int) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.newest > seq
}
