// Package intervals writes a task history (eni/history) as a table: one row
// per ownership interval of a key — a task ENI, a task address, a container
// instance's ENI or address, or a range of host ports a bridge-mode task
// bound on its container instance — with the owner's identity, placement
// and network mode. Engines that already hold the flow logs (Athena/Trino,
// Spark, DuckDB) join against it where the data lies; package
// flowlogs/attribution/sqlattr prints that join.
//
// # Ownership rules
//
// The rows are the intervals flowlogs/attribution's own index uses, so a
// join on them gives the Go engine's answer:
//
//   - task_eni: every task with an ENI; task_addr: the IPv4 and IPv6
//     addresses of awsvpc tasks (and tasks of unknown mode that have an
//     ENI); bridge and host tasks report their instance's address, which
//     is no single task's.
//   - instance_eni, instance_addr: container instances' primary ENI and
//     addresses (the trunk ENI is left out: records on it are branch, that
//     is task, traffic and are attributed by address).
//   - host_port: the networkBindings of tasks that are not awsvpc, on a
//     container instance the history knows, keyed by the container
//     instance ARN, protocol and port range: every port of a hostPortRange,
//     however wide, as attribution and eni/history hold it. A row is a run
//     of consecutive ports with the same owners over the same seconds,
//     whether one range or several bindings gave it.
//   - task: one row per task, its whole lifetime, for records whose v7
//     ecs-task-arn / ecs-task-id name the task directly. Those records
//     belong to the task whatever their second, so a task that lived
//     less than a whole second still has its row, with first_second >
//     last_second (it holds none; keys held for no whole second have no
//     rows).
//
// Owners of one key are made disjoint by the hand-off rule shared with
// eni/history and attribution (internal/ownership): the later owner takes
// the key at its start, or at the earlier task's executionStoppedAt when
// that falls later. Each row then holds, in whole Unix seconds as flow-log
// records carry them, the seconds its owner holds the key, first_second
// through last_second (null: since always / still running), and
// next_first_second, the first second of the key's next owner (null: none).
// A record of second t belongs to the row with
//
//	first_second <= t AND (next_first_second IS NULL OR t < next_first_second)
//
// when also t <= late_base_second + slack (the late slack: AWS documents
// that a record's start can lag its packets by up to 60 s, so a packet at
// an owner's stop can carry a start of stop + 60 s; late_base_second is
// that stop when the owner's own stop ends the interval on a whole second,
// else last_second). start and end are the same interval as timestamps
// (microseconds), end null while running.
//
// # Files
//
// [WriteParquet] and [WriteCSV] write the rows in a stable order (kind, key,
// port, start, task ARN): the same history gives the same bytes. The schema
// version ([SchemaVersion]) is in the Parquet key/value metadata under
// [MetadataKey], in the CSV header's first column name
// ("schema_v1:kind"), and in every row's last column, schema_version,
// which SQL engines read (they see no metadata) and sqlattr's join query
// checks, refusing rows of another version by name. Files written before
// that column lack it; they are version 1, and read so, by [ReadParquet]
// and by the query where they lie beside files with it (they give NULL);
// a table only of such files has no such column, and the query stops at
// its name: export the history again. [WritePartitioned] writes
// DIR/cluster=NAME/date=YYYY-MM-DD/intervals.parquet, NAME being the
// row's cluster ([UnknownCluster] when it has none) and date
// [PartitionDate]'s: the UTC date of the second the row's start falls in
// (1970-01-01 when open since always), so Athena partition projection can
// prune. A row owns records only from its first second on, and a task
// starting at 23:59:59.5 holds its keys from 00:00:00 the next day, but
// records of 23:59:59 on its ENI are outside its lifetime, not on an
// unknown ENI, and a record of that second may name it in its ecs-*
// fields: it is filed on the day its start falls in, with the records of
// that second. A query over records up to day D then needs only the
// partitions date <= D, of every cluster: the rows of later days start
// after D, and concern a record of D only as the key it lies on before
// any owner started (or as a task it names before the task started). The
// cluster= partitions cannot be pruned: the flow logs of one VPC carry
// every cluster's tasks, and a record on an ENI or address of a cluster
// left out is on a key the query does not know, so the address fallback
// may give it to a task of a cluster kept (the peer of that record), which
// then counts the bytes that its own ENI's record counts too.
// Engines that read the layout as partitions put the directory's values
// in place of the cluster column (UnknownCluster for rows without one)
// and may read date as a DATE.
//
// # Reading back
//
// [ReadParquet] reads a file WriteParquet wrote (checking its schema
// version, every row, and the sizes it claims before they are trusted), and
// [Index] rebuilds a task history from the rows, so that a program that
// holds only the table (a Lambda worker next to the flow logs) attributes
// as the Go engine does over the history the table was built from. Index
// documents which fields of tasks and instances the table does not carry,
// and proves each rebuild: Build over its result gives the rows back.
package intervals
