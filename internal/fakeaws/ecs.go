package fakeaws

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/awswire"
)

// ECSTargetPrefix is ECS's awsJson1_1 X-Amz-Target prefix.
const ECSTargetPrefix = "AmazonEC2ContainerServiceV20141113"

// ECSCluster is one cluster's state for [NewECS]: container instances and
// tasks in any state (DesiredStatus RUNNING or STOPPED decides which
// ListTasks call returns a task).
type ECSCluster struct {
	Name               string
	ContainerInstances []types.ContainerInstance
	Tasks              []types.Task
}

// ECS is a fake Amazon ECS endpoint over in-memory clusters, for the real
// ecs client. It serves ListContainerInstances, DescribeContainerInstances,
// ListTasks, DescribeTasks, DescribeTaskDefinition and DescribeClusters
// (the clusters' ARNs made of Region and Account as they are when asked)
// with ECS's paging
// (maxResults 1..100, default 100, opaque nextToken), ListTasks filters
// (desiredStatus, default RUNNING; containerInstance; family; serviceName;
// startedBy; launchType), the 100-item limit of the Describe calls and
// `failures` (reason MISSING) for unknown ARNs or those set with
// [ECS.SetMissing]. A cluster given by an ARN of another Region than the
// request is signed for (SigV4 credential scope) is answered
// InvalidParameterException "Invalid Region in ARN", as ECS answers it; an
// unknown name, ClusterNotFoundException. Responses are encoded with awswire, so they are exactly
// what the SDK decodes. Faults and Allow come from the embedded [Server].
type ECS struct {
	*Server
	Account string // account ID in generated ARNs; "123456789012"
	Region  string // region in generated ARNs; "us-east-1"

	mu       sync.Mutex
	clusters []*ecsCluster
	taskDefs []types.TaskDefinition
	pageSize int
	missing  map[string]bool
}

type ecsCluster struct {
	name, arn string
	cis       []types.ContainerInstance // sorted by ARN
	tasks     []types.Task              // sorted by ARN
}

// NewECS starts a fake ECS endpoint. Task and container instance ARNs must
// be set; ClusterArn of tasks is filled in when empty. Pass the task
// definitions that DescribeTaskDefinition should know.
func NewECS(clusters []ECSCluster, taskDefs ...types.TaskDefinition) *ECS {
	e := &ECS{Account: "123456789012", Region: "us-east-1", missing: map[string]bool{}}
	for _, c := range clusters {
		e.putCluster(c)
	}
	e.taskDefs = append(e.taskDefs, taskDefs...)
	ops := map[string]JSONHandler{
		"ListContainerInstances":     e.listContainerInstances,
		"DescribeContainerInstances": e.describeContainerInstances,
		"ListTasks":                  e.listTasks,
		"DescribeTasks":              e.describeTasks,
		"DescribeTaskDefinition":     e.describeTaskDefinition,
		"DescribeClusters":           e.describeClusters,
	}
	e.Server = newJSONServer(ECSTargetPrefix, "ecs", func(r *http.Request, op string) (JSONHandler, bool) {
		h, ok := ops[op]
		if !ok {
			return nil, false
		}
		region := signedRegion(r)
		return func(body []byte) (any, error) {
			if err := ecsClusterRegion(body, region); err != nil {
				return nil, err
			}
			return h(body)
		}, true
	})
	return e
}

// ecsClusterRegion answers as ECS does a request whose cluster (or one of
// DescribeClusters' clusters) is an ARN of another Region than the one the
// request is signed for (signed, "" for an unsigned request, which is not
// checked): InvalidParameterException "Invalid Region in ARN", before the
// cluster is looked for (aws/aws-cli#3175: ClusterNotFoundException is
// the answer for a name).
func ecsClusterRegion(body []byte, signed string) error {
	if signed == "" {
		return nil
	}
	var in struct {
		Cluster  *string  `json:"cluster"`
		Clusters []string `json:"clusters"`
	}
	if json.Unmarshal(body, &in) != nil {
		return nil // the operation's own decoding says what is wrong
	}
	refs := in.Clusters
	if in.Cluster != nil {
		refs = append(refs, *in.Cluster)
	}
	for _, ref := range refs {
		if a, err := arn.Parse(ref); err == nil && a.Region != "" && a.Region != signed {
			return ecsInvalid("Invalid Region in ARN")
		}
	}
	return nil
}

