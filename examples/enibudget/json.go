package main

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ecsnet/ecsnet/eni"
)

// The JSON shapes are declared here, apart from eni's types, so that the
// documented output stays stable when the library's structs grow.

type limitsOut struct {
	InstanceType     string   `json:"instanceType"`
	MaxENIs          int      `json:"maxENIs"`
	DefaultCardENIs  int      `json:"defaultCardENIs"`
	NetworkCards     int      `json:"networkCards"`
	DefaultCardIndex int      `json:"defaultCardIndex"`
	IPv4PerENI       int      `json:"ipv4PerENI"`
	IPv6PerENI       int      `json:"ipv6PerENI"`
	Hypervisor       string   `json:"hypervisor"`
	BareMetal        bool     `json:"bareMetal"`
	TrunkingStatus   string   `json:"trunkingStatus"`
	PublishedWith    int      `json:"publishedTasksWithTrunking"`
	PublishedWithout int      `json:"publishedTasksWithoutTrunking"`
	Flags            []string `json:"flags"`
	Source           string   `json:"source"`
	// DataAsOf is the age of the built-in data, when the numbers came from it.
	DataAsOf string `json:"dataAsOf,omitempty"`
}

func limitsJSON(it eni.InstanceType) limitsOut {
	flags := []string{}
	if f := it.Trunking.Flags.String(); f != "" {
		flags = strings.Split(f, "; ")
	}
	out := limitsOut{it.Name, it.MaxENIs, it.DefaultCardENIs, it.NetworkCards, it.DefaultCardIndex, it.IPv4PerENI, it.IPv6PerENI,
		it.Hypervisor, it.BareMetal, it.Trunking.Status.String(), it.Trunking.Tasks, it.Trunking.PublishedWithout, flags, it.Source, ""}
	if strings.HasPrefix(it.Source, "built-in") {
		out.DataAsOf = eni.DataVintage
	}
	return out
}

type budgetOut struct {
	InstanceType   string `json:"instanceType"`
	MaxENIs        int    `json:"maxENIs"`
	Trunking       bool   `json:"trunking"`
	TrunkingStatus string `json:"trunkingStatus"`
	ECSTasks       int    `json:"ecsTasks"`
	Tasks          int    `json:"tasks"`
	InstanceENIs   int    `json:"instanceENIs"`
	OtherENIs      int    `json:"otherENIs"`
	// Source is where the type's limits came from (eni.Budget.Source):
	// added after the first release, left out when unknown.
	Source string   `json:"source,omitempty"`
	Notes  []string `json:"notes"`
}

func budgetJSON(b eni.Budget) budgetOut {
	return budgetOut{b.InstanceType, b.MaxENIs, b.Trunking, b.TrunkingStatus.String(), b.ECSTasks, b.Tasks,
		b.InstanceENIs, b.OtherENIs, b.Source, nonNil(b.Notes)}
}

// nonNil returns the notes (rewritten for people, see forPeople), never
// null in JSON.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return notesForPeople(s)
}

type instanceOut struct {
	ContainerInstanceARN string         `json:"containerInstanceArn"`
	EC2InstanceID        string         `json:"ec2InstanceId"`
	InstanceType         string         `json:"instanceType"`
	OS                   string         `json:"os"`
	Status               string         `json:"status"`
	TrunkENI             string         `json:"trunkEni"` // = TrunkID, kept for compatibility (not an ENI ID)
	Budget               int            `json:"budget"`
	InUse                int            `json:"inUse"`
	Left                 int            `json:"left"`
	Provisioning         int            `json:"provisioning"`
	Stopping             int            `json:"stopping"`
	Tasks                eni.ModeCounts `json:"tasks"`
	RemainingCPU         int            `json:"remainingCpu"`
	RemainingMemory      int            `json:"remainingMemory"`
	Notes                []string       `json:"notes"`
	Error                string         `json:"error"`
	// Trunk: the instance has a trunk network interface (see main.go).
	Trunk   bool   `json:"trunk"`
	TrunkID string `json:"trunkId"`
}

