#!/usr/bin/env bash
# Benchmark of wiz on the "events" job of ../shared/bench/reference.sh, against jq and JacksonLimit.
# Needs only a JDK (17+), Maven and jq. See bench/README.md. Runs wiz and JacksonLimit with the
# java of JAVA_HOME when it has one, as bin/wiz does, else the java on the PATH.
#
#   bench/run.sh [--records N] [--reps N] [--threads N] [--mem-records N] [--no-memory] [--quick] [--keep]
#
# Prints median wall time and peak memory per tool, the ratios and PASS/FAIL per target.
# Exit code: 0 when everything ran and wiz's records equal jq's (whether or not targets pass),
# 1 when a tool failed or the outputs differ, 2 for a usage error.
set -euo pipefail

records=1000000     # the large timing run (targets: wiz/jq, wiz/JacksonLimit, 2 vs 1 workers)
small=10000         # the small timing run (target: wiz/jq, start-up dominated)
mem_records=5000000 # the memory run: peak RSS at this size against a tenth of it
reps=3
threads=2
quick=0
keep=0
memory=1

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --records) records=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --mem-records) mem_records=$2; shift 2 ;;
    --no-memory) memory=0; shift ;;
    --quick) quick=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for v in "$records" "$reps" "$threads" "$mem_records"; do
  case $v in ''|*[!0-9]*|0) echo "run.sh: '$v' is not a positive integer" >&2; exit 2 ;; esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
home=$(cd "$here/.." && pwd)
# shellcheck source=bench/events.sh
. "$here/events.sh"
wiz="$home/bin/wiz"
for tool in java javac jq; do
  command -v "$tool" >/dev/null || { echo "run.sh: '$tool' is not on the PATH" >&2; exit 1; }
done

# The java bin/wiz runs (JAVA_HOME's when it has one) also runs JacksonLimit, compiled by the javac
# of that JDK: the PATH's, when newer, would write class files that java cannot load.
java=java javac=javac
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java=$JAVA_HOME/bin/java
  if [ -x "$JAVA_HOME/bin/javac" ]; then javac=$JAVA_HOME/bin/javac; fi
  # bin/wiz passes over a JAVA_HOME older than 17 (by its release file) for the PATH's java; the
  # tools would then run on two javas, so the bench stops instead.
  v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null || true)
  if [ -n "$v" ] && [ "$v" -lt 17 ]; then
    echo "run.sh: JAVA_HOME ($JAVA_HOME) is older than Java 17, which wiz needs: point it at a JDK 17 or later, or unset it" >&2
    exit 1
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/wiz-bench.XXXXXX")
if [ "$keep" = 1 ]; then
  trap 'echo "kept $work" >&2' EXIT
else
  trap 'rm -rf "$work"' EXIT
fi

