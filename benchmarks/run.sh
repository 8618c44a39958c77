#!/usr/bin/env bash
# Runs benchmarks/target/benchmarks.jar with the given JMH arguments and keeps the log, with the machine's state before
# and after, in benchmarks/results/<name>.txt. Waits (up to WAIT_IDLE seconds, default 600) for the CPUs to be mostly
# idle first, since the machine is shared. Usage: benchmarks/run.sh <name> <jmh args...>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name="$1"; shift
out="$here/results/$name.txt"
mkdir -p "$here/results"
deadline=$(( $(date +%s) + ${WAIT_IDLE:-600} ))
while :; do
  idle=$(vmstat 3 2 | tail -1 | awk '{print $15}')
  if [ "$idle" -ge 90 ] || [ "$(date +%s)" -ge "$deadline" ]; then break; fi
  sleep 10
done
{
  echo "# command: java -jar benchmarks/target/benchmarks.jar $*"
  echo "# date: $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
  echo "# nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); memory: $(free -h | awk '/Mem:/{print $2}')"
  echo "# java: $(java -version 2>&1 | head -2 | tail -1)"
  echo "# cpu idle before start (vmstat 3s): ${idle}%"
  echo "# uptime before: $(uptime)"
  echo "# busiest processes before: $(ps -eo pcpu,comm --sort=-pcpu | sed -n 2,4p | tr -s ' ' | paste -sd ';')"
} > "$out"
java -jar "$here/target/benchmarks.jar" "$@" >> "$out" 2>&1 || echo "# jmh exit status $?" >> "$out"
{
  echo "# uptime after: $(uptime)"
  echo "# busiest processes after: $(ps -eo pcpu,comm --sort=-pcpu | sed -n 2,4p | tr -s ' ' | paste -sd ';')"
} >> "$out"
grep -E '^(Benchmark|Span|Recording)|^# (uptime|cpu idle|date)|^\[' "$out" | grep -v 'gc.count\|gc.time\|gc.alloc.rate  ' || true
