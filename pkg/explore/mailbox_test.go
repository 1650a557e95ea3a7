package explore

import (
	"sync"
	"testing"
	"time"
)

func TestMailboxNewestWins(t *testing.T) {
	m := newMailbox()
	if _, ok := m.take(); ok {
		t.Fatal("a new mailbox holds a request")
	}
	now := time.Now()
	for _, seq := range []int{1, 2, 3} {
		if !m.put(request{Seq: seq}, now) {
			t.Fatalf("put(%d) refused", seq)
		}
	}
	if m.put(request{Seq: 2}, now) || m.put(request{Seq: 3}, now) {
		t.Error("put accepted a request not newer than one put before")
	}
	if !m.superseded(2) || m.superseded(3) {
		t.Errorf("superseded(2), superseded(3) = %v, %v; want true, false", m.superseded(2), m.superseded(3))
	}
	l, ok := m.take()
	if !ok || l.Seq != 3 {
		t.Fatalf("take() = %d, %v; want the newest, 3", l.Seq, ok)
	}
	if _, ok := m.take(); ok {
		t.Error("take() returned a request twice")
	}
	// One wake-up token however many puts.
	select {
	case <-m.wake:
	default:
		t.Error("no wake-up token after put")
	}
	select {
	case <-m.wake:
		t.Error("a second wake-up token")
	default:
	}
}

// Requests put concurrently, as GoNB delivers them: whatever the order of
// arrival, the fitter sees sequence numbers only increase and ends with the
// newest.
func TestMailboxConcurrent(t *testing.T) {
	m := newMailbox()
	const n = 200
	var wg sync.WaitGroup
	for seq := 1; seq <= n; seq++ {
		wg.Go(func() { m.put(request{Seq: seq}, time.Now()) })
	}
	var seen []int
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range m.wake {
			if l, ok := m.take(); ok {
				seen = append(seen, l.Seq)
				if l.Seq == n {
					return
				}
			}
		}
	}()
	wg.Wait()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the newest request never came out")
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("take returned %d after %d", seen[i], seen[i-1])
		}
	}
	t.Logf("%d puts, %d takes", n, len(seen))
}
