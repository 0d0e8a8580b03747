package fakeaws

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	smithy "github.com/aws/smithy-go"
)

func TestJSONServerThroughRealClientUnderFaults(t *testing.T) {
	srv := NewJSONServer("AmazonEC2ContainerServiceV20141113", "ecs", map[string]JSONHandler{
		"ListTasks": func(body []byte) (any, error) {
			var in struct{ Cluster string }
			if err := json.Unmarshal(body, &in); err != nil {
				return nil, err
			}
			return map[string]any{"taskArns": []string{"arn:aws:ecs:us-east-1:1:task/" + in.Cluster + "/a"}}, nil
		},
	})
	defer srv.Close()
	srv.SetFaults(Faults{ThrottleEvery: 2, ServerErrorEvery: 3, DropEvery: 5})
	c := ecs.NewFromConfig(Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	for i := 0; i < 10; i++ {
		out, err := c.ListTasks(context.Background(), &ecs.ListTasksInput{Cluster: ptr("prod")})
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if len(out.TaskArns) != 1 || out.TaskArns[0] != "arn:aws:ecs:us-east-1:1:task/prod/a" {
			t.Fatalf("got %v", out.TaskArns)
		}
	}
	if got := srv.Calls()["ecs:ListTasks"]; got != 10 {
		t.Fatalf("served %d, want 10", got)
	}
	if srv.Faulted()["ecs:ListTasks"] == 0 {
		t.Fatal("no fault injected")
	}

	srv.SetFaults(Faults{})
	srv.Allow("ecs:DescribeTasks")
	_, err := c.ListTasks(context.Background(), &ecs.ListTasksInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" {
		t.Fatalf("want AccessDeniedException, got %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

// An attempt the SDK sends again after a normal answer (same invocation
// ID) is one call, not two; a new invocation is another call.
func TestCallsCountInvocationsOnce(t *testing.T) {
	srv := NewJSONServer("AmazonEC2ContainerServiceV20141113", "ecs", map[string]JSONHandler{
		"ListTasks": func([]byte) (any, error) { return map[string]any{}, nil },
	})
	defer srv.Close()
	post := func(invocation string) {
		req, _ := http.NewRequest("POST", srv.URL, strings.NewReader("{}"))
		req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListTasks")
		req.Header.Set("Amz-Sdk-Invocation-Id", invocation)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	post("a")
	post("a")
	post("b")
	if got := srv.Calls()["ecs:ListTasks"]; got != 2 {
		t.Fatalf("calls = %d, want 2", got)
	}
}