die() { echo "run.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Measuring: wall time from date +%s%N around the command; peak RSS (kB) from GNU time's %M when
# /usr/bin/time is there, else from VmHWM in /proc/PID/status, polled every 20 ms by a background
# loop (the command runs in the foreground of wait, so the wall time is not rounded to the poll).
# BENCH_MEM=proc forces the polling even when /usr/bin/time exists.
if [ "${BENCH_MEM:-}" != proc ] && [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
  mem_method="GNU time (/usr/bin/time -f %M: peak resident set size of the process)"
  use_time=1
else
  mem_method="VmHWM from /proc/PID/status, polled every 20 ms (peak resident set size)"
  use_time=0
fi

# measure OUT CMD...: runs CMD with stdout to OUT; sets WALL (seconds) and RSS (kB).
measure() {
  local out=$1; shift
  local s e
  if [ "$use_time" = 1 ]; then
    s=$(date +%s%N)
    if ! /usr/bin/time -f %M -o "$work/time.txt" "$@" >"$out" 2>"$work/stderr.txt"; then
      cat "$work/stderr.txt" >&2; die "failed: $*"
    fi
    e=$(date +%s%N)
    RSS=$(tail -n 1 "$work/time.txt")
  else
    s=$(date +%s%N)
    "$@" >"$out" 2>"$work/stderr.txt" &
    local pid=$!
    poll_hwm "$pid" >"$work/hwm.txt" &
    local poller=$!
    local rc=0
    wait "$pid" || rc=$?
    e=$(date +%s%N)
    wait "$poller" || true
    [ "$rc" = 0 ] || { cat "$work/stderr.txt" >&2; die "failed (exit $rc): $*"; }
    RSS=$(cat "$work/hwm.txt")
  fi
  WALL=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')
}

poll_hwm() {
  local pid=$1 peak=0 k v rest
  while [ -r "/proc/$pid/status" ]; do
    local seen=0
    while read -r k v rest; do
      if [ "$k" = VmHWM: ]; then peak=$v; seen=1; fi
    done <"/proc/$pid/status" 2>/dev/null || true
    [ "$seen" = 1 ] || break # gone, or a zombie (no memory left to read)
    sleep 0.02
  done
  echo "$peak"
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# samples NAME: the file that collects the samples of NAME ("wall rss" per line).
samples() { echo "$work/samples.$1"; }
record() { echo "$WALL $RSS" >>"$(samples "$1")"; }
med_wall() { cut -d' ' -f1 "$(samples "$1")" | median; }
med_rss() { cut -d' ' -f2 "$(samples "$1")" | median; }

failed_targets=0
target() { # target NAME VALUE OP LIMIT UNIT
  local verdict
  if awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { exit !(op == "<=" ? v <= l : v >= l) }'; then
    verdict=PASS
  else
    verdict=FAIL; failed_targets=$((failed_targets + 1))
  fi
  # The verdict uses the unrounded value; ratios are shown with 2 decimals, seconds with 3.
  local shown
  shown=$(awk -v v="$2" -v u="$5" 'BEGIN { printf (u == " s" ? "%.3f" : "%.2f"), v }')
  printf '  %-4s  %-46s %8s%s  (target %s %s%s)\n' "$verdict" "$1" "$shown" "$5" "$3" "$4" "$5"
}

row() { # row LABEL NAME: median wall and peak RSS of the samples NAME, and the wall range
  local range
  range=$(cut -d' ' -f1 "$(samples "$2")" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')
  printf '  %-30s %8s s %7s MB   (wall %s s)\n' "$1" "$(med_wall "$2")" "$(mb "$(med_rss "$2")")" "$range"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

# ---------------------------------------------------------------------------------------------
# Setup: build wiz if needed (bin/wiz does), compile JacksonLimit against the wiz build's jars.
echo "wiz bench: $(nproc) cores, $("$java" -version 2>&1 | head -n 1), $(jq --version)"
# The CPU, and whether bin/wiz puts the heap on transparent huge pages (it does for [madvise] or
# [always]): both move the JVM's figures a lot (bench/README.md, 2026-12-05).
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo "not offered")
echo "cpu: ${cpu:-unknown}; transparent huge pages: $thp"
echo "load average at start: $(load)"
echo "peak memory: $mem_method"
"$wiz" --version >/dev/null || die "bin/wiz --version failed (does the wiz build work?)"
lib="$home/target/lib"
ls "$lib"/jackson-databind-*.jar >/dev/null 2>&1 ||
  die "$lib has no Jackson jars; the wiz build puts them there (mvn -DskipTests package)"
cp="$work/classes:$(ls "$lib"/*.jar | tr '\n' ':')"
mkdir -p "$work/classes"
"$javac" -nowarn -d "$work/classes" -cp "$cp" "$here/JacksonLimit.java"

jq_prog='select(.status=="ok" and .amount>10) | {id, user, country, amount, amount_cents: (.amount*100)}'

# data N: generates events-N.jsonl and the pipeline events-N.yaml (the same job as jq_prog).
data() {
  local n=$1
  events_data "$n" "$work/events-$n.jsonl"
  events_pipeline "bench-events-$n" "events-$n.jsonl" "wiz-$n.out.jsonl" "$threads" >"$work/events-$n.yaml"
}

# Tools: each runs the job on events-N.jsonl and writes its output next to it.
run_wiz() { # run_wiz N WORKERS [JAVA_OPTS]
  WIZ_JAVA_OPTS="${3:-}" measure /dev/null "$wiz" -q run "$work/events-$1.yaml" --force --workers "$2" --state-dir "$work/state-$1"
}
run_jq() { measure "$work/jq-$1.out.jsonl" jq -c "$jq_prog" "$work/events-$1.jsonl"; }
run_limit() {
  measure /dev/null "$java" -cp "$cp" JacksonLimit "$work/events-$1.jsonl" "$work/limit-$1.out.jsonl" "$threads"
}

# check N: wiz's output has the same records as jq's, in the same order. Both sides go through
# `jq -c .`, so number spelling (41.0 vs 41, 6981.0 vs 6981) does not count, values do.
check() {
  local n=$1
  jq -c . "$work/wiz-$n.out.jsonl" >"$work/wiz-$n.norm"
  jq -c . "$work/jq-$n.out.jsonl" >"$work/jq-$n.norm"
  if ! cmp -s "$work/wiz-$n.norm" "$work/jq-$n.norm"; then
    echo "run.sh: wiz and jq differ on $n records (after jq -c . on both):" >&2
    diff "$work/wiz-$n.norm" "$work/jq-$n.norm" | head -n 10 >&2 || true
    exit 1
  fi
  local lines limit_lines
  lines=$(wc -l <"$work/jq-$n.out.jsonl")
  limit_lines=$(wc -l <"$work/limit-$n.out.jsonl")
  [ "$lines" = "$limit_lines" ] || die "JacksonLimit wrote $limit_lines records on $n, jq $lines"
  echo "  records check: wiz = jq, $lines records (compared after jq -c . on both); JacksonLimit $limit_lines records"
  rm -f "$work/wiz-$n.norm" "$work/jq-$n.norm"
}

# timing N [full]: reps rounds of wiz (threads workers), jq, JacksonLimit (threads), and with
# "full" also wiz with 1 worker and wiz without provenance (-Dwiz.measure.provenance=off: no
# digests, no event log), alternating within each round.
timing() {
  local n=$1 one=${2:-}
  data "$n"
  local size
  size=$(awk -v b="$(wc -c <"$work/events-$n.jsonl")" 'BEGIN { printf "%.1f", b / 1e6 }')
  for ((r = 1; r <= reps; r++)); do
    run_wiz "$n" "$threads"; record "wiz-$n"
    run_jq "$n"; record "jq-$n"
    run_limit "$n"; record "limit-$n"
    if [ "$one" = full ]; then
      run_wiz "$n" 1; record "wiz1-$n"
      run_wiz "$n" "$threads" -Dwiz.measure.provenance=off; record "noprov-$n"
    fi
  done
  echo
  echo "events job on $n records ($size MB), load average after: $(load)"
  echo "$reps rounds, median wall / median peak RSS (wall range):"
  row "wiz ($threads workers)" "wiz-$n"
  if [ "$one" = full ]; then
    row "wiz (1 worker)" "wiz1-$n"
    row "wiz ($threads workers, no provenance)" "noprov-$n"
  fi
  row "jq" "jq-$n"
  row "JacksonLimit ($threads threads)" "limit-$n"
  check "$n"
}

# ---------------------------------------------------------------------------------------------
# Start-up: bin/wiz --version and bin/wiz validate pipelines/quickstart.yaml, alternating.
for ((r = 1; r <= reps; r++)); do
  measure /dev/null "$wiz" --version; record version
  (cd "$home" && measure /dev/null "$wiz" validate pipelines/quickstart.yaml && record validate)
done
echo
echo "start-up, load average after: $(load)"
echo "$reps rounds, median wall / median peak RSS (wall range):"
row "wiz --version" version
row "wiz validate quickstart.yaml" validate

timing "$small"

if [ "$quick" = 0 ]; then
  timing "$records" full
fi

if [ "$quick" = 0 ] && [ "$memory" = 1 ]; then
  low=$((mem_records / 10))
  rm -f "$work"/events-*.jsonl "$work"/*.out.jsonl
  data "$low"; data "$mem_records"
  for ((r = 1; r <= reps; r++)); do
    run_wiz "$low" "$threads"; record "mem-$low"
    run_wiz "$mem_records" "$threads"; record "mem-$mem_records"
  done
  echo
  echo "memory, load average after: $(load)"
  echo "wiz ($threads workers), $reps rounds each, median wall / median peak RSS (wall range):"
  row "wiz, $low records" "mem-$low"
  row "wiz, $mem_records records" "mem-$mem_records"
fi

# ---------------------------------------------------------------------------------------------
echo
echo "targets:"
target "wiz --version wall" "$(med_wall version)" "<=" 0.2 " s"
target "wiz validate pipelines/quickstart.yaml wall" "$(med_wall validate)" "<=" 0.35 " s"
target "$small records: wiz/jq wall" "$(ratio "$(med_wall "wiz-$small")" "$(med_wall "jq-$small")")" "<=" 1.5 ""
if [ "$quick" = 0 ]; then
  target "$records records: wiz/jq wall" "$(ratio "$(med_wall "wiz-$records")" "$(med_wall "jq-$records")")" "<=" 0.5 ""
  target "$records records: wiz/JacksonLimit ($threads threads)" \
    "$(ratio "$(med_wall "wiz-$records")" "$(med_wall "limit-$records")")" "<=" 1.2 ""
  target "$records records: $threads workers vs 1, throughput" \
    "$(ratio "$(med_wall "wiz1-$records")" "$(med_wall "wiz-$records")")" ">=" 1.6 "x"
  # What digests and the event log cost: the share of wiz's wall time that goes when they are off.
  target "$records records: provenance share of wall time" \
    "$(awk -v on="$(med_wall "wiz-$records")" -v off="$(med_wall "noprov-$records")" 'BEGIN { printf "%.6f", (on - off) / on }')" "<=" 0.10 ""
  if [ "$memory" = 1 ]; then
    target "peak RSS $mem_records vs $low records" \
      "$(ratio "$(med_rss "mem-$mem_records")" "$(med_rss "mem-$low")")" "<=" 1.25 ""
  fi
fi
echo "$failed_targets target(s) missed; load average at end: $(load)"
