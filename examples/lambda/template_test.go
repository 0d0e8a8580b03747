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

// templateAttributes are the Fn::GetAtt attributes of the resource types
// the template uses, as the CloudFormation registry schemas give them
// (readOnlyProperties, and the documented return values; a SAM function's
// are those of the AWS::Lambda::Function it becomes). A type missing here
// fails TestTemplateGetAttAttributes: add it with its documented
// attributes.
var templateAttributes = map[string][]string{
	"AWS::IAM::Role":            {"Arn", "RoleId"},
	"AWS::Logs::LogGroup":       {"Arn"},
	"AWS::S3::Bucket":           {"Arn", "DomainName", "DualStackDomainName", "RegionalDomainName", "WebsiteURL"},
	"AWS::SQS::Queue":           {"Arn", "QueueName", "QueueUrl"},
	"AWS::Serverless::Function": {"Arn"},
	"AWS::S3::BucketPolicy":     {},
	"AWS::SQS::QueuePolicy":     {},
}

// templateRefs calls f for every resource, parameter or pseudo parameter
// that v names: by Ref, Fn::GetAtt (with its attribute) or a variable of
// Fn::Sub (${Name} or ${Name.Attribute}; not its own variables, nor
// ${!Literal}).
func templateRefs(v any, f func(name, attr string)) {
	switch v := v.(type) {
	case map[string]any:
		if r, ok := v["Ref"].(string); ok && len(v) == 1 {
			f(r, "")
			return
		}
		if g, ok := v["Fn::GetAtt"]; ok && len(v) == 1 {
			switch g := g.(type) {
			case []any:
				if len(g) == 2 {
					res, _ := g[0].(string)
					attr, _ := g[1].(string)
					f(res, attr)
				}
			case string:
				res, attr, _ := strings.Cut(g, ".")
				f(res, attr)
			}
			return
		}
		if s, ok := v["Fn::Sub"]; ok && len(v) == 1 {
			str, _ := s.(string)
			local := map[string]bool{}
			if l, ok := s.([]any); ok && len(l) == 2 {
				str, _ = l[0].(string)
				if m, ok := l[1].(map[string]any); ok {
					for k, x := range m {
						local[k] = true
						templateRefs(x, f)
					}
				}
			}
			for _, m := range subVar.FindAllStringSubmatch(str, -1) {
				name, attr, _ := strings.Cut(m[1], ".")
				if !local[m[1]] {
					f(name, attr)
				}
			}
			return
		}
		for _, x := range v {
			templateRefs(x, f)
		}
	case []any:
		for _, x := range v {
			templateRefs(x, f)
		}
	}
}

func rawResources(t *testing.T) map[string]map[string]any {
	t.Helper()
	_, raw := loadTemplate(t)
	out := map[string]map[string]any{}
	for name, r := range raw.(map[string]any)["Resources"].(map[string]any) {
		out[name], _ = r.(map[string]any)
	}
	return out
}

// TestTemplateGetAttAttributes checks every Fn::GetAtt and ${Res.Attr}
// names an attribute its resource's type returns: CloudFormation refuses
// the template otherwise, but only when it is deployed.
func TestTemplateGetAttAttributes(t *testing.T) {
	_, raw := loadTemplate(t)
	res := rawResources(t)
	var n int
	check := func(where string, v any) {
		templateRefs(v, func(name, attr string) {
			r, ok := res[name]
			if !ok || attr == "" {
				return // Refs and parameters: TestTemplateReferences
			}
			n++
			typ, _ := r["Type"].(string)
			attrs, known := templateAttributes[typ]
			if !known {
				t.Errorf("%s: Fn::GetAtt %s.%s: type %s not in templateAttributes", where, name, attr, typ)
			} else if !slices.Contains(attrs, attr) {
				t.Errorf("%s: Fn::GetAtt %s.%s: a %s has attributes %q only", where, name, attr, typ, attrs)
			}
		})
	}
	for name, r := range res {
		if _, ok := templateAttributes[r["Type"].(string)]; !ok {
			t.Errorf("resource %s: type %s not in templateAttributes", name, r["Type"])
		}
		check(name, r)
	}
	check("Outputs", raw.(map[string]any)["Outputs"])
	if n < 5 {
		t.Fatalf("only %d attributes found: the walk is broken", n)
	}
}

