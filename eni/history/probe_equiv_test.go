package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"
)

// mutatedLines are a Watcher's lines (newLargeCluster's, every kind) and
// hand-made events, each also damaged at random: bytes replaced,
// inserted and cut, member names recased, escaped or given twice.
func mutatedLines(t *testing.T, n int) [][]byte {
	t.Helper()
	rc := newLargeCluster(t, 30)
	var lines [][]byte
	for _, l := range bytes.Split(rc.history, []byte("\n")) {
		if len(l) > 0 {
			lines = append(lines, l)
		}
	}
	for _, s := range []string{
		`{"version":"0","detail-type":"ECS Task State Change","time":null,"detail":{}}`,
		`{"Detail-Type":"ECS Task State Change","TIME":"2026-11-25T00:01:00Z","time":"x","detail":{"taskArn":"a"}}`,
		`{"detail-type":"ECS Task State Change","time":"2026-11-25T00:01:00+09:00","detail":{"taskArn":"a"}}`,
		`{"detail-type":"ECS Task State Change","time":"10000-01-01T00:00:00Z","detail":{"taskArn":"a"}}`,
		`{"detail-type":"ECS Task State Change","time":"\u0032026-11-25T00:01:00Z","detail":{"taskArn":"a"}}`,
		`{"detail-type":"ECS Task State Change","time":1795564800,"detail":{"taskArn":"a"}}`,
		`{"detail-type":"ECS Task State Change","time":"2026-11-25T00:01:00Z","detail":{"taskArn":"a"}}`,
		`{"detail-type":"ECS Task State Chang\u0065","source":"ecsnet.history","detail":{}}`,
		`{"detail-type":"ecsnet Future","source":"ecsnet.histor\u0079","detail":{}}`,
		`{"detail-type":5,"detail":{}}`, `{"detail-type":"\xff","detail":{}}`,
		`{"taſkArn":"x"}`, `{"tas\u006bArn":"x"}`, `{"TASKARN":"x","taskarn":"y"}`, `{"Message":"{\"taskArn\":\"t\"}"}`,
		`{"tasks":[{"taskArn":"a"},{"taskArn":1}],"failures":[{}]}`, `{"format":"ecsnet/eni-snapshot/v9"}`,
		`{"events":[{"message":"{\"taskArn\":\"a\"}"}]}`, `{"reservations":[]}`, `{"taskDefinition":{}}`,
	} {
		lines = append(lines, []byte(s))
	}
	rnd := rand.New(rand.NewSource(2))
	alphabet := []byte("{}[]\",:\\ \n0123456789-.etrufalsnAZaz\x00\xc5\xbf")
	names := []string{"detail-type", "detail", "time", "source", "taskArn", "version", "resources"}
	out := append([][]byte(nil), lines...)
	for len(out) < n {
		b := bytes.Clone(lines[rnd.Intn(len(lines))])
		for k := rnd.Intn(3) + 1; k > 0; k-- {
			switch op := rnd.Intn(6); {
			case op == 0 && len(b) > 0:
				b[rnd.Intn(len(b))] = alphabet[rnd.Intn(len(alphabet))]
			case op == 1:
				i := rnd.Intn(len(b) + 1)
				b = append(b[:i], append([]byte{alphabet[rnd.Intn(len(alphabet))]}, b[i:]...)...)
			case op == 2 && len(b) > 0:
				i := rnd.Intn(len(b))
				b = append(b[:i], b[i+1:]...)
			case op == 3: // a member name recased
				nm := names[rnd.Intn(len(names))]
				b = bytes.Replace(b, []byte(`"`+nm+`"`), []byte(`"`+strings.ToUpper(nm)+`"`), 1)
			case op == 4: // a member given twice
				nm := names[rnd.Intn(len(names))]
				b = bytes.Replace(b, []byte(`{"`), []byte(`{"`+nm+`":"2026-11-25T00:02:00Z","`), 1)
			default: // a name escaped
				nm := names[rnd.Intn(len(names))]
				b = bytes.Replace(b, []byte(`"`+nm[:1]), []byte(`"\u00`+fmt.Sprintf("%x", nm[0])), 1)
			}
		}
		out = append(out, b)
	}
	return out
}

