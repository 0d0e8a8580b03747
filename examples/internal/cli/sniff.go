package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// Kind is what a file given to a program looks like, told from its first
// bytes by Sniff: one of the inputs the programs under examples/ take.
type Kind struct {
	// ID names the kind (the Kind constants); "" when no known kind.
	ID string
	// What describes the file, to follow "is": "a task history (JSON
	// lines, as record writes)".
	What string
	// Goes says where the file belongs: "attribute -tasks".
	Goes string
}

// The kinds Sniff tells apart.
const (
	KindFlowLogText       = "flowlogs-text"
	KindFlowLogParquet    = "flowlogs-parquet"
	KindHistoryJSONL      = "history-jsonl"
	KindHistoryTable      = "history-parquet"
	KindPartial           = "partial-parquet"
	KindDescribeTasks     = "describe-tasks"
	KindDescribeInstances = "describe-container-instances"
	KindTaskDefinition    = "task-definition"
	KindEC2Instances      = "describe-instances"
	KindNetwork           = "network"
	KindSnapshot          = "eni-snapshot"
	KindPrices            = "prices"
	KindLimits            = "limits"
	KindCursor            = "cwlogs-cursor"
	KindParquet           = "parquet"
	KindGzip              = "gzip"
	KindBinary            = "binary"
)

// sniffBytes is how much of a file Sniff reads (after gzip's
// decompression): the first line of flow logs or of a JSON lines file,
// and the first keys of a JSON object.
const sniffBytes = 64 << 10

// Sniff tells what kind of input the file name holds from its first
// bytes (and, for Parquet, its footer): cheap enough for an error path.
// It returns the zero Kind when the file can't be read or is none of the
// known kinds.
func Sniff(name string) Kind {
	// Only a regular file, looked at before it is opened: opening a FIFO
	// (or a process substitution's /dev/fd/N, read to its end already)
	// waits for a writer, and opening a device may do something.
	if fi, err := os.Stat(name); err != nil || !fi.Mode().IsRegular() {
		return Kind{}
	}
	f, err := os.Open(name)
	if err != nil {
		return Kind{}
	}
	defer f.Close()
	// Replaced between the two looks: the same rule.
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return Kind{}
	}
	head := make([]byte, sniffBytes)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("PAR1")):
		return sniffParquet(f)
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(bytes.NewReader(head))
		if err != nil {
			return Kind{ID: KindGzip, What: "a gzip file"}
		}
		inner := make([]byte, sniffBytes)
		m, _ := io.ReadFull(zr, inner)
		if k := sniffText(inner[:m]); k.ID != "" {
			return k
		}
		return Kind{ID: KindGzip, What: "a gzip file"}
	}
	return sniffText(head)
}

// sniffParquet tells the Parquet files the programs write and read by
// their footer's key-value metadata and column names.
func sniffParquet(f *os.File) Kind {
	fi, err := f.Stat()
	if err != nil || fi.Size() < 12 {
		return Kind{ID: KindParquet, What: "a Parquet file"}
	}
	tail := make([]byte, 8)
	if _, err := f.ReadAt(tail, fi.Size()-8); err != nil || string(tail[4:]) != "PAR1" {
		return Kind{ID: KindParquet, What: "a Parquet file"}
	}
	size := int64(binary.LittleEndian.Uint32(tail))
	if size <= 0 || size > fi.Size()-12 || size > 16<<20 {
		return Kind{ID: KindParquet, What: "a Parquet file"}
	}
	footer := make([]byte, size)
	if _, err := f.ReadAt(footer, fi.Size()-8-size); err != nil {
		return Kind{ID: KindParquet, What: "a Parquet file"}
	}
	has := func(s string) bool { return bytes.Contains(footer, []byte(s)) }
	switch {
	case has("ecsnet.partials."):
		return Kind{ID: KindPartial, What: "a partial result (Parquet, as attribute -partial writes)", Goes: "attribute -merge"}
	case has("ecsnet.intervals."):
		return Kind{ID: KindHistoryTable, What: "a task history table (Parquet, as attribute -export writes history.parquet and intervals/)", Goes: "attribute -tasks"}
	case has("srcaddr") || has("interface_id") || has("interface-id"):
		return Kind{ID: KindFlowLogParquet, What: "flow logs (Parquet)", Goes: "attribute -flowlogs"}
	}
	return Kind{ID: KindParquet, What: "a Parquet file"}
}

