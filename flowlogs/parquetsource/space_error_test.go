package parquetsource

import (
	"strings"
	"testing"
)

// TestSpaceErrorSaysCut: a value refused for white space is quoted
// as awswire quotes input values, its length said when it is cut (it was
// cut at 64 bytes without a word, and looked whole).
func TestSpaceErrorSaysCut(t *testing.T) {
	v := strings.Repeat("a", 100) + " b"
	data := []byte(v)
	err := byteError(data, 0, uint32(len(data)))
	if err == nil || !strings.Contains(err.Error(), "(102 bytes)") {
		t.Errorf("byteError: %v, want the value's length", err)
	}
}
