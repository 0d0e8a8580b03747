package awswire

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
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
	for _, s := range edgeSeeds {
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
		for _, shape := range pathShapes {
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

// EmbeddedShape and EmbeddedPtrShape are embedded in KindsShape: their
// members are read as one member each ("embeddedShape"), not promoted.
type EmbeddedShape struct{ Inner string }

type EmbeddedPtrShape struct{ InnerPtr *int32 }

// KindsShape has a field of every kind fill handles, and two fields
// whose names are equal ignoring case (structInfo.fold false).
type KindsShape struct {
	AB, Ab string
	PP     **string
	MP     map[string]*EmbeddedShape
	SS     [][]string
	B      []byte
	U8     uint8
	I8     int8
	U      uint64
	F32    float32
	F64    *float64
	T      time.Time
	TP     *time.Time
	MT     map[string]time.Time
	Any    any
	M      map[string]any
	Arr    [2]int
	C      complex128
	Bool   *bool
	//lint:ignore U1000 never set: a member of its name is skipped, as an unknown one
	unexported string
	EmbeddedShape
	*EmbeddedPtrShape
}

// pathShapes are the shapes every input is read into: the loaders' and
// the snapshot's, and KindsShape.
var pathShapes = []func() any{
	func() any { return new(types.TaskDefinition) },
	func() any { return new(types.Task) },
	func() any { return new([]types.ContainerInstance) },
	func() any { return new(types.ContainerInstance) },
	func() any { return new(ec2types.Reservation) },
	func() any { return new(ec2types.Instance) },
	func() any { return new(map[string]string) },
	func() any { return new(map[string]*types.Task) },
	func() any { return new(ecs.DescribeTasksOutput) },
	func() any { return new(struct{ Detail types.Task }) },
	func() any { return new(struct{ Task, ContainerInstance any }) },
	func() any { return new(struct{ Tasks, ContainerInstances []any }) },
	func() any { return new(KindsShape) },
	func() any { return new([][]*string) },
}

// edgeSeeds are inputs at the edges of the two readings.
var edgeSeeds = []string{
	// numbers
	`{"version":-0}`, `{"version":1E5}`, `{"version":1.0}`, `{"version":1e400}`,
	`{"version":-9223372036854775808}`, `{"version":9223372036854775808}`,
	`{"f32":3.5e38}`, `{"f32":-0}`, `{"f64":1e-400}`, `{"u":-0}`, `{"u8":256}`, `{"i8":-129}`,
	`{"version":-}`, `{"version":01}`, `{"version":1.}`, `{"version":.5}`, `{"version":+1}`,
	`{"createdAt":1716167472.123456789}`, `{"createdAt":1716167472123}`, `{"createdAt":1.7e9}`,
	`{"createdAt":-1e15}`, `{"createdAt":"1716167472"}`, `{"createdAt":"2024-05-20T10:11:12.345000+09:00"}`,
	`{"createdAt":"2024-05-20T01:11:12.345Z"}`, `{"createdAt":"2024-05-20T01:11:12"}`, `{"createdAt":"10000-01-01T00:00:00Z"}`,
	`{"createdAt":true}`, `{"createdAt":{}}`, `{"t":null,"tP":"2024-01-01T00:00:00Z","mT":{"a":0,"b":"2024-01-01T00:00:00Z"}}`,
	// strings and escapes
	`{"family":"\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\"}`, `{"family":"\ud800"}`, `{"family":"\udc00\ud800x"}`,
	`{"family":"\ud83d\u0041"}`, "{\"family\":\"\xff\xfe\xc0\x80\xed\xa0\x80\"}", "{\"fam\xffily\":1}",
	`{"family":"\u0000"}`, "{\"family\":\"\x7f\"}", "{\"family\":\"a\x00\"}",
	// member names
	`{"ta\u0073kArn":"a"}`, `{"ta\u0073kArn":"a","taskArn":"b"}`, `{"taskArn":"a","TASKARN":"b"}`,
	`{"TaskArn":"a"}`, `{"TASKARN":"a"}`, `{"tas\u212aArn":"a"}`, `{"\u0000TaskArn":1,"taskArn":"a"}`,
	`{"taskArn":"a","\u0000TaskArn":1}`, `{"x":1,"x":2}`, `{"x":1,"\u0078":2}`, `{"x":{},"X":[]}`,
	`{"aB":"1","ab":"2","AB":"3"}`, `{"AB":"1","Ab":"2"}`, `{"ab":"1","Ab":"2"}`, `{"aB":"1","AB":"2"}`,
	`{"unexported":"x"}`, `{"embeddedShape":{"inner":"x"},"inner":"y"}`, `{"embeddedPtrShape":{"innerPtr":3}}`,
	`{"InstanceId":"i-1","instanceId":"i-2"}`, `{"Instances":[{"InstanceId":"i-1","PrivateIpAddress":"10.0.0.1"}]}`,
	// kinds
	`{"pP":"x"}`, `{"pP":null}`, `{"mP":{"a":{"inner":"x"},"b":null,"a":{}}}`, `{"sS":[[],["a"],null,[null]]}`,
	`{"b":"aGVsbG8="}`, `{"b":"aGVsbG8"}`, `{"b":1234}`, `{"b":""}`, `{"b":null}`,
	`{"any":{"a":[1,{"b":"]}"}]},"m":{"x":[],"y":"\"}"}}`, `{"arr":[1,2,3]}`, `{"c":1}`, `{"bool":true,"bool2":false}`,
	`[["a",null],[],null]`, `{"a":{"taskArn":"x"},"b":null}`, `{"a":{"taskArn":1}}`,
	// shapes
	`{"tasks":[{"taskArn":"a"}],"failures":[],"resultMetadata":{}}`, `{"task":{"x":1},"containerInstance":[],"task":2}`,
	`{"detail":{"taskArn":"a","containers":[{"name":"web","networkBindings":[{"hostPort":80}]}]}}`,
	`{"containerInstances":[{"x":1}],"tasks":[[]]}`,
	`[{"containerInstanceArn":"a","attributes":[{"name":"n","value":null}],"registeredResources":[{"integerValue":5,"doubleValue":1.5,"stringSetValue":["x"]}]}]`,
	`{"containerDefinitions":[{"portMappings":[{"hostPort":80,"containerPort":"80"}],"environment":[{"name":"a","value":"b"}]}],"cpu":"256","volumes":[{"dockerVolumeConfiguration":{"labels":{"a":"b"},"driverOpts":{"x":"y"}}}]}`,
	`{"ReservationId":"r","Instances":[{"InstanceId":"i","LaunchTime":"2024-01-01T00:00:00Z","State":{"Code":16,"Name":"running"},"NetworkInterfaces":[{"Attachment":{"DeviceIndex":0,"AttachTime":"2024-01-01T00:00:00Z"}}],"Tags":[{"Key":"k","Value":"v"}],"CpuOptions":{"CoreCount":2}}]}`,
	// white space, BOM, depth, trailing data
	"\uFEFF{}", "\uFEFF\uFEFF{}", "\uFEFF", " \t\r\n{ \t\r\n\"taskArn\" \t\r\n: \t\r\n\"a\" \t\r\n} \t\r\n", "{}\v", "{}\f",
	"\u00a0{}", "{} {}", "{}x", "", " ", "null", "[]", "{", "[", `{"a":`, `{"taskArn":"a",}`, `[1,]`,
	strings.Repeat("[", 100) + strings.Repeat("]", 100),
	`{"x":` + strings.Repeat(`{"a":[`, 200) + strings.Repeat(`]}`, 200) + `}`,
}

// TestUnmarshalConcurrentNewTypes: the field table of a struct type is
// made on its first decode, and decodes of types not seen before run at
// once (sync.Map's LoadOrStore keeps one table; run with -race).
func TestUnmarshalConcurrentNewTypes(t *testing.T) {
	for round := range 20 {
		typ := reflect.StructOf([]reflect.StructField{
			{Name: fmt.Sprintf("Round%dA", round), Type: reflect.TypeOf("")},
			{Name: fmt.Sprintf("Round%dB", round), Type: reflect.TypeOf([]types.Task{})},
		})
		data := []byte(fmt.Sprintf(`{"round%dA":"x","round%dB":[{"taskArn":"a","containers":[{"name":"c"}]}]}`, round, round))
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 50 {
					v := reflect.New(typ)
					if err := Unmarshal(data, v.Interface()); err != nil {
						errs <- err
						return
					}
					if v.Elem().Field(0).String() != "x" || v.Elem().Field(1).Len() != 1 {
						errs <- fmt.Errorf("decoded %+v", v.Elem())
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
}

// TestUnmarshalPathsDeep: a value nested about as deep as encoding/json
// allows (10,000) reads the same both ways, skipped or refused.
func TestUnmarshalPathsDeep(t *testing.T) {
	for _, depth := range []int{9999, 10000, 10001} {
		in := []byte(`{"tasks":[{"x":` + strings.Repeat("[", depth-3) + strings.Repeat("]", depth-3) + `}]}`)
		for _, shape := range pathShapes {
			own, tok := shape(), shape()
			errOwn, errTok := unmarshal(in, own, false), unmarshal(in, tok, true)
			if fmt.Sprint(errOwn) != fmt.Sprint(errTok) || !reflect.DeepEqual(own, tok) {
				t.Fatalf("depth %d, %T: own reading %v, json.Decoder's %v", depth, own, errOwn, errTok)
			}
		}
	}
}
