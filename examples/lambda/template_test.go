package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

type cfnTemplate struct {
	Parameters map[string]json.RawMessage `json:"Parameters"`
	Resources  map[string]struct {
		Type       string          `json:"Type"`
		DependsOn  any             `json:"DependsOn"`
		Properties json.RawMessage `json:"Properties"`
	} `json:"Resources"`
	Outputs map[string]any `json:"Outputs"`
}

func loadTemplate(t *testing.T) (cfnTemplate, any) {
	t.Helper()
	b, err := os.ReadFile("template.json")
	if err != nil {
		t.Fatal(err)
	}
	var tpl cfnTemplate
	if err := json.Unmarshal(b, &tpl); err != nil {
		t.Fatalf("template.json: %v", err)
	}
	var raw any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	return tpl, raw
}

var subVar = regexp.MustCompile(`\$\{([^}!][^}]*)\}`)

// TestTemplateReferences checks every Ref, Fn::GetAtt, Fn::Sub variable and
// DependsOn names a parameter, a resource or a pseudo parameter.
func TestTemplateReferences(t *testing.T) {
	tpl, raw := loadTemplate(t)
	isParam := func(n string) bool { _, ok := tpl.Parameters[n]; return ok }
	isRes := func(n string) bool { _, ok := tpl.Resources[n]; return ok }
	pseudo := func(n string) bool {
		return slices.Contains([]string{"AWS::AccountId", "AWS::Partition", "AWS::Region", "AWS::StackName", "AWS::StackId", "AWS::URLSuffix", "AWS::NoValue", "AWS::NotificationARNs"}, n)
	}
	var errs []string
	var refs int
	var walk func(path string, v any, local map[string]bool)
	checkSub := func(path, s string, local map[string]bool) {
		for _, m := range subVar.FindAllStringSubmatch(s, -1) {
			refs++
			name := m[1]
			if res, _, ok := strings.Cut(name, "."); ok {
				if !isRes(res) {
					errs = append(errs, fmt.Sprintf("%s: ${%s}: no resource %s", path, name, res))
				}
				continue
			}
			if !isParam(name) && !isRes(name) && !pseudo(name) && !local[name] {
				errs = append(errs, fmt.Sprintf("%s: ${%s} resolves to nothing", path, name))
			}
		}
	}
	walk = func(path string, v any, local map[string]bool) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["Ref"]; ok && len(v) == 1 {
				refs++
				n, _ := r.(string)
				if !isParam(n) && !isRes(n) && !pseudo(n) {
					errs = append(errs, fmt.Sprintf("%s: Ref %q resolves to nothing", path, n))
				}
				return
			}
			if g, ok := v["Fn::GetAtt"]; ok && len(v) == 1 {
				refs++
				var res string
				switch g := g.(type) {
				case []any:
					if len(g) == 2 {
						res, _ = g[0].(string)
					}
				case string:
					res, _, _ = strings.Cut(g, ".")
				}
				if !isRes(res) {
					errs = append(errs, fmt.Sprintf("%s: Fn::GetAtt %v: no such resource", path, g))
				}
				return
			}
			if s, ok := v["Fn::Sub"]; ok && len(v) == 1 {
				switch s := s.(type) {
				case string:
					checkSub(path, s, local)
				case []any:
					vars := map[string]bool{}
					if len(s) == 2 {
						if m, ok := s[1].(map[string]any); ok {
							for k, x := range m {
								vars[k] = true
								walk(path+".Fn::Sub."+k, x, local)
							}
						}
					}
					if str, ok := s[0].(string); ok {
						checkSub(path, str, vars)
					}
				}
				return
			}
			for k, x := range v {
				walk(path+"."+k, x, local)
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), x, local)
			}
		}
	}
	top := raw.(map[string]any)
	walk("Resources", top["Resources"], nil)
	walk("Outputs", top["Outputs"], nil)
	for name, r := range tpl.Resources {
		var deps []string
		switch d := r.DependsOn.(type) {
		case string:
			deps = []string{d}
		case []any:
			for _, x := range d {
				s, _ := x.(string)
				deps = append(deps, s)
			}
		}
		for _, d := range deps {
			if !isRes(d) {
				errs = append(errs, fmt.Sprintf("%s: DependsOn %q: no such resource", name, d))
			}
		}
	}
	sort.Strings(errs)
	for _, e := range errs {
		t.Error(e)
	}
	if refs < 10 {
		t.Fatalf("only %d references found: the walk is broken", refs)
	}
}

