// Package errname tells whether an error's text already names a file or
// object, so that a wrapper adds the name only when it is missing: once,
// not zero times or twice.
package errname

import "strings"

// Names reports whether msg names name as errors do: as a word of its own
// ("open NAME: …", "flowlogs: NAME:3: …", "s3://bucket/NAME (listed …"),
// not as a part of other words ("no data" for an object named "data"
// names no object). An empty name is named by any msg.
func Names(msg, name string) bool {
	if name == "" {
		return true
	}
	for i := 0; ; {
		j := strings.Index(msg[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		before := start == 0 || strings.IndexByte(" /(\"'", msg[start-1]) >= 0
		rest := msg[end:]
		after := rest == "" || strings.IndexByte(":)\"'", rest[0]) >= 0 || strings.HasPrefix(rest, " (")
		if before && after {
			return true
		}
		i = start + 1
	}
}
