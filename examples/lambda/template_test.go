package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

type cfnTemplate struct {
	Parameters map[string]json.RawMessage `json:"Parameters"`
	Conditions map[string]any             `json:"Conditions"`
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
// DependsOn names a parameter, a resource or a pseudo parameter, and every
// Fn::If a condition of the Conditions section.
func TestTemplateReferences(t *testing.T) {
	tpl, raw := loadTemplate(t)
	isParam := func(n string) bool { _, ok := tpl.Parameters[n]; return ok }
	isRes := func(n string) bool { _, ok := tpl.Resources[n]; return ok }
	isCond := func(n string) bool { _, ok := tpl.Conditions[n]; return ok }
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
			if f, ok := v["Fn::If"]; ok && len(v) == 1 {
				refs++
				args, _ := f.([]any)
				var cond string
				if len(args) == 3 {
					cond, _ = args[0].(string)
				}
				if !isCond(cond) {
					errs = append(errs, fmt.Sprintf("%s: Fn::If %v: want [condition, value if true, value if false], naming a condition", path, f))
					return
				}
				walk(path+".Fn::If[1]", args[1], local)
				walk(path+".Fn::If[2]", args[2], local)
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
	walk("Conditions", top["Conditions"], nil)
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
	for _, topology := range []string{"", "network/topology.json"} {
		t.Run("TopologyKey="+topology, func(t *testing.T) {
			testTemplateWorker(t, resolvedTemplate(t, map[string]string{"TopologyKey": topology}))
		})
	}
}

func testTemplateWorker(t *testing.T, tpl cfnTemplate) {
	var fn struct {
		Handler, Runtime string
		Architectures    []string
		Timeout          int
		Role             map[string]any
		LoggingConfig    struct{ LogFormat, ApplicationLogLevel, SystemLogLevel string }
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
	// The worker's lines as JSON (AWS_LAMBDA_LOG_FORMAT, newLogger), whose
	// fields CloudWatch Logs Insights reads, a failure at ERROR; and
	// Lambda's REPORT lines (duration, memory used: SCALE.md), which it
	// sends at the system log level INFO, not WARN.
	if lc := fn.LoggingConfig; lc.LogFormat != "JSON" || logLevel(lc.ApplicationLogLevel) > slog.LevelError ||
		lc.SystemLogLevel != "INFO" && lc.SystemLogLevel != "DEBUG" {
		t.Errorf("LoggingConfig %+v: want LogFormat JSON, failures logged, REPORT lines kept", lc)
	}
	// The environment configure needs, exactly.
	cw, err := configure(func(k string) string {
		if _, ok := fn.Environment.Variables[k]; !ok {
			return ""
		}
		if k == "EXPECTED_BUCKET_OWNER" {
			return "123456789012" // an account ID, as AWS::AccountId gives
		}
		return "x"
	})
	if err != nil {
		t.Errorf("template environment: %v", err)
	} else if _, ok := fn.Environment.Variables["TOPOLOGY_KEY"]; ok != (cw.topology != nil) {
		t.Errorf("TOPOLOGY_KEY in the environment %v, a topology configured %v", ok, cw.topology != nil)
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

// resolvedTemplate is the template as CloudFormation would deploy it with
// the parameters given (the others at their defaults): its conditions
// evaluated, each Fn::If replaced by the value it picks, and each
// Ref AWS::NoValue removed, from a map or a list. Refs in conditions must
// name parameters, which is all the Conditions section may refer to.
func resolvedTemplate(t *testing.T, params map[string]string) cfnTemplate {
	t.Helper()
	_, raw := loadTemplate(t)
	top := raw.(map[string]any)
	param := func(name string) string {
		if v, ok := params[name]; ok {
			return v
		}
		p, _ := top["Parameters"].(map[string]any)[name].(map[string]any)
		d, ok := p["Default"].(string)
		if !ok {
			t.Fatalf("parameter %q: not given, and no default", name)
		}
		return d
	}
	conds, _ := top["Conditions"].(map[string]any)
	var cond func(v any) bool
	str := func(v any) string {
		switch v := v.(type) {
		case string:
			return v
		case map[string]any:
			if r, ok := v["Ref"].(string); ok && len(v) == 1 {
				return param(r)
			}
		}
		t.Fatalf("condition operand %v: want a string or a Ref to a parameter", v)
		return ""
	}
	cond = func(v any) bool {
		m, _ := v.(map[string]any)
		if len(m) != 1 {
			t.Fatalf("condition %v: want one condition function", v)
		}
		for fn, arg := range m {
			args, _ := arg.([]any)
			switch {
			case fn == "Fn::Equals" && len(args) == 2:
				return str(args[0]) == str(args[1])
			case fn == "Fn::Not" && len(args) == 1:
				return !cond(args[0])
			case fn == "Condition":
				name, _ := arg.(string)
				c, ok := conds[name]
				if !ok {
					t.Fatalf("condition %q: not in Conditions", name)
				}
				return cond(c)
			}
			t.Fatalf("condition %v: not a function this test evaluates", v)
		}
		return false
	}
	noValue := func(v any) bool {
		m, ok := v.(map[string]any)
		return ok && len(m) == 1 && m["Ref"] == "AWS::NoValue"
	}
	var resolve func(v any) any
	resolve = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			if f, ok := v["Fn::If"].([]any); ok && len(v) == 1 && len(f) == 3 {
				name, _ := f[0].(string)
				c, ok := conds[name]
				if !ok {
					t.Fatalf("Fn::If %q: not in Conditions", name)
				}
				if cond(c) {
					return resolve(f[1])
				}
				return resolve(f[2])
			}
			out := map[string]any{}
			for k, x := range v {
				if x = resolve(x); !noValue(x) {
					out[k] = x
				}
			}
			return out
		case []any:
			out := []any{}
			for _, x := range v {
				if x = resolve(x); !noValue(x) {
					out = append(out, x)
				}
			}
			return out
		}
		return v
	}
	b, err := json.Marshal(map[string]any{"Parameters": top["Parameters"], "Resources": resolve(top["Resources"]), "Outputs": resolve(top["Outputs"])})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "Fn::If") || strings.Contains(string(b), "AWS::NoValue") {
		t.Fatalf("resolved template still holds Fn::If or AWS::NoValue: %s", b)
	}
	var tpl cfnTemplate
	if err := json.Unmarshal(b, &tpl); err != nil {
		t.Fatal(err)
	}
	return tpl
}

// TestTemplateTopology: TopologyKey is optional (default empty); when it
// is empty the function has no TOPOLOGY_KEY and its role reads no topology;
// when set, TOPOLOGY_KEY is the key, and one statement grants s3:GetObject
// on exactly that object of the history's bucket, where configure reads it.
func TestTemplateTopology(t *testing.T) {
	tpl, _ := loadTemplate(t)
	var p struct{ Type, Default string }
	if err := json.Unmarshal(tpl.Parameters["TopologyKey"], &p); err != nil || p.Type != "String" || p.Default != "" {
		t.Fatalf("parameter TopologyKey %s: want a String defaulting to \"\"", tpl.Parameters["TopologyKey"])
	}
	const object = "arn:${AWS::Partition}:s3:::${HistoryBucketName}/${TopologyKey}"
	for _, key := range []string{"", "network/topology.json"} {
		tpl := resolvedTemplate(t, map[string]string{"TopologyKey": key})
		var fn struct {
			Role        map[string][]string
			Environment struct{ Variables map[string]map[string]any }
		}
		if err := json.Unmarshal(tpl.Resources["Worker"].Properties, &fn); err != nil {
			t.Fatal(err)
		}
		env := fn.Environment.Variables
		if got := env["HISTORY_BUCKET"]["Ref"]; got != "HistoryBucketName" {
			t.Fatalf("HISTORY_BUCKET %v: the topology statement's bucket is HistoryBucketName", got)
		}
		var role struct {
			Policies []struct {
				PolicyDocument struct {
					Statement []map[string]any
				}
			}
		}
		if err := json.Unmarshal(tpl.Resources[fn.Role["Fn::GetAtt"][0]].Properties, &role); err != nil {
			t.Fatal(err)
		}
		var granting []map[string]any
		for _, p := range role.Policies {
			for _, s := range p.PolicyDocument.Statement {
				if b, _ := json.Marshal(s); strings.Contains(string(b), "TopologyKey") {
					granting = append(granting, s)
				}
			}
		}
		topo, set := env["TOPOLOGY_KEY"]
		if key == "" {
			if set || len(granting) > 0 {
				t.Errorf("TopologyKey empty: TOPOLOGY_KEY %v, statements %v; want neither", topo, granting)
			}
			continue
		}
		if !set || topo["Ref"] != "TopologyKey" || len(topo) != 1 {
			t.Errorf("TopologyKey %q: TOPOLOGY_KEY %v, want {Ref: TopologyKey}", key, topo)
		}
		want := map[string]any{"Sid": "ReadTopology", "Effect": "Allow", "Action": []any{"s3:GetObject"}, "Resource": map[string]any{"Fn::Sub": object}}
		if len(granting) != 1 || !reflect.DeepEqual(granting[0], want) {
			t.Errorf("TopologyKey %q: statements %v, want one: %v", key, granting, want)
		}
	}
}