// TestTemplateWorker checks the function's settings against what the code
// needs: its runtime and architecture, the SQS mapping reporting batch item
// failures, a queue with a dead-letter queue and a visibility timeout of at
// least six times the function's timeout (AWS's advice for SQS event
// sources), the environment configure reads, and a role with exactly
// iamActions.
func TestTemplateWorker(t *testing.T) {
	tpl, _ := loadTemplate(t)
	var fn struct {
		Handler, Runtime string
		Architectures    []string
		Timeout          int
		Role             map[string]any
		Environment      struct{ Variables map[string]any }
		Events           map[string]struct {
			Type       string
			Properties struct {
				Queue                 map[string][]string
				FunctionResponseTypes []string
			}
		}
	}
	w := tpl.Resources["Worker"]
	if w.Type != "AWS::Serverless::Function" {
		t.Fatalf("Worker is a %q", w.Type)
	}
	if err := json.Unmarshal(w.Properties, &fn); err != nil {
		t.Fatal(err)
	}
	if fn.Runtime != "provided.al2023" || fn.Handler != "bootstrap" || !slices.Equal(fn.Architectures, []string{"arm64"}) {
		t.Errorf("runtime %q handler %q architectures %q", fn.Runtime, fn.Handler, fn.Architectures)
	}
	if fn.Role == nil {
		t.Error("no explicit Role: SAM would attach AWSLambdaSQSQueueExecutionRole (Resource *)")
	}
	// The environment configure needs, exactly.
	if _, err := configure(func(k string) string {
		if _, ok := fn.Environment.Variables[k]; ok {
			return "x"
		}
		return ""
	}); err != nil {
		t.Errorf("template environment: %v", err)
	}
	ev, ok := fn.Events["FlowLogObjects"]
	if !ok || ev.Type != "SQS" || !slices.Equal(ev.Properties.FunctionResponseTypes, []string{"ReportBatchItemFailures"}) {
		t.Fatalf("SQS event %+v: want FunctionResponseTypes [ReportBatchItemFailures]", ev)
	}
	qname := ev.Properties.Queue["Fn::GetAtt"][0]
	var q struct {
		VisibilityTimeout int
		RedrivePolicy     struct {
			DeadLetterTargetArn map[string][]string `json:"deadLetterTargetArn"`
			MaxReceiveCount     int                 `json:"maxReceiveCount"`
		}
	}
	if err := json.Unmarshal(tpl.Resources[qname].Properties, &q); err != nil {
		t.Fatal(err)
	}
	if q.VisibilityTimeout < 6*fn.Timeout {
		t.Errorf("queue visibility timeout %d s < 6 × function timeout %d s", q.VisibilityTimeout, fn.Timeout)
	}
	dlq := q.RedrivePolicy.DeadLetterTargetArn["Fn::GetAtt"]
	if len(dlq) != 2 || tpl.Resources[dlq[0]].Type != "AWS::SQS::Queue" || q.RedrivePolicy.MaxReceiveCount < 1 {
		t.Errorf("queue %s: redrive policy %+v: want a dead-letter queue of the template", qname, q.RedrivePolicy)
	}

	var role struct {
		Policies []struct {
			PolicyDocument struct {
				Statement []struct {
					Effect   string
					Action   []string
					Resource any
				}
			}
		}
	}
	roleName, _ := fn.Role["Fn::GetAtt"].([]any)
	if len(roleName) != 2 {
		t.Fatalf("Role %v: want Fn::GetAtt [Role, Arn]", fn.Role)
	}
	if err := json.Unmarshal(tpl.Resources[roleName[0].(string)].Properties, &role); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, p := range role.Policies {
		for _, s := range p.PolicyDocument.Statement {
			if s.Effect != "Allow" {
				continue
			}
			if s.Resource == "*" {
				t.Errorf("statement %v: Resource \"*\": every action is scoped to its resource", s.Action)
			}
			actions = append(actions, s.Action...)
		}
	}
	slices.Sort(actions)
	actions = slices.Compact(actions)
	if !slices.Equal(actions, iamActions) {
		t.Errorf("role actions %q, want iamActions %q", actions, iamActions)
	}
}
