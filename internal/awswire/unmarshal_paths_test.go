package awswire

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// FuzzUnmarshalPaths: valid JSON is read by the decoder's own tokenizer,
// other text through json.Decoder (for its syntax errors). Read both ways,
// valid JSON gives the same value, or the same error at the same place,
// into each shape the history and the loaders decode.
func FuzzUnmarshalPaths(f *testing.F) {
	for _, s := range []string{
		`{"containerDefinitions":[{"portMappings":[{"hostPort":80}]}],"registeredAt":"2024-01-01T00:00:00Z"}`,
		`{"tags":[{"key":"a","value":"b"}],"cpu":"256","x":[[[{}]]]}`,
		`{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/c/1","createdAt":1.7e9,"attachments":[{"details":[{"name":"networkInterfaceId","value":"eni-1"}]}]}`,
		`{"TaskArn":"a","taskArn":"b"}`,
		`{"containers":[{"networkBindings":[{"hostPort":"80"}]}]}`,
		"{\"family\":\"caf\\u00e9\",\"cpu\":\"\xff\"}",
		`{"reservations":[{"instances":[{"instanceId":"i-1","networkInterfaces":[{"privateIpAddress":"10.0.0.1"}]}]}]}`,
		"\uFEFF[1, 2]",
	} {
		f.Add([]byte(s))
	}
	// The corpus of FuzzUnmarshal, whose inputs found the edges before:
	// files of "go test fuzz v1" and one line []byte("...").
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzUnmarshal", "*"))
	for _, name := range files {
		b, _ := os.ReadFile(name)
		_, line, _ := bytes.Cut(bytes.TrimSpace(b), []byte("\n"))
		lit, ok := bytes.CutPrefix(line, []byte("[]byte("))
		if s, err := strconv.Unquote(string(bytes.TrimSuffix(lit, []byte(")")))); ok && err == nil {
			f.Add([]byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, shape := range []func() any{
			func() any { return new(types.TaskDefinition) },
			func() any { return new(types.Task) },
			func() any { return new([]types.ContainerInstance) },
			func() any { return new(ec2types.Reservation) },
			func() any { return new(map[string]string) },
		} {
			own, tok := shape(), shape()
			errOwn, errTok := unmarshal(data, own, false), unmarshal(data, tok, true)
			if (errOwn == nil) != (errTok == nil) || errOwn != nil && errOwn.Error() != errTok.Error() {
				t.Fatalf("%T: own reading %v, json.Decoder's %v", own, errOwn, errTok)
			}
			if errOwn == nil && !reflect.DeepEqual(own, tok) {
				t.Fatalf("%T: own reading %+v, json.Decoder's %+v", own, own, tok)
			}
		}
	})
}
