package fakeaws

import (
	"context"
	"encoding/json"
	"errors"
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
	// At least, not exactly: aws-sdk-go-v2 sometimes fails to read a whole 200
	// body on loopback ("use of closed network connection", cf.
	// aws/aws-sdk-go-v2#1825) and retries the call; results stay exact.
	if got := srv.Calls()["ecs:ListTasks"]; got < 10 {
		t.Fatalf("served %d, want at least 10", got)
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
