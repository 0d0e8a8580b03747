#!/usr/bin/env bash
# Side-by-side benchmark: per-interface-id bytes/packets/records of one
# flow-log file, by flowlogs (bench/flowagg) and by DuckDB
# (@duckdb/node-api), plain and gzip, one and two threads. Whole-process
# wall time and CPU time (user+sys), medians of RUNS rounds (each round
# runs every case once, in turn), their range, and peak RSS. See
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
echo "file: $N records, plain $(du -m "$plain" | cut -f1) MB, gzip $(du -m "$gz" | cut -f1) MB; median of $RUNS rounds"
printf '%-28s %7s %7s %12s %8s %s\n' case wall_s cpu_s wall_range peak_MiB summary

# This VM's speed drifts by up to ±20 % over minutes with nothing else
# running: each round runs every case once, in turn, so that a slow minute
# slows all of them rather than one, and each case reports the median of
# its rounds and their range.
names=() cmds=()
add() { names+=("$1"); shift; cmds+=("$*"); }
add "wc -l (floor)" wc -l "$plain"
add "duckdb plain 1 thread" node duckdb-agg.mjs "$plain" 1
add "flowlogs plain 1 thread" data/flowagg -threads 1 "$plain"
add "  same, map[string] sums" data/flowagg -threads 1 -bystring "$plain"
add "duckdb plain 2 threads" node duckdb-agg.mjs "$plain" 2
add "flowlogs plain 2 threads" data/flowagg -threads 2 "$plain"
add "klauspost gzip decode only" data/flowagg -decode-only "$gz"
add "duckdb gzip 1 thread" node duckdb-agg.mjs "$gz" 1
add "flowlogs gzip 1 thread" data/flowagg -threads 1 "$gz"
add "duckdb gzip 2 threads" node duckdb-agg.mjs "$gz" 2
add "flowlogs gzip 2 threads" data/flowagg -threads 2 "$gz"

declare -A WALL CPU WALLS CPUS MEM OUT
ANSWER="" ANSWER_BY="" WRONG=0
for _ in $(seq "$RUNS"); do
  for i in "${!names[@]}"; do
    name=${names[$i]}
    # shellcheck disable=SC2086 # the command line is split on purpose
    OUT[$name]=$(/usr/bin/time -f '%e %U %S %M' -o data/time.txt ${cmds[$i]} | head -1)
    # Every engine must give the same answer, or its time means nothing.
    case $name in
    duckdb* | flowlogs* | "  same"*)
      if [ -z "$ANSWER" ]; then
        ANSWER=${OUT[$name]} ANSWER_BY=$name
      elif [ "${OUT[$name]}" != "$ANSWER" ]; then
        echo "WRONG ANSWER: $name printed '${OUT[$name]}', $ANSWER_BY printed '$ANSWER'" >&2
        WRONG=1
      fi
      ;;
    esac
    read -r w u s m < data/time.txt
    WALLS[$name]+="$w "
    CPUS[$name]+="$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }') "
    (( m > ${MEM[$name]:-0} )) && MEM[$name]=$m
  done
done
# The median of the rounds: the middle one, or the mean of the middle two
# when RUNS is even.
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
for name in "${names[@]}"; do
  WALL[$name]=$(echo "${WALLS[$name]}" | median)
  CPU[$name]=$(echo "${CPUS[$name]}" | median)
  range=$(echo "${WALLS[$name]}" | tr ' ' '\n' | grep . | sort -n | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%s-%s", lo, hi}')
  printf '%-28s %7s %7s %12s %8d %s\n' "$name" "${WALL[$name]}" "${CPU[$name]}" "$range" $((MEM[$name] / 1024)) "${OUT[$name]}"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "DuckDB / flowlogs, plain, 1 thread:  $(ratio "${WALL[duckdb plain 1 thread]}" "${WALL[flowlogs plain 1 thread]}")x (target >= 3)"
echo "DuckDB / flowlogs, plain, 2 threads: $(ratio "${WALL[duckdb plain 2 threads]}" "${WALL[flowlogs plain 2 threads]}")x (target >= 3.5)"
echo "DuckDB / flowlogs, gzip, 1 thread:   $(ratio "${WALL[duckdb gzip 1 thread]}" "${WALL[flowlogs gzip 1 thread]}")x"
echo "DuckDB / flowlogs, gzip, 2 threads:  $(ratio "${WALL[duckdb gzip 2 threads]}" "${WALL[flowlogs gzip 2 threads]}")x"
echo "flowlogs gzip 2 threads / decode alone: $(ratio "${WALL[flowlogs gzip 2 threads]}" "${WALL[klauspost gzip decode only]}")x (target <= 1.1)"
echo "CPU time (user+sys), DuckDB / flowlogs: plain 1 thread $(ratio "${CPU[duckdb plain 1 thread]}" "${CPU[flowlogs plain 1 thread]}")x, plain 2 threads $(ratio "${CPU[duckdb plain 2 threads]}" "${CPU[flowlogs plain 2 threads]}")x, gzip 1 thread $(ratio "${CPU[duckdb gzip 1 thread]}" "${CPU[flowlogs gzip 1 thread]}")x"

# The same ratios round by round: each pair ran within a minute of each
# other, so these show how far the machine's drift moves them.
rounds() { # name-a name-b: a/b per round
  paste -d' ' <(echo "${WALLS[$1]}" | tr ' ' '\n' | grep .) <(echo "${WALLS[$2]}" | tr ' ' '\n' | grep .) |
    awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1 / $2} END {print ""}'
}
echo "per round, plain 1 thread:  $(rounds "duckdb plain 1 thread" "flowlogs plain 1 thread")"
echo "per round, plain 2 threads: $(rounds "duckdb plain 2 threads" "flowlogs plain 2 threads")"
echo "per round, gzip 2 threads / decode alone: $(rounds "flowlogs gzip 2 threads" "klauspost gzip decode only")"

# Attribution at platform scale (issue 14): one JSON line per run.
scale_flags=(-tasks "${SCALE_TASKS:-10000}" -records "${SCALE_RECORDS:-1000000}" -peers 50000 -span 24h)
echo "attribution at scale, a Result: $(cd .. && go run ./bench/attrscale "${scale_flags[@]}")"
echo "attribution at scale, groups streamed: $(cd .. && go run ./bench/attrscale "${scale_flags[@]}" -stream)"
echo "attribution at scale, JSON report from a Result: $(cd .. && go run ./bench/attrscale "${scale_flags[@]}" -report json)"
echo "attribution at scale, JSON report streamed: $(cd .. && go run ./bench/attrscale "${scale_flags[@]}" -report json -stream)"

# The reduce over a day of workers' partials: the day split into 288
# five-minute objects, each one's partial written as a worker does, then
# one `attribute -merge` of them (wall seconds and peak RSS).
parts_dir=$(mktemp -d)
echo "partials of 288 objects: $(cd .. && go run ./bench/attrscale "${scale_flags[@]}" -parts 288 -partial "$parts_dir")"
(cd .. && go build -o "$parts_dir/attribute" ./examples/attribute)
merge_time=$( { /usr/bin/time -f "%e s, peak RSS %M KiB" "$parts_dir/attribute" -merge "$parts_dir" -format csv -by task -q > /dev/null; } 2>&1 )
echo "attribute -merge of the 288 partials: $merge_time"
rm -rf "$parts_dir"

if [ "$WRONG" -ne 0 ]; then
  echo "the engines disagree: see WRONG ANSWER above" >&2
  exit 1
fi
