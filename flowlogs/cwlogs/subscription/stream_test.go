package subscription

import (
	"errors"
	"io"
	"testing"
	"time"
)

// TestStreamNotHeldBack: All over a stream yields an envelope as
// soon as it has come; firstNonSpace peeked a whole buffer (4 KiB), so a
// stream that sent one short envelope (a control message) and waited got
// nothing from All until 4 KiB more or the end.
func TestStreamNotHeldBack(t *testing.T) {
	for name, payload := range map[string]string{
		"json":                 `{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[]}`,
		"json after a newline": "\n" + `{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[]}`,
	} {
		pr, pw := io.Pipe()
		go pw.Write([]byte(payload))
		got := make(chan error, 1)
		go func() {
			for e, err := range All(pr) {
				if err == nil && e.MessageType != ControlMessage {
					err = errors.New("not the control message")
				}
				got <- err
				return
			}
			got <- errors.New("no envelope")
		}()
		select {
		case err := <-got:
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%s: the envelope was held back waiting for more input", name)
		}
		pw.CloseWithError(errors.New("test over"))
	}
}