// templateDeps is each resource's dependencies on the template's other
// resources: those it names by Ref, Fn::GetAtt or Fn::Sub, and its
// DependsOn. CloudFormation creates a resource after its dependencies, and
// refuses a template whose dependencies have a cycle.
func templateDeps(t *testing.T) map[string][]string {
	t.Helper()
	res := rawResources(t)
	deps := map[string][]string{}
	for name, r := range res {
		var d []string
		templateRefs(r, func(ref, _ string) {
			if _, ok := res[ref]; ok {
				d = append(d, ref)
			}
		})
		switch on := r["DependsOn"].(type) {
		case string:
			d = append(d, on)
		case []any:
			for _, x := range on {
				s, _ := x.(string)
				d = append(d, s)
			}
		}
		slices.Sort(d)
		deps[name] = slices.Compact(d)
	}
	return deps
}

// TestTemplateNoCycle: the resources' dependencies have no cycle (a
// bucket whose notification names a queue whose policy names the bucket by
// Ref or Fn::GetAtt is the classic one: the policy names the bucket by a
// constructed ARN instead).
func TestTemplateNoCycle(t *testing.T) {
	deps := templateDeps(t)
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(n string)
	visit = func(n string) {
		switch state[n] {
		case onPath:
			i := slices.Index(path, n)
			t.Errorf("dependency cycle: %s", strings.Join(append(slices.Clone(path[i:]), n), " → "))
			return
		case done:
			return
		}
		state[n] = onPath
		path = append(path, n)
		for _, d := range deps[n] {
			visit(d)
		}
		path = path[:len(path)-1]
		state[n] = done
	}
	names := make([]string, 0, len(deps))
	for n := range deps {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		visit(n)
	}
}