type failureOut struct {
	ARN    string `json:"arn"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

type clusterOut struct {
	Name         string         `json:"name"`
	TakenAt      *time.Time     `json:"takenAt"`
	Budget       int            `json:"budget"`
	InUse        int            `json:"inUse"`
	Left         int            `json:"left"`
	Provisioning int            `json:"provisioning"`
	Stopping     int            `json:"stopping"`
	Tasks        eni.ModeCounts `json:"tasks"`
	Instances    []instanceOut  `json:"instances"`
	Failures     []failureOut   `json:"failures"`
	Notes        []string       `json:"notes"`
}

func clusterJSON(r *eni.ClusterReport) clusterOut {
	c := clusterOut{Name: r.Cluster, Budget: r.Budget, InUse: r.InUse, Left: r.Left, Provisioning: r.Provisioning, Stopping: r.Stopping,
		Tasks: r.Tasks, Instances: []instanceOut{}, Failures: []failureOut{}, Notes: nonNil(r.Notes)}
	if !r.TakenAt.IsZero() {
		t := r.TakenAt.UTC()
		c.TakenAt = &t
	}
	for _, ir := range r.Instances {
		os := "linux"
		if ir.Windows {
			os = "windows"
		}
		c.Instances = append(c.Instances, instanceOut{ir.ContainerInstanceARN, ir.EC2InstanceID, ir.InstanceType, os, ir.Status,
			ir.TrunkID, ir.Budget.ECSTasks, ir.ENIsInUse, ir.ENIsLeft, ir.Provisioning, ir.Stopping, ir.Tasks, ir.RemainingCPU, ir.RemainingMemory,
			nonNil(ir.Budget.Notes), forPeople.Replace(ir.Err), ir.Trunk, ir.TrunkID})
	}
	for _, f := range r.Failures {
		c.Failures = append(c.Failures, failureOut{aws.ToString(f.Arn), aws.ToString(f.Reason), aws.ToString(f.Detail)})
	}
	return c
}

type fitOut struct {
	ContainerInstanceARN string `json:"containerInstanceArn"`
	InstanceType         string `json:"instanceType"`
	ByENI                int    `json:"byEni"`
	ByPorts              int    `json:"byPorts"`
	ByCPU                int    `json:"byCpu"`
	ByMemory             int    `json:"byMemory"`
	Fits                 int    `json:"fits"`
	Binding              string `json:"binding"`
	Reason               string `json:"reason"`
	Placed               int    `json:"placed"`
	Skipped              string `json:"skipped"`
}

type needOut struct {
	InstanceType string `json:"instanceType"`
	Candidate    bool   `json:"candidate"`
	PerInstance  int    `json:"perInstance"`
	Binding      string `json:"binding"`
	Reason       string `json:"reason"`
	Instances    int    `json:"instances"`
	// Windows: the entry is for Windows instances of the type (a type
	// with instances of both OSes has an entry for each). Added after
	// the first release.
	Windows bool `json:"windows"`
}

type whatIfJSON struct {
	Label          string    `json:"label"`
	TaskDefinition string    `json:"taskDefinition"`
	Mode           string    `json:"mode"`
	Trunking       string    `json:"trunking"`
	CPU            int       `json:"cpu"`
	Memory         int       `json:"memory"`
	Requested      int       `json:"requested"`
	Fits           int       `json:"fits"`
	Placed         int       `json:"placed"`
	Short          int       `json:"short"`
	Instances      []fitOut  `json:"instances"`
	ForTheRest     []needOut `json:"forTheRest"`
	Notes          []string  `json:"notes"`
}

func toWhatIfJSON(label string, r *eni.WhatIfResult) whatIfJSON {
	w := whatIfJSON{Label: label, TaskDefinition: r.TaskDefinition, Mode: r.Mode.String(), Trunking: r.Trunking.String(),
		CPU: r.CPU, Memory: r.Memory, Requested: r.Requested, Fits: r.Fits, Placed: r.Placed, Short: r.Short,
		Instances: []fitOut{}, ForTheRest: []needOut{}, Notes: nonNil(r.Notes)}
	for _, f := range r.Instances {
		w.Instances = append(w.Instances, fitOut{f.ContainerInstanceARN, f.InstanceType, f.ByENI, f.ByPorts, f.ByCPU, f.ByMemory,
			f.Fits, f.Binding, forPeople.Replace(f.Reason), f.Placed, forPeople.Replace(f.Skipped)})
	}
	for _, n := range r.ForTheRest {
		w.ForTheRest = append(w.ForTheRest, needOut{n.InstanceType, n.Candidate, n.PerInstance, n.Binding, forPeople.Replace(n.Reason), n.Instances, n.Windows})
	}
	return w
}
