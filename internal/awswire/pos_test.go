package awswire_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/awswire"
)

// An error from decoding a value embedded in a larger file, moved with
// In, names the place in the file: the position the same bytes have there.
func TestErrorInEnclosingDocument(t *testing.T) {
	values := []string{
		`{"cpu": 256}`, // the error on the value's first line: the column moves too
		"{\n  \"family\": \"web\",\n  \"cpu\": 256\n}",
		"{\"containerDefinitions\": [\n {\"portMappings\": [{\"hostPort\": \"80\"}]}]}",
		"{\n \"family\": \"x\",\n \"memory\": \n", // truncated: the error is at the end
	}
	prefixes := []string{"", "x", "{\"describeTasks\": [", "line one\nline two\n", "a\n\n   \t", "{\n  \"member\": [\r\n    "}
	for _, v := range values {
		for _, pre := range prefixes {
			whole := []byte(pre + v + "\n]}\n")
			start := int64(len(pre))
			var td types.TaskDefinition
			var we *awswire.Error
			if err := awswire.Unmarshal(whole[start:start+int64(len(v))], &td); !errors.As(err, &we) {
				t.Fatalf("%q: want *awswire.Error, got %v", v, err)
			}
			got := we.In(awswire.PosOf(whole, start))
			want := awswire.PosOf(whole, start+we.Offset)
			if got.Pos() != want {
				t.Errorf("%q after %q: moved to %+v, want %+v", v, pre, got.Pos(), want)
			}
			if got.Path != we.Path || got.Msg != we.Msg {
				t.Errorf("%q after %q: In changed path or message: %v, was %v", v, pre, got, we)
			}
			if wantMsg := fmt.Sprintf("line %d, column %d: ", want.Line, want.Column); !strings.HasPrefix(got.Error(), wantMsg) {
				t.Errorf("%q after %q: %q, want prefix %q", v, pre, got.Error(), wantMsg)
			}
		}
	}
}

func TestPos(t *testing.T) {
	data := []byte("ab\ncd\n\nef")
	for _, c := range []struct {
		off  int64
		want awswire.Pos
	}{
		{0, awswire.Pos{Line: 1, Column: 1}},
		{2, awswire.Pos{Line: 1, Column: 3, Offset: 2}},
		{3, awswire.Pos{Line: 2, Column: 1, Offset: 3}},
		{7, awswire.Pos{Line: 4, Column: 1, Offset: 7}},
		{8, awswire.Pos{Line: 4, Column: 2, Offset: 8}},
		{99, awswire.Pos{Line: 4, Column: 3, Offset: 9}}, // clamped to the end
		{-1, awswire.Pos{Line: 1, Column: 1}},
	} {
		if got := awswire.PosOf(data, c.off); got != c.want {
			t.Errorf("PosOf(%d) = %+v, want %+v", c.off, got, c.want)
		}
	}
	for _, c := range []struct {
		p, base, want awswire.Pos
	}{
		// The zero Pos is the start of a document, on either side.
		{awswire.Pos{}, awswire.Pos{}, awswire.Pos{Line: 1, Column: 1}},
		{awswire.Pos{Line: 2, Column: 5, Offset: 9}, awswire.Pos{}, awswire.Pos{Line: 2, Column: 5, Offset: 9}},
		{awswire.Pos{}, awswire.Pos{Line: 7, Column: 3, Offset: 40}, awswire.Pos{Line: 7, Column: 3, Offset: 40}},
		// Only a first-line position takes the base's column.
		{awswire.Pos{Line: 1, Column: 5, Offset: 4}, awswire.Pos{Line: 7, Column: 3, Offset: 40}, awswire.Pos{Line: 7, Column: 7, Offset: 44}},
		{awswire.Pos{Line: 3, Column: 5, Offset: 20}, awswire.Pos{Line: 7, Column: 3, Offset: 40}, awswire.Pos{Line: 9, Column: 5, Offset: 60}},
		// A base known by line only (a value that starts a line).
		{awswire.Pos{Line: 2, Column: 5}, awswire.Pos{Line: 10}, awswire.Pos{Line: 11, Column: 5}},
	} {
		if got := c.p.In(c.base); got != c.want {
			t.Errorf("%+v.In(%+v) = %+v, want %+v", c.p, c.base, got, c.want)
		}
	}
}
