// Package ecsnet makes the network modes of Amazon ECS on EC2 executable:
// what each mode gives and costs, how many awsvpc tasks an instance can
// hold, and — from VPC Flow Logs — how much traffic each task actually sent
// and received. This file is the guided tour; every package has its own
// documentation and runnable examples.
//
// # The problem
//
// In bridge mode every task on an instance shares the instance's ENI and
// security groups: VPC Flow Logs see one interface, so traffic cannot be
// told apart per task, and no security group can be scoped to one task.
// awsvpc mode gives every task its own ENI — its own security groups, its
// own flow-log stream, an ip target for ALB/NLB — at the price of an ENI
// budget per instance (the primary ENI included), which ENI trunking raises.
// This module turns both sides of that trade-off into numbers.
//
// # How the packages fit
//
// Data flows one way:
//
//	ECS API or saved describe-* JSON ──► eni (limits, budgets)
//	                                 └──► eni/history (who owned which ENI/IP, when)
//	flow-log source (file, S3 layout, S3, Parquet, CloudWatch Logs)
//	      ──► flowlogs (records) ──► flowlogs/attribution (+ history) ──► rollups ──► report
//
// netmode is a leaf: it knows the modes' rules and plans host ports, and eni
// uses it for its what-if questions. The SDK clients that pull in large
// dependency trees (ec2, s3, cloudwatchlogs) live in their own sub-packages,
// so a program that only parses flow logs builds the standard library and a
// gzip decoder, nothing else.
//
// # netmode: the modes as data and rules
//
// [github.com/ecsnet/ecsnet/netmode] validates a task definition against
// its mode's rules, returning every problem at once with its path, a stable
// code and ECS's own wording; describes each mode as queryable properties;
// and plans the host ports one copy of a task takes on an instance.
//
//	td, err := netmode.LoadFile("taskdef.json") // describe-task-definition output
//	if err := netmode.Validate(td); err != nil {
//		var ps netmode.Problems
//		errors.As(err, &ps) // each: Path, Code, Severity, Message
//	}
//	plan, _ := netmode.PlanPorts(td, netmode.Host{}) // Linux instance, agent defaults
//	fmt.Println(plan.Copies, plan.Constraint, plan.Reason)
//
// # eni: ENI budgets
//
// [github.com/ecsnet/ecsnet/eni] knows every EC2 instance type's ENI limits
// (a table generated from data kept in the repository; live values from
// [github.com/ecsnet/ecsnet/eni/ec2limits]) and ECS's trunking limits, and
// reads a cluster from the ECS API or a saved snapshot to say how many more
// awsvpc tasks fit where, and what a bridge → awsvpc move would cost.
// Both eni and eni/history read a live cluster through
// [github.com/ecsnet/ecsnet/ecsread]: read-only list and describe calls,
// batched, bounded in concurrency and retried.
//
//	b, _ := eni.BudgetFor(ctx, eni.Builtin(), "c5.large", eni.BudgetOptions{Trunking: true})
//	fmt.Println(b.Tasks) // 10 (2 without trunking)
//	snap, _ := eni.ReadCluster(ctx, ecs.NewFromConfig(cfg), "prod")
//	an, _ := eni.Analyze(ctx, snap, eni.Builtin()) // ENIs used and left per instance
//	w, _ := eni.WhatIfMode(ctx, snap, eni.Builtin(), td, 10, netmode.ModeAWSVPC)
//
// # eni/history: who owned which ENI and address, when
//
// [github.com/ecsnet/ecsnet/eni/history] builds a time-aware index from
// DescribeTasks output, EventBridge "ECS Task State Change" events and
// container instances, live or from files; its Watcher polls a cluster into
// an append-only history file, so short-lived tasks are not missed.
//
//	b := history.NewBuilder()
//	b.LoadFiles("describe-tasks.json", "events.jsonl")
//	task, ok := b.Index().TaskByENI("eni-0a1b2c3d4e5f60711", t)
//
// Bridge- and host-mode tasks share their instance's primary interface,
// which ECS does not report: for their traffic, give the history
// `aws ec2 describe-instances` output (LoadFiles) or read it live with
// [github.com/ecsnet/ecsnet/eni/history/ec2primary] (Watcher.Primary =
// ec2primary.Func(ec2Client)).
//
// # flowlogs: records, fast
//
// [github.com/ecsnet/ecsnet/flowlogs] parses every record version (2–11) and
// any custom format, plain or gzip, with the header line or a given format,
// in constant memory and without allocating per record.
//
//	r := flowlogs.NewReader(f, flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes))
//	for r.Scan() {
//		rec := r.Record() // reused by the next Scan
//		total[rec.InterfaceID] += rec.Bytes
//	}
//	err := r.Err() // *flowlogs.ParseError names source, line and field
//
// One big plain file goes on several cores with
// [github.com/ecsnet/ecsnet/flowlogs.Split]: one Reader per line-aligned
// part, results merged in part order.
//
// Sources: [github.com/ecsnet/ecsnet/flowlogs/source] (files and directory
// trees laid out like S3 delivery, pruned by account, region and time, read
// in parallel with a deterministic result), [github.com/ecsnet/ecsnet/flowlogs/s3source],
// [github.com/ecsnet/ecsnet/flowlogs/parquetsource] and
// [github.com/ecsnet/ecsnet/flowlogs/cwlogs] (CloudWatch Logs: two read
// strategies, quota-aware rate limiting, resumable cursors; its
// subscription sub-package decodes the envelopes Lambda receives, and its
// ec2format sub-package reads the record formats of the flow logs writing a
// log group from EC2, as CloudWatch events carry no header line). Each
// takes the parser's own options (flowlogs.WithFormats, WithFields,
// WithFilter, WithLenient…) one way: source.WithReaderOptions,
// cwlogs.WithReaderOptions.
//
// # flowlogs/attribution: traffic per task
//
// [github.com/ecsnet/ecsnet/flowlogs/attribution] joins each record to the
// task that owned the interface (or the address, or — in bridge mode — the
// host port) at the record's time, rolls traffic up per task, service,
// family, container instance and cluster, and keeps what it cannot attribute
// with a reason, so attributed + unattributed = total, always.
// [github.com/ecsnet/ecsnet/flowlogs/attribution/report] renders a result as
// a table, JSON or CSV, and its sub-package report/html as a self-contained
// HTML page with charts (only it links the plotting library);
// [github.com/ecsnet/ecsnet/flowlogs/attribution/ec2topology] reads the
// subnets and VPCs (live or saved CLI output) that classify peers as same
// AZ, cross-AZ or other VPC, and the network interfaces of Application and
// Classic Load Balancer nodes, a class of their own: AWS does not bill
// their cross-AZ transfer with their targets.
//
//	a := attribution.New(b.Index())
//	err := a.AddAll(flowlogs.NewReader(f, flowlogs.WithFields(attribution.Fields()...)).All())
//	res := a.Result(attribution.ByService)
//	report.WriteJSON(os.Stdout, res)
//
// [github.com/ecsnet/ecsnet/flowlogs/attribution/pricing] turns those bytes
// into money: a price table per peer class and direction (pricing.BuiltIn,
// or your own with pricing.LoadFile), given to a report with
// report.WithPrices; bytes it cannot price are reported as unpriced, never
// as free.
//
// At platform scale (ten thousand tasks) Attributor.Groups yields the same
// groups one at a time instead of holding them all in a Result.
//
// # Beyond one machine: the same join in SQL
//
// Where flow logs already lie in S3 and are queried with Athena, Spark or
// DuckDB, [github.com/ecsnet/ecsnet/eni/history/intervals] writes the task
// history as a table (one row per ownership interval, Parquet or CSV,
// optionally partitioned for projection), and
// [github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr] prints the same
// join for each engine; the nested module sqltest proves DuckDB's answer
// equal to attribution's, group by group.
//
// # Beyond one machine: fan out, then merge
//
// Or run attribution next to the data, one flow-log object at a time, and
// add the parts up: [github.com/ecsnet/ecsnet/flowlogs/attribution.Attributor.Partial] is what an input
// contributed, [github.com/ecsnet/ecsnet/flowlogs/attribution.Merge] adds partials exactly (top-K summaries
// by their own merge rule, with error bounds; [github.com/ecsnet/ecsnet/flowlogs/attribution.Merger] adds them
// one at a time, in place, as a reduce reads them), and
// [github.com/ecsnet/ecsnet/flowlogs/attribution/partials] writes them as
// Parquet (from [github.com/ecsnet/ecsnet/flowlogs/attribution.Attributor.PartialStream], one task at a time,
// in a worker's memory). examples/lambda is the per-object worker on S3 events;
// `attribute -merge` or the SQL of [github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr.Reduce] adds up what it wrote.
//
// The programs under examples/ are thin shells over these calls:
// examples/attribute (the main job, and -partial/-merge), examples/record
// (a cluster's task history kept in a file by the Watcher), examples/lambda
// (the fan-out's worker), examples/enibudget, examples/netmodes and
// examples/cwlogs.
//
// Every live path is read-only but for the fan-out worker's own outputs;
// [github.com/ecsnet/ecsnet/iampolicy] writes down the IAM actions each
// path calls, as statements to build a role's policy from (eni.IAMPolicy and
// cwlogs.IAMPolicy are built from them too).
package ecsnet
