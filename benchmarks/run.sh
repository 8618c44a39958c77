#!/usr/bin/env bash
# Runs benchmarks/target/benchmarks.jar with the given JMH arguments and keeps the log in benchmarks/results/<name>.txt,
# with the machine's state. The machine is shared, so it first waits (up to WAIT_IDLE seconds, default 600) for the CPUs
# to be >= 90% idle, and while JMH runs it samples how much CPU *other* processes use (everything but the JMH JVMs),
# reported at the end as "others' CPU" in % of the whole machine (mean and max over 2 s samples).
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
} > "$out"
java -jar "$jar" "$@" >> "$out" 2>&1 &
jmh=$!
python3 - "$jmh" >> "$out" <<'PY' &
import os, sys, time
root = int(sys.argv[1])
hz = os.sysconf('SC_CLK_TCK'); ncpu = os.cpu_count()
def busy():
    f = open('/proc/stat').readline().split()[1:]
    v = list(map(int, f)); return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]  # user nice system irq softirq steal
def mine():
    pids, total = {root}, 0
    stats = {}
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                s = open(f'/proc/{p}/stat').read(); s = s[s.rindex(')') + 2:].split()
                children = int(s[13]) + int(s[14]) if int(p) == root else 0  # reaped forks' CPU (cutime + cstime)
                stats[int(p)] = (int(s[1]), int(s[11]) + int(s[12]) + children)  # ppid, utime + stime
            except OSError:
                pass
    grew = True
    while grew:
        grew = False
        for p, (pp, _) in stats.items():
            if pp in pids and p not in pids:
                pids.add(p); grew = True
    return {p: stats[p][1] for p in pids if p in stats}
samples = []
b0, m0, t0 = busy(), mine(), time.time()
while os.path.exists(f'/proc/{root}'):
    time.sleep(2)
    b1, m1, t1 = busy(), mine(), time.time()
    mine_delta = sum(v - m0.get(p, 0) for p, v in m1.items())
    others = (b1 - b0 - mine_delta) / hz / ((t1 - t0) * ncpu) * 100
    samples.append(max(0.0, others))
    b0, m0, t0 = b1, m1, t1
if samples:
    print(f"# others' CPU during the run: mean {sum(samples)/len(samples):.1f}%, max {max(samples):.1f}% of {ncpu} CPUs "
          f"({len(samples)} samples of 2 s; >10% means the run shared the machine)")
PY
sampler=$!
wait "$jmh" || echo "# jmh exit status $?" >> "$out"
wait "$sampler" || true
echo "# uptime after: $(uptime)" >> "$out"
grep -E '^(Benchmark|Span|Recording)|^# (uptime|cpu idle|date|others)|^\[' "$out" | grep -v 'gc.count\|gc.time\|gc.alloc.rate  ' || true