// TestTemplateNotificationQueues checks each queue a bucket notifies as
// Amazon S3 requires: a queue policy of the template lets s3.amazonaws.com
// send to it, only for this bucket (aws:SourceArn, built from the bucket's
// name, not a Ref or Fn::GetAtt of the bucket, which would be a cycle) in
// this account (aws:SourceAccount); the bucket DependsOn that policy, for
// S3 checks it can send to the queue when the notification is configured;
// and no two configurations overlap (S3 refuses configurations of
// overlapping event types whose prefixes and suffixes both overlap).
func TestTemplateNotificationQueues(t *testing.T) {
	res := rawResources(t)
	var n int
	for name, r := range res {
		if r["Type"] != "AWS::S3::Bucket" {
			continue
		}
		var b struct {
			BucketName    map[string]string
			Configuration struct {
				QueueConfigurations []struct {
					Event  string
					Queue  map[string][]string
					Filter struct {
						S3Key struct {
							Rules []struct{ Name, Value string }
						}
					}
				}
			} `json:"NotificationConfiguration"`
		}
		props, _ := json.Marshal(r["Properties"])
		if err := json.Unmarshal(props, &b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var dependsOn []string
		switch d := r["DependsOn"].(type) {
		case string:
			dependsOn = []string{d}
		case []any:
			for _, x := range d {
				s, _ := x.(string)
				dependsOn = append(dependsOn, s)
			}
		}
		checked := map[string]bool{}
		type filter struct{ event, prefix, suffix string }
		var filters []filter
		for i, qc := range b.Configuration.QueueConfigurations {
			n++
			f := filter{event: qc.Event}
			for _, rule := range qc.Filter.S3Key.Rules {
				switch strings.ToLower(rule.Name) {
				case "prefix":
					f.prefix = rule.Value
				case "suffix":
					f.suffix = rule.Value
				}
			}
			for _, g := range filters {
				if eventsOverlap(f.event, g.event) && (strings.HasPrefix(f.prefix, g.prefix) || strings.HasPrefix(g.prefix, f.prefix)) &&
					(strings.HasSuffix(f.suffix, g.suffix) || strings.HasSuffix(g.suffix, f.suffix)) {
					t.Errorf("%s: queue configurations %+v and %+v overlap", name, f, g)
				}
			}
			filters = append(filters, f)
			q := qc.Queue["Fn::GetAtt"]
			if len(q) != 2 || q[1] != "Arn" || res[q[0]]["Type"] != "AWS::SQS::Queue" {
				t.Errorf("%s: queue configuration %d: Queue %v: want Fn::GetAtt [a queue of the template, Arn]", name, i, qc.Queue)
				continue
			}
			if checked[q[0]] {
				continue
			}
			checked[q[0]] = true
			policy := queuePolicyFor(t, res, q[0])
			if policy == "" {
				t.Errorf("%s: queue %s: no AWS::SQS::QueuePolicy of the template names it in Queues", name, q[0])
				continue
			}
			if !slices.Contains(dependsOn, policy) {
				t.Errorf("%s: DependsOn %q: want %s, for S3 checks the queue %s accepts its messages when the notification is created", name, dependsOn, policy, q[0])
			}
			bucketName := b.BucketName["Ref"]
			if bucketName == "" {
				t.Errorf("%s: BucketName %v: want a Ref to a parameter, which the queue policy's aws:SourceArn builds the ARN from", name, b.BucketName)
				continue
			}
			checkS3SendStatement(t, res[policy], policy, q[0], bucketName)
		}
	}
	if n == 0 {
		t.Fatal("no bucket notifies a queue")
	}
}

// eventsOverlap reports whether the S3 event types a and b (as
// s3:ObjectCreated:* or s3:ObjectCreated:Put) name some event in common.
func eventsOverlap(a, b string) bool {
	if a == b {
		return true
	}
	pa, wa := strings.CutSuffix(a, "*")
	pb, wb := strings.CutSuffix(b, "*")
	return wa && strings.HasPrefix(b, pa) || wb && strings.HasPrefix(a, pb)
}

// queuePolicyFor is the logical ID of the queue policy naming queue (by
// Ref) in its Queues, or "".
func queuePolicyFor(t *testing.T, res map[string]map[string]any, queue string) string {
	for name, r := range res {
		if r["Type"] != "AWS::SQS::QueuePolicy" {
			continue
		}
		props, _ := r["Properties"].(map[string]any)
		qs, _ := props["Queues"].([]any)
		for _, q := range qs {
			if m, ok := q.(map[string]any); ok && m["Ref"] == queue && len(m) == 1 {
				return name
			}
		}
	}
	return ""
}

// checkS3SendStatement checks the queue policy has a statement allowing
// s3.amazonaws.com sqs:SendMessage on queue's ARN, only from the bucket
// named by the parameter bucketParam, only in the stack's account.
func checkS3SendStatement(t *testing.T, policy map[string]any, policyName, queue, bucketParam string) {
	t.Helper()
	var p struct {
		PolicyDocument struct {
			Statement []struct {
				Effect    string
				Principal struct{ Service any }
				Action    any
				Resource  map[string][]string
				Condition map[string]map[string]any
			}
		}
	}
	props, _ := json.Marshal(policy["Properties"])
	if err := json.Unmarshal(props, &p); err != nil {
		t.Fatalf("%s: %v", policyName, err)
	}
	wantArn := map[string]any{"Fn::Sub": "arn:${AWS::Partition}:s3:::${" + bucketParam + "}"}
	for _, s := range p.PolicyDocument.Statement {
		if s.Effect != "Allow" || s.Principal.Service != "s3.amazonaws.com" {
			continue
		}
		actions, _ := json.Marshal(s.Action)
		if !strings.Contains(string(actions), `"sqs:SendMessage"`) {
			continue
		}
		if r := s.Resource["Fn::GetAtt"]; len(r) != 2 || r[0] != queue || r[1] != "Arn" {
			t.Errorf("%s: statement for s3.amazonaws.com: Resource %v, want the ARN of %s", policyName, s.Resource, queue)
		}
		var sourceArn any
		for _, op := range []string{"ArnLike", "ArnEquals"} {
			if v, ok := s.Condition[op]["aws:SourceArn"]; ok {
				sourceArn = v
			}
		}
		if !reflect.DeepEqual(sourceArn, wantArn) {
			t.Errorf("%s: statement for s3.amazonaws.com: aws:SourceArn %v, want %v (the bucket's ARN built from its name: a Ref or Fn::GetAtt of the bucket is a cycle)", policyName, sourceArn, wantArn)
		}
		if acct := s.Condition["StringEquals"]["aws:SourceAccount"]; !reflect.DeepEqual(acct, map[string]any{"Ref": "AWS::AccountId"}) {
			t.Errorf("%s: statement for s3.amazonaws.com: aws:SourceAccount %v, want Ref AWS::AccountId", policyName, acct)
		}
		return
	}
	t.Errorf("%s: no statement allows s3.amazonaws.com sqs:SendMessage", policyName)
}

// TestTemplateQueueLimits checks the queues' settings within what SQS
// accepts, and each dead-letter queue keeping its messages at least as
// long as its source queue: SQS keeps a standard queue's message's
// original enqueue time when it moves it to the dead-letter queue, so a
// shorter retention there deletes the messages as they arrive.
func TestTemplateQueueLimits(t *testing.T) {
	res := rawResources(t)
	type queue struct {
		VisibilityTimeout      *int
		MessageRetentionPeriod *int
		RedrivePolicy          *struct {
			DeadLetterTargetArn map[string][]string `json:"deadLetterTargetArn"`
			MaxReceiveCount     int                 `json:"maxReceiveCount"`
		}
	}
	queues := map[string]queue{}
	for name, r := range res {
		if r["Type"] != "AWS::SQS::Queue" {
			continue
		}
		var q queue
		props, _ := json.Marshal(r["Properties"])
		if err := json.Unmarshal(props, &q); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		queues[name] = q
	}
	retention := func(q queue) int {
		if q.MessageRetentionPeriod == nil {
			return 345600 // SQS's default, 4 days
		}
		return *q.MessageRetentionPeriod
	}
	for name, q := range queues {
		if v := q.VisibilityTimeout; v != nil && (*v < 0 || *v > 43200) {
			t.Errorf("%s: VisibilityTimeout %d: SQS accepts 0 to 43200 s", name, *v)
		}
		if v := retention(q); v < 60 || v > 1209600 {
			t.Errorf("%s: MessageRetentionPeriod %d: SQS accepts 60 to 1209600 s", name, v)
		}
		if q.RedrivePolicy == nil {
			continue
		}
		if c := q.RedrivePolicy.MaxReceiveCount; c < 1 || c > 1000 {
			t.Errorf("%s: maxReceiveCount %d: SQS accepts 1 to 1000", name, c)
		}
		d := q.RedrivePolicy.DeadLetterTargetArn["Fn::GetAtt"]
		dlq, ok := queues[d[0]]
		if len(d) != 2 || d[1] != "Arn" || !ok {
			t.Errorf("%s: deadLetterTargetArn %v: want Fn::GetAtt [a queue of the template, Arn]", name, q.RedrivePolicy.DeadLetterTargetArn)
			continue
		}
		if retention(dlq) < retention(q) {
			t.Errorf("%s: dead-letter queue %s keeps messages %d s, less than the %d s of its source", name, d[0], retention(dlq), retention(q))
		}
	}
}

// TestTemplateFunctionLimits checks the function's and its SQS event
// source's settings within what Lambda accepts: LoggingConfig's values
// (case and all: Lambda's enums), memory, timeout, and the batch (more
// than 10 messages only with a batching window).
func TestTemplateFunctionLimits(t *testing.T) {
	tpl, _ := loadTemplate(t)
	var fn struct {
		MemorySize, Timeout int
		LoggingConfig       struct{ LogFormat, ApplicationLogLevel, SystemLogLevel string }
		Events              map[string]struct {
			Type       string
			Properties struct {
				BatchSize                      *int
				MaximumBatchingWindowInSeconds int
				FunctionResponseTypes          []string
			}
		}
	}
	if err := json.Unmarshal(tpl.Resources["Worker"].Properties, &fn); err != nil {
		t.Fatal(err)
	}
	lc := fn.LoggingConfig
	if !slices.Contains([]string{"", "Text", "JSON"}, lc.LogFormat) {
		t.Errorf("LogFormat %q: Lambda accepts Text or JSON", lc.LogFormat)
	}
	if !slices.Contains([]string{"", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}, lc.ApplicationLogLevel) {
		t.Errorf("ApplicationLogLevel %q: Lambda accepts TRACE, DEBUG, INFO, WARN, ERROR or FATAL", lc.ApplicationLogLevel)
	}
	if !slices.Contains([]string{"", "DEBUG", "INFO", "WARN"}, lc.SystemLogLevel) {
		t.Errorf("SystemLogLevel %q: Lambda accepts DEBUG, INFO or WARN", lc.SystemLogLevel)
	}
	if (lc.ApplicationLogLevel != "" || lc.SystemLogLevel != "") && lc.LogFormat != "JSON" {
		t.Errorf("log levels %+v: Lambda applies them with LogFormat JSON only", lc)
	}
	if fn.MemorySize < 128 || fn.MemorySize > 10240 {
		t.Errorf("MemorySize %d: Lambda accepts 128 to 10240 MB", fn.MemorySize)
	}
	if fn.Timeout < 1 || fn.Timeout > 900 {
		t.Errorf("Timeout %d: Lambda accepts 1 to 900 s", fn.Timeout)
	}
	for name, ev := range fn.Events {
		if ev.Type != "SQS" {
			continue
		}
		p := ev.Properties
		batch := 10 // the default for SQS
		if p.BatchSize != nil {
			batch = *p.BatchSize
		}
		if batch < 1 || batch > 10000 || batch > 10 && p.MaximumBatchingWindowInSeconds < 1 {
			t.Errorf("event %s: BatchSize %d with MaximumBatchingWindowInSeconds %d: Lambda accepts 1 to 10, or up to 10000 with a window of at least 1 s", name, batch, p.MaximumBatchingWindowInSeconds)
		}
		if p.MaximumBatchingWindowInSeconds < 0 || p.MaximumBatchingWindowInSeconds > 300 {
			t.Errorf("event %s: MaximumBatchingWindowInSeconds %d: Lambda accepts 0 to 300 s", name, p.MaximumBatchingWindowInSeconds)
		}
	}
}

// iamActionResources is the resource type the IAM service authorization
// reference gives each action the worker's role grants: the statement
// granting it must name resources of that ARN shape, or it grants nothing.
var iamActionResources = map[string]string{
	"s3:GetObject":           "s3 object",
	"s3:GetObjectVersion":    "s3 object",
	"s3:PutObject":           "s3 object",
	"s3:ListBucket":          "s3 bucket",
	"sqs:DeleteMessage":      "sqs queue",
	"sqs:GetQueueAttributes": "sqs queue",
	"sqs:ReceiveMessage":     "sqs queue",
	"logs:CreateLogStream":   "log stream",
	"logs:PutLogEvents":      "log stream",
}

// TestTemplateRoleResources checks each action of the worker's role is
// granted on resources of the shape IAM matches it against: objects
// (arn:…:s3:::bucket/key) for the object actions, a bucket
// (arn:…:s3:::bucket) for ListBucket, the queue's ARN for the SQS actions,
// the log group's ARN for the log-stream actions (its Arn attribute ends
// in :*, which covers its streams).
func TestTemplateRoleResources(t *testing.T) {
	for _, topology := range []string{"", "network/topology.json"} {
		tpl := resolvedTemplate(t, map[string]string{"TopologyKey": topology})
		var role struct {
			Policies []struct {
				PolicyDocument struct {
					Statement []struct {
						Sid      string
						Effect   string
						Action   []string
						Resource any
					}
				}
			}
		}
		if err := json.Unmarshal(tpl.Resources["WorkerRole"].Properties, &role); err != nil {
			t.Fatal(err)
		}
		for _, p := range role.Policies {
			for _, s := range p.PolicyDocument.Statement {
				resources, ok := s.Resource.([]any)
				if !ok {
					resources = []any{s.Resource}
				}
				for _, a := range s.Action {
					kind, ok := iamActionResources[a]
					if !ok {
						t.Errorf("%s: action %q not in iamActionResources: add it with its resource type", s.Sid, a)
						continue
					}
					for _, r := range resources {
						if !resourceIs(tpl, r, kind) {
							t.Errorf("%s: %s on %v: want a %s ARN", s.Sid, a, r, kind)
						}
					}
				}
			}
		}
	}
}

// resourceIs reports whether r, a Resource of the template's role, is an
// ARN of the kind of iamActionResources.
func resourceIs(tpl cfnTemplate, r any, kind string) bool {
	m, _ := r.(map[string]any)
	if g, ok := m["Fn::GetAtt"].([]any); ok && len(g) == 2 && g[1] == "Arn" {
		name, _ := g[0].(string)
		typ := tpl.Resources[name].Type
		return kind == "sqs queue" && typ == "AWS::SQS::Queue"
	}
	s, ok := m["Fn::Sub"].(string)
	if !ok {
		return false
	}
	if res, found := strings.CutPrefix(s, "${"); found && strings.HasSuffix(res, ".Arn}") {
		name := strings.TrimSuffix(res, ".Arn}")
		return kind == "log stream" && tpl.Resources[name].Type == "AWS::Logs::LogGroup"
	}
	path, found := strings.CutPrefix(s, "arn:${AWS::Partition}:s3:::")
	if !found {
		return false
	}
	bucket, key, isObject := strings.Cut(path, "/")
	switch {
	case bucket == "" || strings.Contains(bucket, "*"):
		return false
	case kind == "s3 object":
		return isObject && key != ""
	case kind == "s3 bucket":
		return !isObject
	}
	return false
}