// ClusterARN is the ARN the fake gives a cluster name.
func (e *ECS) ClusterARN(name string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", e.Region, e.Account, name)
}

func (e *ECS) putCluster(c ECSCluster) {
	ec := &ecsCluster{name: c.Name, arn: e.ClusterARN(c.Name)}
	ec.cis = append(ec.cis, c.ContainerInstances...)
	for _, t := range c.Tasks {
		if t.ClusterArn == nil {
			t.ClusterArn = &ec.arn
		}
		ec.tasks = append(ec.tasks, t)
	}
	sort.SliceStable(ec.cis, func(i, j int) bool {
		return ecsStr(ec.cis[i].ContainerInstanceArn) < ecsStr(ec.cis[j].ContainerInstanceArn)
	})
	sort.SliceStable(ec.tasks, func(i, j int) bool { return ecsStr(ec.tasks[i].TaskArn) < ecsStr(ec.tasks[j].TaskArn) })
	e.clusters = append(e.clusters, ec)
}

// SetPageSize sets the page size used when a List call gives no
// maxResults (ECS's default is 100); tests use a small one for many pages.
func (e *ECS) SetPageSize(n int) {
	e.mu.Lock()
	e.pageSize = n
	e.mu.Unlock()
}

// SetMissing makes the Describe calls report these ARNs in `failures` with
// reason MISSING, as ECS does for a task or instance that vanished between
// the List and the Describe call.
func (e *ECS) SetMissing(arns ...string) {
	e.mu.Lock()
	for _, a := range arns {
		e.missing[a] = true
	}
	e.mu.Unlock()
}

// UpdateTask replaces the task with the same ARN (or adds it) in a
// cluster, e.g. to move it to STOPPED between two reads.
func (e *ECS) UpdateTask(cluster string, t types.Task) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.cluster(cluster)
	if c == nil {
		return fmt.Errorf("fakeaws: no cluster %q", cluster)
	}
	if t.ClusterArn == nil {
		t.ClusterArn = &c.arn
	}
	for i := range c.tasks {
		if ecsStr(c.tasks[i].TaskArn) == ecsStr(t.TaskArn) {
			c.tasks[i] = t
			return nil
		}
	}
	c.tasks = append(c.tasks, t)
	sort.SliceStable(c.tasks, func(i, j int) bool { return ecsStr(c.tasks[i].TaskArn) < ecsStr(c.tasks[j].TaskArn) })
	return nil
}

