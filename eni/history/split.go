package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// splitter cuts a byte stream into top-level JSON values without decoding
// them, tracking line numbers exactly. It accepts JSON lines, concatenated
// values (Firehose writes "}{"), pretty-printed documents and arrays, and
// lines with a non-JSON prefix before the value (a CloudWatch Logs export to
// S3 writes "TIMESTAMP MESSAGE").
type splitter struct {
	r    *bufio.Reader
	line int // line of the next byte to read, 1-based
	max  int
	buf  []byte
	junk []byte // the current line's bytes before a value
	err  error  // sticky: the stream cannot be resynchronised
}

// maxJunk bounds the bytes of a line without a value that next keeps to
// say what the line holds.
const maxJunk = 1024

// noValue is the error for a line that holds no JSON object, array or
// string, text its bytes (more than maxJunk: only their start): what it
// holds when that is another JSON value.
func noValue(text []byte) error {
	if len(text) <= maxJunk {
		if kind := scalarKind(text); kind != "" {
			return errors.New(kind + ", not an object")
		}
	}
	return errors.New("no JSON value on this line")
}

// scalarKind names the JSON value raw holds when it is a number, a
// boolean or null ("a JSON number"); "" when it is anything else.
// A byte order mark before it is ignored, as the splitter ignores it.
func scalarKind(raw []byte) string {
	t := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(raw), []byte("\uFEFF")))
	if len(t) == 0 || !json.Valid(t) {
		return ""
	}
	switch t[0] {
	case 't', 'f':
		return "a JSON boolean"
	case 'n':
		return "JSON null"
	case '{', '[', '"':
		return ""
	}
	return "a JSON number"
}

var errTruncated = errors.New("input ends inside a JSON value (truncated)")

// next returns the next value and the line it starts on. At the end of the
// input it returns io.EOF. A line holding no JSON value is an error at that
// line; the splitter continues after it on the next call.
func (s *splitter) next() ([]byte, int, error) {
	if s.err != nil {
		return nil, s.line, s.err
	}
	s.buf = s.buf[:0]
	junk := 0 // line of a non-JSON prefix seen since the last newline
	// The line's bytes before a value (up to maxJunk), to say what a line
	// that holds no object, array or string holds instead.
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
	// The value's bytes are scanned where the reader buffers them, as
	// many at a time as it holds, and copied to s.buf in one append: read
	// byte by byte, they cost a call and an append each, a third of a
	// load's time. Byte for byte, what is read is the same.
	for {
		if _, err = s.r.Peek(1); err != nil {
			if err == io.EOF {
				err = errTruncated
			}
			s.err = err
			return s.buf, start, err
		}
		avail, _ := s.r.Peek(s.r.Buffered())
		n, done := 0, false
	scan:
		for ; n < len(avail); n++ {
			if s.max > 0 && len(s.buf)+n >= s.max {
				_, _ = s.r.Discard(n + 1)
				s.err = fmt.Errorf("JSON value longer than %d bytes (the limit is MaxValueBytes, of the Decoder or the Builder)", s.max)
				return nil, start, s.err
			}
			c := avail[n]
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
						n, done = n+1, true
						break scan
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
					n, done = n+1, true
					break scan
				}
			}
		}
		s.buf = append(s.buf, avail[:n]...)
		_, _ = s.r.Discard(n)
		if done {
			return s.buf, start, nil
		}
	}
}
