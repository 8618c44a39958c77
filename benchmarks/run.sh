#!/usr/bin/env bash
# Runs benchmarks/target/benchmarks.jar with the given JMH arguments and keeps the log in benchmarks/results/<name>.txt,
# with the machine's state. The machine is shared, so it first waits (up to WAIT_IDLE seconds, default 600) for the CPUs
# to be >= 90% idle, and while JMH runs it samples how much CPU *other* processes use (everything but the JMH JVMs),
# reported at the end as "others' CPU" in % of the whole machine (mean and max over 2 s samples). Before and after the
# run it measures the cross-core round trip for 3 s (CrossCoreLatency): ~90 ns or ~350-650 ns on these VMs, by the minute.
# Usage: [JAR=path/to/benchmarks.jar] benchmarks/run.sh <name> <jmh args...>   (name may contain a subfolder)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name="$1"; shift
out="$here/results/$name.txt"
jar="${JAR:-$here/target/benchmarks.jar}"
mkdir -p "$(dirname "$out")"
deadline=$(( $(date +%s) + ${WAIT_IDLE:-600} ))
while :; do
  idle=$(vmstat 5 2 | tail -1 | awk '{print $15}')
  if [ "$idle" -ge 90 ] || [ "$(date +%s)" -ge "$deadline" ]; then break; fi
  sleep 10
done
{
  echo "# command: java -jar $jar $*"
  echo "# jar: $jar, sha256 $(sha256sum "$jar" | cut -c1-16)"
  echo "# date: $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
  echo "# nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); memory: $(free -h | awk '/Mem:/{print $2}')"
  echo "# java: $(java -version 2>&1 | head -2 | tail -1)"
  echo "# cpu idle before start (vmstat 5s): ${idle}%"
  echo "# uptime before: $(uptime)"
  # the VM's cross-core latency changes by 4-5x from minute to minute (CrossCoreLatency's Javadoc): say which it was
  echo "# before: $(java -cp "$jar" io.mcpobservatory.benchmarks.CrossCoreLatency 3 | tail -1)"
} > "$out"
java -jar "$jar" "$@" >> "$out" 2>&1 &
jmh=$!
python3 "$here/others_cpu.py" "$jmh" >> "$out" &
sampler=$!
wait "$jmh" || echo "# jmh exit status $?" >> "$out"
wait "$sampler" || true
echo "# uptime after: $(uptime)" >> "$out"
echo "# after: $(java -cp "$jar" io.mcpobservatory.benchmarks.CrossCoreLatency 3 | tail -1)" >> "$out"
grep -E '^(Benchmark|Span|Recording)|^# (uptime|cpu idle|date|others|before|after)|^\[' "$out" | grep -v 'gc.count\|gc.time\|gc.alloc.rate  ' || true
