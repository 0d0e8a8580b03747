-- Partials as the workers write them: …/cluster=NAME/date=YYYY-MM-DD/hour=HH/*.parquet (schema version 4).
CREATE EXTERNAL TABLE IF NOT EXISTS partials (
  `kind` string,
  `task_arn` string,
  `cluster_arn` string,
  `cluster_name` string,
  `service_group` string,
  `family` string,
  `container_instance_arn` string,
  `ec2_instance_id` string,
  `task_definition_arn` string,
  `revision` bigint,
  `launch_type` string,
  `network_mode` string,
  `availability_zone` string,
  `subnet_id` string,
  `eni` string,
  `ipv4` string,
  `ipv6` string,
  `last_status` string,
  `task_version` bigint,
  `valid_start` timestamp,
  `valid_end` timestamp,
  `ecs_field_only` boolean,
  `instance_known` boolean,
  `instance_type` string,
  `instance_availability_zone` string,
  `instance_version` bigint,
  `bytes_in` bigint,
  `bytes_out` bigint,
  `bytes_unknown` bigint,
  `packets_in` bigint,
  `packets_out` bigint,
  `packets_unknown` bigint,
  `accepted_bytes` bigint,
  `rejected_bytes` bigint,
  `inferred_bytes` bigint,
  `inferred_records` bigint,
  `peers_bound` bigint,
  `ports_bound` bigint,
  `interfaces_bound` bigint,
  `peer` string,
  `peer_service` string,
  `peer_class` string,
  `protocol` int,
  `port` int,
  `interface_id` string,
  `reason` string,
  `method` string,
  `bucket_start` timestamp,
  `input_name` string,
  `input_since` timestamp,
  `input_until` timestamp,
  `bytes` bigint,
  `packets` bigint,
  `records` bigint,
  `max_error` bigint,
  `step_seconds` bigint,
  `peers_kept` int,
  `ports_kept` int,
  `interfaces_kept` int,
  `peer_prefix_v4` int,
  `peer_prefix_v6` int,
  `no_peers` boolean,
  `no_ip_fallback` boolean,
  `late_slack_seconds` bigint,
  `topology` string,
  `rule_version` int,
  `first` timestamp,
  `last` timestamp,
  `ecs_field_disagreements` bigint,
  `ecs_field_only_records` bigint,
  `direction_unknown` bigint,
  `series_dropped` bigint,
  `skip_data` bigint,
  `overflow` boolean,
  `schema_version` int
)
PARTITIONED BY (`cluster` string, `date` string, `hour` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://ecsnet-partials/partials/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.cluster.type' = 'enum', 'projection.cluster.values' = 'demo,prod',
  'projection.date.type' = 'date', 'projection.date.format' = 'yyyy-MM-dd', 'projection.date.range' = '2026-01-01,NOW',
  'projection.date.interval' = '1', 'projection.date.interval.unit' = 'DAYS',
  'projection.hour.type' = 'integer', 'projection.hour.range' = '0,23', 'projection.hour.digits' = '2',
  'storage.location.template' = 's3://ecsnet-partials/partials/cluster=${cluster}/date=${date}/hour=${hour}/'
);

-- Adds up partials (schema version 4) by service: what attribution.Merge reports.
WITH inputs AS (
  SELECT t.input_name, t.input_since, t.input_until FROM partials t WHERE t."kind" = 'input' AND ("date" BETWEEN '2026-11-01' AND '2026-11-07')
), overlap AS (
  SELECT MIN(x.input_name) AS ecsnet_overlap FROM (
    SELECT a.input_name FROM inputs a JOIN inputs b ON a.input_name = b.input_name
      AND (a.input_since IS NULL OR b.input_until IS NULL OR a.input_since < b.input_until)
      AND (b.input_since IS NULL OR a.input_until IS NULL OR b.input_since < a.input_until)
    GROUP BY a.input_name, a.input_since, a.input_until HAVING COUNT(*) > 1
  ) x
), ids AS (
  SELECT regexp_extract(t.task_arn, '([^/]*)$', 1) AS task_id, MAX(t.task_arn) AS task_arn FROM partials t
  WHERE t."kind" = 'task' AND ("date" BETWEEN '2026-11-01' AND '2026-11-07') AND t.task_arn LIKE '%/%' AND t.task_arn NOT LIKE '%/' GROUP BY regexp_extract(t.task_arn, '([^/]*)$', 1)
), tasks AS (
  SELECT t.*, COALESCE(CASE WHEN t.ecs_field_only AND t.task_arn NOT LIKE '%/%' THEN d.task_arn END, t.task_arn) AS task_key
  FROM partials t LEFT JOIN ids d ON d.task_id = t.task_arn WHERE t."kind" = 'task' AND ("date" BETWEEN '2026-11-01' AND '2026-11-07')
), ident AS (
  SELECT x.task_key, x.gk FROM (
    SELECT t.task_key, t.service_group AS gk, ROW_NUMBER() OVER (PARTITION BY t.task_key ORDER BY
      CASE WHEN t.ecs_field_only THEN 1 ELSE 0 END, t.task_version DESC,
      CASE t.last_status WHEN 'PROVISIONING' THEN 1 WHEN 'PENDING' THEN 2 WHEN 'ACTIVATING' THEN 3 WHEN 'RUNNING' THEN 4 WHEN 'DEACTIVATING' THEN 5 WHEN 'STOPPING' THEN 6 WHEN 'DEPROVISIONING' THEN 7 WHEN 'STOPPED' THEN 8 WHEN 'DELETED' THEN 9 ELSE 0 END DESC,
      CASE WHEN t.valid_end IS NULL THEN 1 ELSE 0 END, CASE WHEN t.task_arn = t.task_key THEN 0 ELSE 1 END, t.service_group) AS rn
    FROM tasks t
  ) x WHERE x.rn = 1
), o AS (
  SELECT 'group' AS kind, i.gk AS "key", CASE WHEN SUM(CAST(t.bytes_in AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.bytes_in AS DECIMAL(20,0))), 0) AS BIGINT) END AS bytes_in, CASE WHEN SUM(CAST(t.bytes_out AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.bytes_out AS DECIMAL(20,0))), 0) AS BIGINT) END AS bytes_out, CASE WHEN SUM(CAST(t.packets_in AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.packets_in AS DECIMAL(20,0))), 0) AS BIGINT) END AS packets_in, CASE WHEN SUM(CAST(t.packets_out AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.packets_out AS DECIMAL(20,0))), 0) AS BIGINT) END AS packets_out,
    CASE WHEN SUM(CAST(t.bytes AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.bytes AS DECIMAL(20,0))), 0) AS BIGINT) END AS bytes, CASE WHEN SUM(CAST(t.packets AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.packets AS DECIMAL(20,0))), 0) AS BIGINT) END AS packets, CASE WHEN SUM(CAST(t.records AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.records AS DECIMAL(20,0))), 0) AS BIGINT) END AS records,
    CASE WHEN SUM(CAST(t.bytes_unknown AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.bytes_unknown AS DECIMAL(20,0))), 0) AS BIGINT) END AS bytes_unknown_direction, CASE WHEN SUM(CAST(t.packets_unknown AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.packets_unknown AS DECIMAL(20,0))), 0) AS BIGINT) END AS packets_unknown_direction,
    CASE WHEN SUM(CAST(t.accepted_bytes AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.accepted_bytes AS DECIMAL(20,0))), 0) AS BIGINT) END AS accepted_bytes, CASE WHEN SUM(CAST(t.rejected_bytes AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.rejected_bytes AS DECIMAL(20,0))), 0) AS BIGINT) END AS rejected_bytes, 0 AS ord, -CASE WHEN SUM(CAST(t.bytes AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.bytes AS DECIMAL(20,0))), 0) AS BIGINT) END AS heavy
  FROM tasks t JOIN ident i ON i.task_key = t.task_key GROUP BY i.gk
  UNION ALL
  SELECT 'unattributed', t.reason, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),
    CASE WHEN SUM(CAST(t.bytes AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.bytes AS DECIMAL(20,0))), 0) AS BIGINT) END, CASE WHEN SUM(CAST(t.packets AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.packets AS DECIMAL(20,0))), 0) AS BIGINT) END, CASE WHEN SUM(CAST(t.records AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.records AS DECIMAL(20,0))), 0) AS BIGINT) END, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), 1, CAST(MIN(CASE t.reason WHEN 'NODATA' THEN 0 WHEN 'SKIPDATA' THEN 1 WHEN 'unknown ENI' THEN 2 WHEN 'outside any task''s lifetime' THEN 3 WHEN 'shared instance ENI, no port binding' THEN 4 WHEN 'host-mode task' THEN 5 WHEN 'ecs-* task over the learned-task limit' THEN 6 END) AS BIGINT)
  FROM partials t WHERE t."kind" = 'unattributed' AND ("date" BETWEEN '2026-11-01' AND '2026-11-07') GROUP BY t.reason
  UNION ALL
  SELECT 'total', '', CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CASE WHEN SUM(CAST(t.bytes AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.bytes AS DECIMAL(20,0))), 0) AS BIGINT) END, CASE WHEN SUM(CAST(t.packets AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.packets AS DECIMAL(20,0))), 0) AS BIGINT) END, CASE WHEN SUM(CAST(t.records AS DECIMAL(20,0))) > 9223372036854775807 THEN fail('ecsnet: a sum passes 2^63-1, the largest BIGINT (attribution counts it as a uint64)') ELSE CAST(COALESCE(SUM(CAST(t.records AS DECIMAL(20,0))), 0) AS BIGINT) END, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),
    CASE WHEN COUNT(*) = 0 THEN fail('ecsnet: no partials to add up (no meta rows in the table, or none passes the filter)')
      WHEN COUNT(t.schema_version) < COUNT(*) OR MIN(t.schema_version) <> 4 OR MAX(t.schema_version) <> 4 THEN fail('ecsnet: partials of another schema version than 4, the one this query reads: read them with the ecsnet that wrote them, or write them again')
      WHEN COUNT(DISTINCT t.step_seconds) > 1 OR COUNT(DISTINCT t.peers_kept) > 1 OR COUNT(DISTINCT t.ports_kept) > 1 OR COUNT(DISTINCT t.interfaces_kept) > 1 OR COUNT(DISTINCT t.peer_prefix_v4) > 1 OR COUNT(DISTINCT t.peer_prefix_v6) > 1 OR COUNT(DISTINCT t.no_peers) > 1 OR COUNT(DISTINCT t.no_ip_fallback) > 1 OR COUNT(DISTINCT t.late_slack_seconds) > 1 OR COUNT(DISTINCT t.topology) > 1 OR COUNT(DISTINCT t.rule_version) > 1 THEN fail('ecsnet: partials made with other options (attribution.PartialConfig), which do not add up; they differ in' || CASE WHEN COUNT(DISTINCT t.step_seconds) > 1 THEN ' step_seconds' ELSE '' END || CASE WHEN COUNT(DISTINCT t.peers_kept) > 1 THEN ' peers_kept' ELSE '' END || CASE WHEN COUNT(DISTINCT t.ports_kept) > 1 THEN ' ports_kept' ELSE '' END || CASE WHEN COUNT(DISTINCT t.interfaces_kept) > 1 THEN ' interfaces_kept' ELSE '' END || CASE WHEN COUNT(DISTINCT t.peer_prefix_v4) > 1 THEN ' peer_prefix_v4' ELSE '' END || CASE WHEN COUNT(DISTINCT t.peer_prefix_v6) > 1 THEN ' peer_prefix_v6' ELSE '' END || CASE WHEN COUNT(DISTINCT t.no_peers) > 1 THEN ' no_peers' ELSE '' END || CASE WHEN COUNT(DISTINCT t.no_ip_fallback) > 1 THEN ' no_ip_fallback' ELSE '' END || CASE WHEN COUNT(DISTINCT t.late_slack_seconds) > 1 THEN ' late_slack_seconds' ELSE '' END || CASE WHEN COUNT(DISTINCT t.topology) > 1 THEN ' topology' ELSE '' END || CASE WHEN COUNT(DISTINCT t.rule_version) > 1 THEN ' rule_version' ELSE '' END)
      WHEN MAX(v.ecsnet_overlap) IS NOT NULL THEN fail('ecsnet: partials that hold the same flow-log records, which would be counted twice (attribution.OverlapError): ' || MAX(v.ecsnet_overlap) || ' is an input of two of them')
      ELSE 2 END, 0
  FROM partials t CROSS JOIN overlap v WHERE t."kind" = 'meta' AND ("date" BETWEEN '2026-11-01' AND '2026-11-07')
)
SELECT kind, "key", bytes_in, bytes_out, packets_in, packets_out, bytes, packets, records, bytes_unknown_direction, packets_unknown_direction, accepted_bytes, rejected_bytes
FROM o
ORDER BY ord, heavy, "key";
