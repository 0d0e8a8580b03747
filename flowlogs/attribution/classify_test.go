package attribution

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"testing"
)

// TestIsPublic4 checks the IPv4 fast path against net/netip's predicates.
func TestIsPublic4(t *testing.T) {
	slow := func(a netip.Addr) bool {
		return a.IsGlobalUnicast() && !a.IsPrivate() && !cgnat.Contains(a)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range 1 << 18 {
		v := rng.Uint32()
		switch {
		case i < 1<<16: // every /16's first address
			v = uint32(i) << 16
		case i < 1<<17: // and last
			v = uint32(i-1<<16)<<16 | 0xffff
		}
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], v)
		if a := netip.AddrFrom4(b); isPublic(a) != slow(a) {
			t.Fatalf("%v: %v, want %v", a, isPublic(a), slow(a))
		}
	}
}

// TestPeerKey checks the key packing and prefix masking against
// netip.Addr.Prefix.
func TestPeerKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for range 20000 {
		var b [16]byte
		binary.LittleEndian.PutUint64(b[:8], rng.Uint64())
		binary.LittleEndian.PutUint64(b[8:], rng.Uint64())
		a := netip.AddrFrom16(b)
		if rng.IntN(2) == 0 {
			a = netip.AddrFrom4([4]byte(b[:4]))
		}
		e := &engine{cfg: defaultConfig()}
		WithPeerPrefix(rng.IntN(33), rng.IntN(129))(&e.cfg)
		bits := e.cfg.v6Bits
		if a.Is4() {
			bits = e.cfg.v4Bits
		}
		p, err := a.Prefix(bits)
		if err != nil {
			t.Fatal(err)
		}
		want := p.Addr().As16()
		if p.Addr() == netip.IPv6Unspecified() && bits < 128 {
			want[15] = 1 // ::/N is v6ZeroPrefix, not the zero key of no peer
		}
		k := e.peerKey(a)
		var got [16]byte
		binary.BigEndian.PutUint64(got[:8], k[0])
		binary.BigEndian.PutUint64(got[8:], k[1])
		if got != want {
			t.Fatalf("%v/%d: key %x, want %x", a, bits, got, want)
		}
		if k != (addrKey{}) && k != v6ZeroPrefix && k.addr() != p.Addr() {
			t.Fatalf("%v/%d: addr %v, want %v", a, bits, k.addr(), p.Addr())
		}
	}
	if (&engine{cfg: defaultConfig()}).peerKey(netip.Addr{}) != (addrKey{}) {
		t.Fatal("invalid address: want the zero key")
	}
	// addr reads IPv4 keys from their low word: the edges of that test
	// answer as unpacking all 16 bytes and unmapping does.
	for _, k := range []addrKey{{0, 0xffff << 32}, {0, 0xffff<<32 | 0xffffffff}, {0, 0xfffe<<32 | 1},
		{0, 0x1ffff << 32}, {1, 0xffff << 32}, {0, 1}, {0x20010db8 << 32, 0xffff << 32}} {
		var b [16]byte
		binary.BigEndian.PutUint64(b[:8], k[0])
		binary.BigEndian.PutUint64(b[8:], k[1])
		if want := netip.AddrFrom16(b).Unmap(); k.addr() != want {
			t.Errorf("key %x: addr %v, want %v", k, k.addr(), want)
		}
	}
}

// TestPeerClassText: every class encodes as its key and back; JSON of a
// Peer names its class, not a number that moves when classes are added.
func TestPeerClassText(t *testing.T) {
	for _, c := range PeerClasses() {
		b, err := c.MarshalText()
		var back PeerClass
		if err != nil || string(b) != c.Key() || back.UnmarshalText(b) != nil || back != c {
			t.Errorf("%v: %q, %v, back %v", c, b, err, back)
		}
	}
	if _, err := PeerClass(200).MarshalText(); err == nil {
		t.Error("an invalid class encoded")
	}
	var c PeerClass
	if err := c.UnmarshalText([]byte("intranet")); err == nil {
		t.Error("an unknown key decoded")
	}
}
