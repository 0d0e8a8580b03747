// Package eni computes ENI budgets for awsvpc tasks on Amazon ECS container
// instances: per instance type, per container instance and per cluster,
// and answers "can N more copies of this task definition be placed?" — as
// the task is, or moved to another network mode (bridge → awsvpc).
//
// # Limits per instance type
//
// [Builtin] is a table compiled into the package by `go generate` from
// data files kept in data/ (with their source headers): EC2's ENI limits
// for 1,391 instance types (max ENIs over all network cards, ENIs on the
// default card, IPv4/IPv6 addresses per ENI) and ECS's published task
// limits with ENI trunking (April 2023). A test keeps the generated table
// equal to what the generator makes of the data. [Limits] is an interface:
// use your own numbers from a TSV or JSON file with the same columns
// ([ParseLimitsTSV], [ParseLimitsJSON]), or live EC2 DescribeInstanceTypes
// values (package ec2limits), stacked over the built-in table with
// [Layer]. An unknown type is an [*UnknownTypeError] saying how to supply
// its numbers.
//
// # Budgets
//
// Without trunking ECS places max ENIs − 1 awsvpc tasks on an instance (the
// primary ENI takes a slot; p4d.24xlarge: 60 ENIs on 4 cards, 59 tasks).
// With trunking it places the published per-type limit, and the instance
// then holds that many branch ENIs plus the primary and the trunk ENI
// (c5.large: 10 tasks, 12 ENIs). Trunking is Linux only (never Windows) and
// not available for the T family or the types the ECS guide lists as
// unsupported. ECS counts only the ENIs it attached itself: ENIs attached
// by hand or by other software lower what really fits but not what ECS
// tries to place; [Budget] says so ([BudgetOptions.OtherENIs]).
//
// The published trunking table has rows AWS's own page contradicts or
// that are plainly wrong. They are kept as published, flagged ([Flag]), and
// handled so:
//
//   - a limit ≤ 0 (i4i.large: −2) is unusable: trunking status unknown,
//     and a trunking budget falls back to max ENIs − 1 with a note saying
//     how to supply the real number;
//   - a limit lower than without trunking (u-* types), the i4i family's
//     values that fit no other family's pattern, and rows for families or
//     types the same page lists as unsupported are used as published, with
//     a note on every budget that uses them;
//   - where the published limit without trunking disagrees with max ENIs − 1
//     (EC2 has since raised some types from 14 to 16 ENIs), the newer EC2
//     number is used, with a note;
//   - a type missing from the 2023 table is "trunking unknown", not
//     "unsupported" (newer families such as c7i are missing).
//
// # Clusters
//
// [ReadCluster] reads a cluster with the ECS API through package ecsread
// (any *ecs.Client): ListContainerInstances +
// DescribeContainerInstances, ListTasks + DescribeTasks, and
// DescribeTaskDefinition for the network modes, with the SDK paginators,
// Describe calls in batches of 100 with bounded concurrency, `failures`
// kept, and throttling retried by the SDK's retryer and, past it, by
// ecsread (a call tried again after a cut answer or the retryer giving
// up). The list and describe
// helpers live in ecsread, which the task history (eni/history) reads a
// cluster with too, so neither it nor attribution links this package's
// instance-type table. A [Snapshot] saves to and loads from JSON (the
// raw Describe outputs), so [Analyze], [WhatIf] and [WhatIfMode] run the
// same offline and in tests. The live paths need only the read-only
// actions in [IAMPolicy].
//
// [WhatIf] counts copies only where ECS would place them: on ACTIVE
// instances whose agent is connected, of the task's OS family when
// runtimePlatform names one (on EC2 it is optional, and without it ECS
// places the task on Linux and Windows instances alike), in a network mode the instance's OS runs (an omitted
// networkMode is bridge on Linux, default on Windows), meeting the task
// definition's attribute placement constraints, and, for awsvpc, with the
// agent's task-ENI capability.
package eni