// sniffText tells the text kinds: JSON by its first keys, flow logs by
// their first line.
func sniffText(head []byte) Kind {
	head = awswire.TrimBOM(head)
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return Kind{}
	}
	switch trimmed[0] {
	case '{':
		return sniffObject(trimmed)
	case '[':
		return sniffArray(trimmed)
	}
	if bytes.IndexByte(head, 0) >= 0 || !utf8.Valid(head[:max(0, len(head)-utf8.UTFMax)]) {
		return Kind{ID: KindBinary, What: "a binary file"}
	}
	line, _, _ := bytes.Cut(trimmed, []byte("\n"))
	fields := strings.Fields(string(line))
	if parsesAsFlowLogs(head) || isFlowLogLine(fields) {
		return Kind{ID: KindFlowLogText, What: "flow-log records (text)", Goes: "attribute -flowlogs"}
	}
	if strings.Contains(string(line), "\t") && strings.HasPrefix(string(line), "instance_type") {
		return Kind{ID: KindLimits, What: "an instance-type limits file (TSV)", Goes: "enibudget -limits"}
	}
	return Kind{}
}

// parsesAsFlowLogs reports whether head's first lines read as flow-log
// records (a header, else the default format): three of them, or fewer
// and no error. The cut at sniffBytes may end in half a line.
func parsesAsFlowLogs(head []byte) bool {
	rd := flowlogs.NewReader(bytes.NewReader(head))
	n := 0
	for n < 3 && rd.Scan() {
		n++
	}
	return n == 3 || n > 0 && rd.Err() == nil
}

// isFlowLogLine reports whether a line's fields are a flow-log header
// (the field names, "version account-id interface-id …") or a record: a
// version number, then at least 5 fields, one an ENI ID or an address.
func isFlowLogLine(fields []string) bool {
	if len(fields) < 5 {
		return false
	}
	names := 0
	for _, f := range fields {
		switch f {
		case "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status":
			names++
		}
	}
	if names >= 3 {
		return true
	}
	if v := fields[0]; len(v) > 2 || v == "" || strings.Trim(v, "0123456789") != "" {
		return false
	}
	for _, f := range fields[1:] {
		if strings.HasPrefix(f, "eni-") || f == "ACCEPT" || f == "REJECT" || f == "NODATA" || f == "SKIPDATA" {
			return true
		}
	}
	return false
}

// sniffObject tells a JSON object (or the first of JSON lines) by its
// top-level keys, read as far as the head goes.
func sniffObject(head []byte) Kind {
	keys := map[string]json.RawMessage{}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	// JSON lines: a whole object on the first line.
	if json.Unmarshal(line, &keys) == nil {
		if _, ok := keys["detail-type"]; ok {
			if _, ok := keys["detail"]; ok {
				return Kind{ID: KindHistoryJSONL, What: "a task history (ECS events, one JSON a line, as record writes)", Goes: "attribute -tasks"}
			}
		}
	}
	found := topKeys(head)
	has := func(k string) bool { _, ok := found[k]; return ok }
	switch {
	case has("format") && strings.Contains(found["format"], "eni-snapshot"):
		return Kind{ID: KindSnapshot, What: "an ENI snapshot (as enibudget -save writes)", Goes: "enibudget -snapshot"}
	case has("detail-type") && has("detail"):
		return Kind{ID: KindHistoryJSONL, What: "an ECS event", Goes: "attribute -tasks"}
	case has("logGroup") && has("startMillis"):
		return Kind{ID: KindCursor, What: "a read position (as cwlogs -cursor saves)", Goes: "cwlogs -cursor"}
	case has("classes") && (has("currency") || has("region")):
		return Kind{ID: KindPrices, What: "a price table (JSON)", Goes: "attribute -prices"}
	case has("tasks"):
		return Kind{ID: KindDescribeTasks, What: "describe-tasks output", Goes: "attribute -tasks"}
	case has("containerInstances"):
		return Kind{ID: KindDescribeInstances, What: "describe-container-instances output", Goes: "attribute -tasks"}
	case has("taskDefinition") || has("containerDefinitions"):
		return Kind{ID: KindTaskDefinition, What: "a task definition", Goes: "netmodes, or enibudget -whatif"}
	case has("Reservations"):
		return Kind{ID: KindEC2Instances, What: "describe-instances output", Goes: "attribute -tasks"}
	case has("Subnets"):
		return Kind{ID: KindNetwork, What: "describe-subnets output", Goes: "attribute -network"}
	case has("Vpcs"):
		return Kind{ID: KindNetwork, What: "describe-vpcs output", Goes: "attribute -network"}
	case has("NetworkInterfaces"):
		return Kind{ID: KindNetwork, What: "describe-network-interfaces output", Goes: "attribute -network"}
	}
	return Kind{}
}

