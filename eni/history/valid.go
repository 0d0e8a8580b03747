package history

// validJSON reports whether b is one JSON value with nothing but white
// space around it, as json.Valid does, several times faster: every value
// of a history file is checked before it is decoded, and encoding/json's
// check was a third of the cost of reading a file back. It is never true
// where json.Valid is false; it is false for values nested deeper than
// maxValidDepth, which json.Valid may still accept (a caller then asks
// encoding/json).
func validJSON(b []byte) bool {
	var stackBuf [32]byte
	stack := stackBuf[:0] // '{' or '[' of each open container
	i := skipSpace(b, 0)
	for {
		// A value starts at b[i].
		if i >= len(b) {
			return false
		}
		switch c := b[i]; c {
		case '{', '[':
			if len(stack) >= maxValidDepth {
				return false
			}
			stack = append(stack, c)
			i = skipSpace(b, i+1)
			if i < len(b) && b[i] == c+2 { // '}' or ']': empty
				stack = stack[:len(stack)-1]
				i++
				break
			}
			if c == '{' {
				if i = validMember(b, i); i < 0 {
					return false
				}
			}
			continue
		case '"':
			if i = validString(b, i); i < 0 {
				return false
			}
		case 't':
			if !hasAt(b, i, "true") {
				return false
			}
			i += len("true")
		case 'f':
			if !hasAt(b, i, "false") {
				return false
			}
			i += len("false")
		case 'n':
			if !hasAt(b, i, "null") {
				return false
			}
			i += len("null")
		default:
			if i = validNumber(b, i); i < 0 {
				return false
			}
		}
		// After a value: the end of its containers, or the next
		// element or member.
		for {
			i = skipSpace(b, i)
			if len(stack) == 0 {
				return i == len(b)
			}
			if i >= len(b) {
				return false
			}
			open := stack[len(stack)-1]
			if b[i] == open+2 {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if b[i] != ',' {
				return false
			}
			i = skipSpace(b, i+1)
			if open == '{' {
				if i = validMember(b, i); i < 0 {
					return false
				}
			}
			break
		}
	}
}

// maxValidDepth bounds the nesting validJSON checks itself.
const maxValidDepth = 1000

// validMember checks a member name and its colon at b[i], and returns the
// offset of its value (-1: not valid).
func validMember(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	if i = validString(b, i); i < 0 {
		return -1
	}
	if i = skipSpace(b, i); i >= len(b) || b[i] != ':' {
		return -1
	}
	return skipSpace(b, i+1)
}

// validString checks the JSON string at b[i] and returns the offset past
// it (-1: not valid). Bytes past 0x7F are taken as they are, as
// encoding/json takes them (it replaces invalid UTF-8 when decoding).
func validString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return i + 1
		case c < 0x20:
			return -1
		case c == '\\':
			i++
			if i >= len(b) {
				return -1
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(b) {
					return -1
				}
				for _, h := range b[i+1 : i+5] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return -1
					}
				}
				i += 4
			default:
				return -1
			}
		}
	}
	return -1
}

// validNumber checks the JSON number at b[i] and returns the offset past
// it (-1: not valid).
func validNumber(b []byte, i int) int {
	digits := func(i int) int { // past one or more digits at b[i], -1 for none
		j := i
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
		if j == i {
			return -1
		}
		return j
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		return -1
	case b[i] == '0':
		i++
	case '1' <= b[i] && b[i] <= '9':
		i = digits(i)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		if i = digits(i + 1); i < 0 {
			return -1
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i = digits(i); i < 0 {
			return -1
		}
	}
	return i
}

func hasAt(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}