// TestQuickProbeAsEncodingJSON: where quickProbe reads a value, it fills
// probe as encoding/json does; unquote reads a string as
// encoding/json does; eventTime, with or without the last time kept,
// reads the time the Decoder always read.
func TestQuickProbeAsEncodingJSON(t *testing.T) {
	quick := 0
	d := &Decoder{}
	for _, line := range mutatedLines(t, 60000) {
		raw := bytes.TrimSpace(line)
		if len(raw) == 0 || raw[0] != '{' {
			continue
		}
		var want probe
		werr := json.Unmarshal(raw, &want)
		var got probe
		if validJSON(raw) && quickProbe(raw, &got) {
			quick++
			if werr != nil {
				t.Fatalf("%s: quickProbe read it, encoding/json: %v", raw, werr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s:\nquickProbe %+v\nencoding/json %+v", raw, got, want)
			}
		}
		if werr != nil {
			continue
		}
		for _, m := range []json.RawMessage{want.Time, want.DetailType, want.Source, want.Format} {
			if m == nil {
				continue
			}
			var ws, gs string
			we, ge := json.Unmarshal(m, &ws), unquote(m, &gs)
			if (we == nil) != (ge == nil) || ws != gs || we != nil && we.Error() != ge.Error() {
				t.Fatalf("%s: unquote %q, %v; encoding/json %q, %v", m, gs, ge, ws, we)
			}
		}
		var wt time.Time
		var ts string
		if want.Time != nil && json.Unmarshal(want.Time, &ts) == nil {
			wt, _ = time.Parse(time.RFC3339Nano, ts)
		}
		wyears := wt.IsZero() || wt.UTC().Year() >= 0 && wt.UTC().Year() <= 9999
		if !wyears {
			wt = time.Time{}
		}
		for _, dec := range []*Decoder{d, {}} { // the last time kept, and none
			gt, gyears := dec.eventTime(want.Time)
			if !gt.Equal(wt) || gt.Location().String() != wt.Location().String() || gyears != wyears {
				t.Fatalf("%s: eventTime %v, %v; want %v, %v", want.Time, gt, gyears, wt, wyears)
			}
		}
	}
	if quick < 10000 {
		t.Errorf("quickProbe read only %d values", quick)
	}
}

// refSplitterNext is splitter.next as it read a value's bytes one at a
// time (before they were scanned where the reader buffers them): the
// reference TestSplitterAsByteByByte compares with.
func refSplitterNext(s *splitter) ([]byte, int, error) {
	if s.err != nil {
		return nil, s.line, s.err
	}
	s.buf = s.buf[:0]
	junk := 0
	s.junk = s.junk[:0]
	var c byte
	var err error
	for {
		c, err = s.r.ReadByte()
		if err != nil {
			if err == io.EOF && junk != 0 {
				return nil, junk, noValue(s.junk)
			}
			if err != io.EOF {
				s.err = err
			}
			return nil, s.line, err
		}
		if c == '\n' {
			s.line++
			if junk != 0 {
				return nil, junk, noValue(s.junk)
			}
			s.junk = s.junk[:0]
			continue
		}
		if c == '{' || c == '[' || c == '"' {
			break
		}
		if len(s.junk) <= maxJunk {
			s.junk = append(s.junk, c)
		}
		if c != ' ' && c != '\t' && c != '\r' && c != 0xEF && c != 0xBB && c != 0xBF && junk == 0 {
			junk = s.line
		}
	}
	start := s.line
	s.buf = append(s.buf, c)
	depth, inStr, esc := 0, c == '"', false
	if !inStr {
		depth = 1
	}
	for {
		c, err = s.r.ReadByte()
		if err != nil {
			if err == io.EOF {
				err = errTruncated
			}
			s.err = err
			return s.buf, start, err
		}
		if s.max > 0 && len(s.buf) >= s.max {
			s.err = fmt.Errorf("JSON value longer than %d bytes (the limit is MaxValueBytes, of the Decoder or the Builder)", s.max)
			return nil, start, s.err
		}
		s.buf = append(s.buf, c)
		if c == '\n' {
			s.line++
		}
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
				if depth == 0 {
					return s.buf, start, nil
				}
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return s.buf, start, nil
			}
		}
	}
}

// oneByteReader returns a byte a Read, then, at the end, errAt's error.
type oneByteReader struct {
	b   []byte
	err error
}

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, r.err
	}
	n := copy(p[:1], r.b)
	r.b = r.b[n:]
	return n, nil
}

// TestSplitterAsByteByByte: the splitter cuts the same values, at the same
// lines, with the same errors, as when it read a byte at a time, over
// damaged streams, reader buffers of every size, reads of one byte, a read
// error, and MaxValueBytes bounds hit at every place.
func TestSplitterAsByteByByte(t *testing.T) {
	lines := mutatedLines(t, 3000)
	rnd := rand.New(rand.NewSource(3))
	readErr := errors.New("read failed")
	for round := 0; round < 400; round++ {
		var in []byte
		for k := rnd.Intn(12); k >= 0; k-- {
			in = append(in, lines[rnd.Intn(len(lines))]...)
			switch rnd.Intn(4) {
			case 0:
				in = append(in, "\r\n"...)
			case 1:
				in = append(in, " junk\n"...)
			default:
				in = append(in, '\n')
			}
		}
		if rnd.Intn(3) == 0 {
			in = in[:rnd.Intn(len(in)+1)]
		}
		max := 0
		if rnd.Intn(2) == 0 {
			max = rnd.Intn(1500) + 1
		}
		size := []int{16, 17, 64, 1000, 4096, 64 << 10}[rnd.Intn(6)]
		endErr := io.EOF
		if rnd.Intn(5) == 0 {
			endErr = readErr
		}
		mk := func() *splitter {
			var r io.Reader = &oneByteReader{b: in, err: endErr}
			if rnd.Intn(2) == 0 {
				r = io.MultiReader(bytes.NewReader(in), &oneByteReader{err: endErr})
			}
			return &splitter{r: bufio.NewReaderSize(r, size), line: 1, max: max}
		}
		got, want := mk(), mk()
		for i := 0; ; i++ {
			graw, gline, gerr := got.next()
			wraw, wline, werr := refSplitterNext(want)
			if !bytes.Equal(graw, wraw) || gline != wline || fmt.Sprint(gerr) != fmt.Sprint(werr) || got.line != want.line {
				t.Fatalf("round %d value %d (max %d, buffer %d):\ngot  %q, %d, %v (at %d)\nwant %q, %d, %v (at %d)",
					round, i, max, size, graw, gline, gerr, got.line, wraw, wline, werr, want.line)
			}
			if gerr == io.EOF || gerr != nil && (got.err != nil || i > 200) {
				break
			}
		}
	}
}
