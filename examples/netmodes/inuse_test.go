package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestInUseEmptyItem: -in-use "$A,8080" with A unset is ",8080",
// and "8080,,53/udp" has an item left out: the item that names nothing
// was dropped, and the plan was made for an instance with fewer ports in
// use than described, exit 0. -in-use "" is refused (TestEmptyInUse), as
// is an empty item of every list flag of the other programs (cli.List).
func TestInUseEmptyItem(t *testing.T) {
	for _, v := range []string{",8080", "8080,", "8080,,53/udp", "8080, ,53/udp"} {
		var out, errOut bytes.Buffer
		status := run([]string{"-in-use", v}, &out, &errOut)
		if status != 2 || out.Len() > 0 || !strings.Contains(errOut.String(), "netmodes: -in-use") || !strings.Contains(errOut.String(), "empty item") {
			t.Errorf("-in-use %q: exit %d, stderr %q, %d bytes on stdout; want 2 and the empty item named", v, status, errOut.String(), out.Len())
		}
	}
	// Commas with spaces, and spaces alone, still separate ports.
	for _, v := range []string{"8080, 53/udp", "8080 53/udp"} {
		var out, errOut bytes.Buffer
		if status := run([]string{"-table=false", "-in-use", v}, &out, &errOut); status != 0 || !strings.Contains(out.String(), "7 of 100 reserved-port slots used") {
			t.Errorf("-in-use %q: exit %d, stderr %q:\n%s", v, status, errOut.String(), out.String())
		}
	}
}

// TestInUseSlashWithoutProtocol: "8080/" names no protocol, and
// was taken for 8080/tcp; "8080/UDP" is refused for its protocol, and so
// must a protocol left out after the slash be.
func TestInUseSlashWithoutProtocol(t *testing.T) {
	var out, errOut bytes.Buffer
	status := run([]string{"-in-use", "8080/"}, &out, &errOut)
	if status != 2 || out.Len() > 0 || !strings.Contains(errOut.String(), `netmodes: -in-use "8080/": protocol must be tcp or udp`) {
		t.Errorf("-in-use 8080/: exit %d, stderr %q; want 2 and the protocol asked for", status, errOut.String())
	}
}