// topKeys are the keys of the JSON object head starts, as far as head
// goes, each with its value when a string.
func topKeys(head []byte) map[string]string {
	out := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(head))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return out
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return out
		}
		k, ok := t.(string)
		if !ok {
			return out
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			out[k] = ""
			return out
		}
		var s string
		_ = json.Unmarshal(v, &s)
		out[k] = s
	}
	return out
}

// sniffArray tells a JSON array by its first element: a limits file's
// objects have instance_type.
func sniffArray(head []byte) Kind {
	dec := json.NewDecoder(bytes.NewReader(head))
	if t, err := dec.Token(); err != nil || t != json.Delim('[') || !dec.More() {
		return Kind{}
	}
	var first map[string]json.RawMessage
	if dec.Decode(&first) == nil {
		if _, ok := first["instance_type"]; ok {
			return Kind{ID: KindLimits, What: "an instance-type limits file (JSON)", Goes: "enibudget -limits"}
		}
	}
	return Kind{}
}

// WrongKind says that the file name, given where notWhat belongs, is a
// kind of input the programs know but not one of want (Kind IDs): "NAME
// is a task history (…), not X: give it to attribute -tasks". It returns
// "" when the file is one of want or of no kind Sniff knows: the
// caller's own error stands.
func WrongKind(name, notWhat string, want ...string) string {
	k := Sniff(name)
	if k.ID == "" || slices.Contains(want, k.ID) {
		return ""
	}
	return k.says(name, ", not "+notWhat)
}

// Misfiled is WrongKind for a caller whose own error of the file, err,
// is worth keeping when the file is one JSON object (err then names the
// member it lacks: "no containerDefinitions"): err comes back with a note
// of what the file is and where it goes ("it is …" when err is one line
// naming the file, "NAME is …" when err may be of another file). A file
// of another known kind gets WrongKind's sentence instead of err (a
// decoder's complaint about its first byte); nil when the file is of
// want or of no known kind.
func Misfiled(name string, err error, notWhat string, want ...string) error {
	k := Sniff(name)
	if k.ID == "" || slices.Contains(want, k.ID) {
		return nil
	}
	if k.object() && err != nil {
		// "it" when err is one line naming the file; else the file is
		// named: a program reading several (attribute -tasks A,B) gives
		// the error of the whole read, of another file or of several,
		// one a line, where "it" would be the file of the last line.
		who := name
		if msg := err.Error(); !strings.Contains(msg, "\n") && strings.Contains(msg, name) {
			who = "it"
		}
		return fmt.Errorf("%w (%s)", err, k.says(who, ""))
	}
	return errors.New(k.says(name, ", not "+notWhat))
}

// says is "NAME is WHAT<not>: give it to GOES".
func (k Kind) says(name, not string) string {
	msg := name + " is " + k.What + not
	if k.Goes != "" {
		msg += ": give it to " + k.Goes
	}
	return msg
}

// object reports whether the kind is one JSON object, of which a
// program's own error is placed and true (Misfiled).
func (k Kind) object() bool {
	switch k.ID {
	case KindDescribeTasks, KindDescribeInstances, KindTaskDefinition, KindEC2Instances, KindNetwork, KindSnapshot, KindPrices, KindCursor:
		return true
	}
	return false
}
