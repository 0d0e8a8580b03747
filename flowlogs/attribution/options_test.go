package attribution

import (
	"testing"
	"time"
)

// Out-of-range option values are clamped as documented, never ignored
// (issue 13).
func TestOptionClamps(t *testing.T) {
	c := defaultConfig()
	for _, o := range []Option{WithStep(10 * time.Millisecond), WithMaxBuckets(-3), WithTopK(0, 1<<20),
		WithPeerPrefix(-1, 200), WithLateSlack(-time.Minute), WithMaxECSTasks(-1)} {
		o(&c)
	}
	if c.step != time.Second || c.maxBuckets != 1 || c.peersKept != 1 || c.portsKept != MaxTopK ||
		c.v4Bits != 0 || c.v6Bits != 128 || c.slack != 0 || c.ecsTasks != 0 {
		t.Fatalf("clamped config %+v", c)
	}
	WithStep(90 * time.Second / 2)(&c)
	if c.step != 45*time.Second {
		t.Fatalf("step %v", c.step)
	}
}
