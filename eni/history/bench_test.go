package history

import (
	"bytes"
	"fmt"
	"os"
	"testing"
)

// BenchmarkLoadEvents measures decoding task events (JSON lines) into a
// Builder; one op is the fixture's six events.
func BenchmarkLoadEvents(b *testing.B) {
	data, err := os.ReadFile("testdata/events.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		bl := NewBuilder()
		if _, err := bl.Load(bytes.NewReader(data), "events"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndex measures building an Index of 10,000 tasks (1,000 IPs
// each reused ten times).
func BenchmarkIndex(b *testing.B) {
	bl := NewBuilder()
	for i := 0; i < 10000; i++ {
		ip := fmt.Sprintf("10.1.%d.%d", (i%1000)/250, i%250+1)
		bl.AddTasks(awsvpcTask(fmt.Sprintf("t%05d", i), fmt.Sprintf("eni-%05d", i), ip, (i/1000)*60, (i/1000)*60+50))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bl.Index()
	}
}
