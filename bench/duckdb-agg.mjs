// DuckDB side of the side-by-side benchmark (bench/README.md): the same
// aggregation as flowagg, bytes, packets and record count per
// interface-id, with DuckDB's CSV reader (which also reads .gz files).
//
//   node duckdb-agg.mjs FILE THREADS
//
// Prints the same summary line as flowagg.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, threads = '1'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node duckdb-agg.mjs FILE [THREADS]');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await instance.connect();
// Explicit column types: no sniffing, and '-' ("absent") read as NULL.
const columns = {
  version: 'INTEGER', account_id: 'VARCHAR', interface_id: 'VARCHAR', srcaddr: 'VARCHAR',
  dstaddr: 'VARCHAR', srcport: 'INTEGER', dstport: 'INTEGER', protocol: 'INTEGER',
  packets: 'BIGINT', bytes: 'BIGINT', start: 'BIGINT', end: 'BIGINT', action: 'VARCHAR',
  log_status: 'VARCHAR',
};
const cols = '{' + Object.entries(columns).map(([k, v]) => `'${k}': '${v}'`).join(', ') + '}';
const src = `read_csv('${file.replaceAll("'", "''")}', delim=' ', header=true, nullstr='-', columns=${cols})`;
const reader = await con.runAndReadAll(
  `SELECT interface_id, sum(bytes)::BIGINT, sum(packets)::BIGINT, count(*)::BIGINT,
          count(*) FILTER (WHERE log_status = 'SKIPDATA')::BIGINT
   FROM ${src} GROUP BY interface_id`);
let enis = 0, recs = 0n, bytes = 0n, pkts = 0n, skip = 0n;
for (const [, b, p, n, s] of reader.getRows()) {
  enis++;
  bytes += BigInt(b ?? 0);
  pkts += BigInt(p ?? 0);
  recs += BigInt(n);
  skip += BigInt(s);
}
console.log(`ENIS ${enis} RECORDS ${recs} BYTES ${bytes} PACKETS ${pkts} SKIPDATA ${skip}`);
