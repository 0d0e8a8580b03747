package awswire_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/awswire"
)

// A member name is user data as much as a value is: in an error's path it
// must be short, and must not carry control bytes to a terminal. A map key
// (dockerLabels), an unknown member before a malformed value, and a
// member given twice all put it there.
func TestErrorPathQuotesMemberNames(t *testing.T) {
	huge := strings.Repeat("k", 2<<20)
	for _, in := range []string{
		`{"containerDefinitions": [{"dockerLabels": {"` + huge + `": 5}}]}`,
		`{"containerDefinitions": [{"dockerLabels": {"\u001b[2J": 5}}]}`,
		`{"` + huge + `": [1,}`,
		`{"\u001b]0;pwned\u0007": [1,}`,
		`{"` + huge + `": 1, "` + huge + `": 2}`,
	} {
		var td types.TaskDefinition
		err := awswire.Unmarshal([]byte(in), &td)
		if err == nil {
			t.Fatalf("%.60s: no error", in)
		}
		msg := err.Error()
		if len(msg) > 300 || strings.ContainsAny(msg, "\x1b\x07") {
			t.Errorf("%.60s: error of %d bytes: %.200q", in, len(msg), msg)
		}
	}
}
