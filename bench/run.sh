#!/usr/bin/env bash
# Side-by-side benchmark: per-interface-id bytes/packets/records of one
# flow-log file, by flowlogs (bench/flowagg) and by DuckDB
# (@duckdb/node-api), plain and gzip, one and two threads. Whole-process
# wall time and CPU time (user+sys), medians of RUNS, and peak RSS. See
# README.md.
#
#   N=10000000 RUNS=3 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")"
export GOTOOLCHAIN=local
N=${N:-10000000}
RUNS=${RUNS:-3}
mkdir -p data
go build -o data/flowagg ./flowagg
go build -o data/gen ./gen
[ -d node_modules/@duckdb/node-api ] || npm install --no-audit --no-fund >/dev/null
plain=data/v2-$N.log
gz=data/v2-$N.log.gz
[ -s "$plain" ] || data/gen -n "$N" -o "$plain"
[ -s "$gz" ] || data/gen -n "$N" -gzip -o "$gz"

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $N records, plain $(du -m "$plain" | cut -f1) MB, gzip $(du -m "$gz" | cut -f1) MB; median of $RUNS runs"
printf '%-28s %7s %7s %8s %s\n' case wall_s cpu_s peak_MiB summary

declare -A WALL CPU
measure() { # name cmd...
  local name=$1; shift
  local walls=() cpus=() mem=0 out=""
  for _ in $(seq "$RUNS"); do
    out=$(/usr/bin/time -f '%e %U %S %M' -o data/time.txt "$@")
    read -r w u s m < data/time.txt
    walls+=("$w")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')")
    (( m > mem )) && mem=$m
  done
  local med cpu
  med=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  WALL[$name]=$med
  CPU[$name]=$cpu
  printf '%-28s %7s %7s %8d %s\n' "$name" "$med" "$cpu" $((mem / 1024)) "$(echo "$out" | head -1)"
}

measure "wc -l (floor)" wc -l "$plain"
measure "duckdb plain 1 thread" node duckdb-agg.mjs "$plain" 1
measure "flowlogs plain 1 thread" data/flowagg -threads 1 "$plain"
measure "  same, map[string] sums" data/flowagg -threads 1 -bystring "$plain"
measure "duckdb plain 2 threads" node duckdb-agg.mjs "$plain" 2
measure "flowlogs plain 2 threads" data/flowagg -threads 2 "$plain"
measure "klauspost gzip decode only" data/flowagg -decode-only "$gz"
measure "duckdb gzip 1 thread" node duckdb-agg.mjs "$gz" 1
measure "flowlogs gzip 1 thread" data/flowagg -threads 1 "$gz"
measure "duckdb gzip 2 threads" node duckdb-agg.mjs "$gz" 2
measure "flowlogs gzip 2 threads" data/flowagg -threads 2 "$gz"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "DuckDB / flowlogs, plain, 1 thread:  $(ratio "${WALL[duckdb plain 1 thread]}" "${WALL[flowlogs plain 1 thread]}")x (target >= 3)"
echo "DuckDB / flowlogs, plain, 2 threads: $(ratio "${WALL[duckdb plain 2 threads]}" "${WALL[flowlogs plain 2 threads]}")x (target >= 3.5)"
echo "DuckDB / flowlogs, gzip, 1 thread:   $(ratio "${WALL[duckdb gzip 1 thread]}" "${WALL[flowlogs gzip 1 thread]}")x"
echo "DuckDB / flowlogs, gzip, 2 threads:  $(ratio "${WALL[duckdb gzip 2 threads]}" "${WALL[flowlogs gzip 2 threads]}")x"
echo "flowlogs gzip 2 threads / decode alone: $(ratio "${WALL[flowlogs gzip 2 threads]}" "${WALL[klauspost gzip decode only]}")x (target <= 1.1)"
echo "CPU time (user+sys), DuckDB / flowlogs: plain 1 thread $(ratio "${CPU[duckdb plain 1 thread]}" "${CPU[flowlogs plain 1 thread]}")x, plain 2 threads $(ratio "${CPU[duckdb plain 2 threads]}" "${CPU[flowlogs plain 2 threads]}")x, gzip 1 thread $(ratio "${CPU[duckdb gzip 1 thread]}" "${CPU[flowlogs gzip 1 thread]}")x"
