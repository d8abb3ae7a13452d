#!/usr/bin/env bash
# Where wiz's time goes on the events job: one run under Java Flight Recorder, summarised.
# Needs only a JDK (17+) and Maven (for bin/wiz to build the jar). See bench/README.md.
#
#   bench/profile.sh [--records N] [--workers N] [--keep] [--wiz PATH]
#
# Prints the CPU samples by thread, by stage of the engine and by method (self time), the JIT
# compilers' time by tier and the garbage collector's pauses. --wiz runs another build's
# launcher (to compare before and after); --keep keeps the recording (its path is printed).
set -euo pipefail

records=1000000
workers=2
keep=0
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
wiz="$here/../bin/wiz"
# shellcheck source=bench/events.sh
. "$here/events.sh"

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --records) records=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --wiz) wiz=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "profile.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for v in "$records" "$workers"; do
  case $v in ''|*[!0-9]*|0) echo "profile.sh: '$v' is not a positive integer" >&2; exit 2 ;; esac
done
for tool in java jfr; do
  command -v "$tool" >/dev/null || { echo "profile.sh: '$tool' is not on the PATH" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/wiz-profile.XXXXXX")
if [ "$keep" = 1 ]; then trap 'echo "kept $work" >&2' EXIT; else trap 'rm -rf "$work"' EXIT; fi

# The JDK's "profile" settings, with a method sample every millisecond (not 10/20 ms) and every
# compilation recorded (not only those over 100 ms).
java_home=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.home/ { print $2 }')
sed -e '/<event name="jdk.ExecutionSample">/,/<\/event>/ s|<setting name="period"\([^>]*\)>[^<]*<|<setting name="period"\1>1 ms<|' \
    -e '/<event name="jdk.Compilation">/,/<\/event>/ s|<setting name="threshold"\([^>]*\)>[^<]*<|<setting name="threshold"\1>0 ms<|' \
    "$java_home/lib/jfr/profile.jfc" >"$work/settings.jfc"

events_data "$records" "$work/events.jsonl"
events_pipeline profile-events events.jsonl out.jsonl >"$work/events.yaml"

"$wiz" --version >/dev/null
s=$(date +%s%N)
WIZ_JAVA_OPTS="-XX:StartFlightRecording=filename=$work/run.jfr,settings=$work/settings.jfc -Xlog:jfr+startup=off ${WIZ_JAVA_OPTS:-}" \
  "$wiz" -q run "$work/events.yaml" --workers "$workers" --state-dir "$work/state"
e=$(date +%s%N)
echo "wiz: $("$wiz" --version), $records records, $workers workers: $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", (e - s) / 1e9 }') s wall under the recorder"

jfr print --events jdk.ExecutionSample --stack-depth 64 "$work/run.jfr" >"$work/samples.txt"
jfr print --events jdk.Compilation "$work/run.jfr" >"$work/compilations.txt"
jfr print --events jdk.GarbageCollection "$work/run.jfr" >"$work/gc.txt"

# Samples: the thread (numbers cut from worker names), the top frame (self time), and the stage:
# the first frame, from the top down, that names one of the engine's stages.
awk '
  function stage_of(f) {
    if (f ~ /ContentDigest|dev\.wiz\.Json\.digest|inputDigest|ProvenanceLog|provenance\.Event\.|\.Engine\$Run\.built/) return "provenance: digests and event log"
    if (f ~ /LineSource\$LineBatch\.decode|LineSource\.|JsonSource|CsvSource/) return "read and decode input"
    if (f ~ /FormatSink|Engine\$Run\.encode|Engine\$Run\.send|Target/) return "encode and write output"
    if (f ~ /Engine\$Run\.runStep|dev\.wiz\.processors\./) return "processors (filter, jq)"
    if (f ~ /dev\.wiz\.(cli|pipeline|schema)\.|RunService\.check/) return "start-up: command line, pipeline, schemas"
    return ""
  }
  /^jdk\.ExecutionSample/ { n++; top = ""; st = ""; thread = "" }
  /sampledThread = / { thread = $0; sub(/.*sampledThread = "/, "", thread); sub(/".*/, "", thread); sub(/-[0-9]+$/, "", thread); threads[thread]++ }
  /^[ \t]+[A-Za-z_$][A-Za-z0-9_$.]*\(.*line:/ {
    f = $1; sub(/\(.*/, "", f)
    if (top == "") { top = f; self[f]++ }
    if (st == "") { st = stage_of(f); if (st != "") stages[st]++ }
  }
  /^}/ { if (top != "" && st == "") stages["other (JDK, Jackson outside the stages above)"]++ }
  END {
    printf "\nCPU samples (Java code only; 1 per ms per running thread): %d\n", n
    printf "\nby thread:\n"; for (k in threads) printf "  %5.1f%%  %s\n", 100 * threads[k] / n, k | "sort -rn"; close("sort -rn")
    printf "\nby stage (the first engine stage on the stack):\n"; for (k in stages) printf "  %5.1f%%  %s\n", 100 * stages[k] / n, k | "sort -rn"; close("sort -rn")
    printf "\nby method, self time (top 15):\n"; for (k in self) printf "  %5.1f%%  %s\n", 100 * self[k] / n, k | "sort -rn | head -n 15"; close("sort -rn | head -n 15")
  }' "$work/samples.txt"

awk '
  /^jdk\.Compilation/ { d = 0; lvl = "" }
  /duration = / { v = $3; u = $4; d = (u == "s") ? v * 1000 : (u == "ms") ? v : (u == "us") ? v / 1000 : v / 1e6 }
  /compileLevel = / { lvl = $3; ms[lvl] += d; c[lvl]++ }
  END {
    printf "\nJIT compilation, thread time by tier (tiers 1-3: C1, tier 4: C2):\n"
    for (l = 1; l <= 4; l++) if (c[l]) { printf "  tier %d: %6.0f ms in %d compilations\n", l, ms[l], c[l]; t += ms[l] }
    printf "  total:  %6.0f ms\n", t
  }' "$work/compilations.txt"

awk '
  /sumOfPauses = / { v = $3; u = $4; d = (u == "s") ? v * 1000 : (u == "ms") ? v : (u == "us") ? v / 1000 : v / 1e6; t += d; n++ }
  END { printf "\ngarbage collection: %d collections, %.0f ms of pauses\n", n, t }' "$work/gc.txt"
