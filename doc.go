// Package ecsnet makes the network modes of Amazon ECS on EC2 executable:
// what each mode gives and costs, how many awsvpc tasks an instance can hold,
// and, from VPC Flow Logs, how much traffic each task actually sent and
// received.
//
// This file is the guided tour; each package has its own documentation and
// runnable examples.
//
// # The problem
//
// In bridge mode every task on an instance shares the instance's ENI and
// security groups: VPC Flow Logs see one interface, so traffic cannot be
// told apart per task, and a security group cannot be scoped to one task.
// awsvpc mode gives every task its own ENI — its own security groups, its
// own flow-log stream, an ip target for ALB/NLB — at the price of an ENI
// budget per instance (the primary ENI included), which ENI trunking raises.
//
// # Packages
//
//   - [github.com/ecsnet/ecsnet/netmode]: the four modes (and Windows'
//     default) as data and rules: validate task definitions, plan host ports.
//   - [github.com/ecsnet/ecsnet/eni]: ENI limits per instance type and
//     budgets per container instance and cluster, read live from ECS.
//   - [github.com/ecsnet/ecsnet/flowlogs]: a streaming VPC Flow Log parser
//     and its sources.
//
// Data flows one way: ECS API (or saved describe-* JSON) → eni; flow-log
// source → flowlogs records → attribution → rollups → report.
package ecsnet