// RemoveTask drops a task from a cluster, as ECS forgets a stopped task
// some time after the hour it keeps showing it: no List call returns it
// and the Describe calls report it MISSING.
func (e *ECS) RemoveTask(cluster, arn string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.cluster(cluster)
	if c == nil {
		return fmt.Errorf("fakeaws: no cluster %q", cluster)
	}
	for i := range c.tasks {
		if ecsStr(c.tasks[i].TaskArn) == arn {
			c.tasks = append(c.tasks[:i], c.tasks[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("fakeaws: no task %q in cluster %q", arn, cluster)
}

func ecsStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// cluster finds a cluster by name or ARN; "" is "default". Caller holds mu.
func (e *ECS) cluster(ref string) *ecsCluster {
	if ref == "" {
		ref = "default"
	}
	for _, c := range e.clusters {
		// c.arn was made of Region and Account as they were when the
		// cluster was put; DescribeClusters answers them as they are.
		if c.name == ref || c.arn == ref || e.ClusterARN(c.name) == ref {
			return c
		}
	}
	return nil
}

func (e *ECS) findCluster(ref *string) (*ecsCluster, error) {
	c := e.cluster(ecsStr(ref))
	if c == nil {
		return nil, &APIError{Code: "ClusterNotFoundException", Message: "Cluster not found."}
	}
	return c, nil
}

func ecsDecode(body []byte, v any) error {
	if err := awswire.Unmarshal(body, v); err != nil {
		return &APIError{Code: "SerializationException", Message: err.Error()}
	}
	return nil
}

func ecsEncode(v any) (any, error) {
	b, err := awswire.Marshal(v)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(b), nil
}

func ecsInvalid(format string, args ...any) error {
	return &APIError{Code: "InvalidParameterException", Message: fmt.Sprintf(format, args...)}
}

// page cuts one page out of n items. The token is opaque to clients, as
// ECS's is: base64 of the offset.
func (e *ECS) page(n int, maxResults *int32, token *string) (from, to int, next *string, err error) {
	size := 100
	if e.pageSize > 0 {
		size = e.pageSize
	}
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > 100 {
			return 0, 0, nil, ecsInvalid("maxResults must be between 1 and 100.")
		}
		size = int(*maxResults)
	}
	if token != nil && *token != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(*token)
		off, perr := strconv.Atoi(strings.TrimPrefix(string(raw), "off:"))
		if derr != nil || perr != nil || !strings.HasPrefix(string(raw), "off:") || off < 0 || off > n {
			return 0, 0, nil, ecsInvalid("Invalid nextToken.")
		}
		from = off
	}
	to = from + size
	if to >= n {
		to = n
	} else {
		tok := base64.RawURLEncoding.EncodeToString([]byte("off:" + strconv.Itoa(to)))
		next = &tok
	}
	return from, to, next, nil
}

// arnMatches compares an ARN with a reference that may be the ARN or the ID
// (the part after the last '/').
func ecsARNMatches(arn, ref string) bool {
	if arn == ref {
		return true
	}
	i := strings.LastIndexByte(arn, '/')
	return i >= 0 && arn[i+1:] == ref
}

func (e *ECS) listContainerInstances(body []byte) (any, error) {
	var in ecs.ListContainerInstancesInput
	if err := ecsDecode(body, &in); err != nil {
		return nil, err
	}
	if in.Filter != nil && *in.Filter != "" {
		return nil, ecsInvalid("the fake ECS does not evaluate cluster query language filters")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c, err := e.findCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	var arns []string
	for _, ci := range c.cis {
		st := ecsStr(ci.Status)
		if (in.Status == "" && st != "INACTIVE") || string(in.Status) == st {
			arns = append(arns, ecsStr(ci.ContainerInstanceArn))
		}
	}
	from, to, next, err := e.page(len(arns), in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return ecsEncode(&ecs.ListContainerInstancesOutput{ContainerInstanceArns: ecsNonNil(arns[from:to]), NextToken: next})
}

func ecsNonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (e *ECS) describeContainerInstances(body []byte) (any, error) {
	var in ecs.DescribeContainerInstancesInput
	if err := ecsDecode(body, &in); err != nil {
		return nil, err
	}
	if len(in.ContainerInstances) == 0 || len(in.ContainerInstances) > 100 {
		return nil, ecsInvalid("containerInstances must contain between 1 and 100 items, got %d.", len(in.ContainerInstances))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c, err := e.findCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	out := &ecs.DescribeContainerInstancesOutput{ContainerInstances: []types.ContainerInstance{}, Failures: []types.Failure{}}
	for _, ref := range in.ContainerInstances {
		found := false
		for _, ci := range c.cis {
			if ecsARNMatches(ecsStr(ci.ContainerInstanceArn), ref) && !e.missing[ecsStr(ci.ContainerInstanceArn)] {
				out.ContainerInstances = append(out.ContainerInstances, ci)
				found = true
				break
			}
		}
		if !found {
			out.Failures = append(out.Failures, types.Failure{Arn: ecsPtr(ref), Reason: ecsPtr("MISSING")})
		}
	}
	return ecsEncode(out)
}

func ecsPtr[T any](v T) *T { return &v }

func (e *ECS) listTasks(body []byte) (any, error) {
	var in ecs.ListTasksInput
	if err := ecsDecode(body, &in); err != nil {
		return nil, err
	}
	desired := string(in.DesiredStatus)
	if desired == "" {
		desired = "RUNNING"
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c, err := e.findCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if in.ServiceName != nil && in.Family != nil {
		return nil, ecsInvalid("family and serviceName cannot both be specified.")
	}
	var arns []string
	for _, t := range c.tasks {
		switch {
		case ecsStr(t.DesiredStatus) != desired:
		case in.ContainerInstance != nil && !ecsARNMatches(ecsStr(t.ContainerInstanceArn), *in.ContainerInstance):
		case in.Family != nil && ecsTaskFamily(t) != *in.Family:
		case in.ServiceName != nil && ecsStr(t.Group) != "service:"+*in.ServiceName:
		case in.StartedBy != nil && ecsStr(t.StartedBy) != *in.StartedBy:
		case in.LaunchType != "" && t.LaunchType != in.LaunchType:
		default:
			arns = append(arns, ecsStr(t.TaskArn))
		}
	}
	from, to, next, err := e.page(len(arns), in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return ecsEncode(&ecs.ListTasksOutput{TaskArns: ecsNonNil(arns[from:to]), NextToken: next})
}

// taskFamily is the family in the task's task definition ARN
// (".../task-definition/web:3" → "web").
func ecsTaskFamily(t types.Task) string {
	s := ecsStr(t.TaskDefinitionArn)
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	return s
}

func (e *ECS) describeTasks(body []byte) (any, error) {
	var in ecs.DescribeTasksInput
	if err := ecsDecode(body, &in); err != nil {
		return nil, err
	}
	if len(in.Tasks) == 0 || len(in.Tasks) > 100 {
		return nil, ecsInvalid("tasks must contain between 1 and 100 items, got %d.", len(in.Tasks))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c, err := e.findCluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	out := &ecs.DescribeTasksOutput{Tasks: []types.Task{}, Failures: []types.Failure{}}
	for _, ref := range in.Tasks {
		found := false
		for _, t := range c.tasks {
			if ecsARNMatches(ecsStr(t.TaskArn), ref) && !e.missing[ecsStr(t.TaskArn)] {
				out.Tasks = append(out.Tasks, t)
				found = true
				break
			}
		}
		if !found {
			out.Failures = append(out.Failures, types.Failure{Arn: ecsPtr(ref), Reason: ecsPtr("MISSING")})
		}
	}
	return ecsEncode(out)
}

// describeClusters answers as ECS does: "If you do not specify a cluster,
// the default cluster is assumed"; up to 100 names or ARNs; one it does
// not hold is a failure with reason MISSING, not an error.
func (e *ECS) describeClusters(body []byte) (any, error) {
	var in ecs.DescribeClustersInput
	if err := ecsDecode(body, &in); err != nil {
		return nil, err
	}
	refs := in.Clusters
	if len(refs) == 0 {
		refs = []string{"default"}
	}
	if len(refs) > 100 {
		return nil, ecsInvalid("clusters can have at most 100 items, got %d.", len(refs))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	out := &ecs.DescribeClustersOutput{Clusters: []types.Cluster{}, Failures: []types.Failure{}}
	for _, ref := range refs {
		c := e.cluster(ref)
		if c == nil {
			arn := ref
			if !strings.HasPrefix(ref, "arn:") {
				arn = e.ClusterARN(ref)
			}
			out.Failures = append(out.Failures, types.Failure{Arn: ecsPtr(arn), Reason: ecsPtr("MISSING")})
			continue
		}
		var running, pending int32
		for _, t := range c.tasks {
			switch ecsStr(t.LastStatus) {
			case "RUNNING":
				running++
			case "PENDING", "PROVISIONING", "ACTIVATING":
				pending++
			}
		}
		out.Clusters = append(out.Clusters, types.Cluster{
			ClusterArn: ecsPtr(e.ClusterARN(c.name)), ClusterName: ecsPtr(c.name), Status: ecsPtr("ACTIVE"),
			RegisteredContainerInstancesCount: int32(len(c.cis)), RunningTasksCount: running, PendingTasksCount: pending,
		})
	}
	return ecsEncode(out)
}

func (e *ECS) describeTaskDefinition(body []byte) (any, error) {
	var in ecs.DescribeTaskDefinitionInput
	if err := ecsDecode(body, &in); err != nil {
		return nil, err
	}
	ref := ecsStr(in.TaskDefinition)
	e.mu.Lock()
	defer e.mu.Unlock()
	var best *types.TaskDefinition
	for i := range e.taskDefs {
		td := &e.taskDefs[i]
		fam := ecsStr(td.Family)
		famRev := fam + ":" + strconv.Itoa(int(td.Revision))
		switch {
		case ecsStr(td.TaskDefinitionArn) == ref, famRev == ref:
			return ecsEncode(&ecs.DescribeTaskDefinitionOutput{TaskDefinition: td})
		case fam == ref && td.Status != types.TaskDefinitionStatusInactive && (best == nil || td.Revision > best.Revision):
			best = td
		}
	}
	if best != nil {
		return ecsEncode(&ecs.DescribeTaskDefinitionOutput{TaskDefinition: best})
	}
	return nil, &APIError{Code: "ClientException", Message: "Unable to describe task definition."}
}
