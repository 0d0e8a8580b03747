package history

import (
	"bufio"
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
	err  error // sticky: the stream cannot be resynchronised
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
	var c byte
	var err error
	for {
		c, err = s.r.ReadByte()
		if err != nil {
			if err == io.EOF && junk != 0 {
				return nil, junk, errors.New("no JSON value on this line")
			}
			if err != io.EOF {
				s.err = err
			}
			return nil, s.line, err
		}
		if c == '\n' {
			s.line++
			if junk != 0 {
				return nil, junk, errors.New("no JSON value on this line")
			}
			continue
		}
		if c == '{' || c == '[' || c == '"' {
			break
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
