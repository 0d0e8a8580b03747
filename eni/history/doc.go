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
// An Index is built by a [Builder] from what ECS reports: DescribeTasks
// results (attachments of type "ElasticNetworkInterface" and their details),
// EventBridge "ECS Task State Change" events (attachment type "eni"), saved
// `aws ecs describe-tasks` output, DescribeContainerInstances results, and the
// history file a [Watcher] keeps. The same task seen many times (every poll,
// every event, duplicates) merges into one [Task]: its validity interval
// widens as earlier timestamps appear and closes when it stops.
//
// An Index is immutable and safe for concurrent use; lookups do not allocate.
package history
