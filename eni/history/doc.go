// Package history is a time-aware record of which ECS task (or container
// instance) owned which ENI, private IP address and host port, and when.
//
// VPC Flow Logs name an interface (interface-id) and addresses, not a task.
// Task ENIs are created when an awsvpc task starts and deleted when it stops,
// and a later task can be given the same private IP, so joining a flow record
// to a task needs the owner at the record's time, not the owner now. An
// [Index] answers exactly that:
//
//	idx.TaskByENI("eni-0abc", t)        // awsvpc: the task's own ENI
//	idx.TaskByIP(addr, t)               // task private IPv4/IPv6
//	idx.InstanceByENI("eni-0def", t)    // a container instance's primary (or trunk) ENI
//	idx.TaskByHostPort(ci, 32768, 6, t) // bridge/host: a host port on that instance
//
// An Index is built by a [Builder] from what ECS reports:
//
//   - DescribeTasks results (attachments of type "ElasticNetworkInterface"
//     and their details; containers' networkBindings) and
//     DescribeContainerInstances results: [Builder.AddTasks],
//     [Builder.AddContainerInstances], or live with [Collect];
//   - saved files and event archives: [Builder.LoadFiles] and [Decoder] read
//     `aws ecs describe-tasks` output, EventBridge "ECS Task State Change"
//     events (attachment type "eni") as CloudWatch Logs, S3 or SQS deliver
//     them, eni cluster snapshots, and `aws ec2 describe-instances` output
//     for the instances' primary interfaces, which ECS does not report (live:
//     package ec2primary);
//   - a [Watcher], which polls a cluster and appends every change to a
//     history file, so tasks shorter-lived than ECS's one-hour memory of
//     stopped tasks are kept, and which can be restarted at will.
//
// The same task seen many times (every poll, every event, duplicates, in any
// order) merges into one [Task]: its validity interval widens as earlier
// timestamps appear and closes when it stops.
//
// An Index is immutable and safe for concurrent use; lookups do not allocate.
package history
