#!/usr/bin/env bash
# The agent's footprint on an MCP server (issue 11). Runs the demo server of examples/ (SDK 2.1.0, streamable HTTP on
# embedded Tomcat) WITHOUT the agent (A), WITH it (B) and WITH it but -Dobservatory.enabled=false (C), interleaved, for
# N rounds, and prints medians and spread (min-max) of:
#   - launch -> first answered initialize and -> first answered tools/call, and the server's CPU (user+sys) then;
#   - after a load phase (2 client threads of fast tools/call: warm-up, then measured calls): server CPU per call,
#     peak RSS (VmHWM), metaspace used, and the live heap (jcmd GC.class_histogram total, which runs a full GC), with
#     the classes that differ most between B and A;
#   - attach (D): a server started without the agent, a client calling it back to back, `java -jar <agent> attach`:
#     time from the command to the first span;
#   - class-data sharing: launch time with -Xshare:off, and with a static AppCDS archive of the demo, without and with
#     the agent; plus one launch per kind with -Xlog:class+load to count classes loaded from the archive.
# Launch time is measured from just before bash forks the server (`$EPOCHREALTIME`) to the complete HTTP response of
# the first JSON-RPC initialize that a probe (fp.py: Python, http.client, retried every 10 ms from the start) gets
# answered; "tools/call" is the first get_forecast on that session, sent right after notifications/initialized.
# Every server runs under `/usr/bin/time -v` (its whole-life max RSS and CPU are in the log).
#
# Usage: benchmarks/footprint/footprint.sh [agent.jar] [--rounds N] [--max-extra N] [--quick] [--warmup N] [--calls N]
#                                          [--no-attach] [--no-cds] [--wait-idle SECONDS] [--out DIR]
#   agent.jar     default agent/target/mcp-observatory-agent.jar (build: mvn -B -q package -DskipTests)
#   --rounds N    rounds of A/B/C (+ D and the CDS launches), default 5; the order is rotated every round
#   --max-extra N a round during which other processes took more than 15 % of the machine is "busy" and one more
#                 round is added, at most N (default 3); the tables then show the quiet rounds first, then all
#   --quick       2 rounds, fewer calls, no extra rounds (a smoke run, ~4 minutes)
#   --warmup N    warm-up calls per client thread, default 15000; --calls N  measured calls per thread, default 10000
#                 (the server's CPU per call settles after some 30-40k calls: JIT compilation)
#   --attach-ab OLD  attach runs only, alternating this agent (D) and the jar OLD (D0): an A/B of the attach path
#   --wait-idle S first wait up to S seconds (default 0) for the machine to be >= 90 % idle
#   --out DIR     where the log and tables go, default benchmarks/results/footprint/<UTC date>-<commit>
# Needs a JDK (java, jcmd, jstat: JAVA_HOME or PATH), python3 and /usr/bin/time (Debian package `time`: installed
# with apt-get when missing, saying so). KEEP_WORK=1 keeps the scratch directory (/tmp/footprint.*). The machine is
# assumed shared: the CPU used by other processes is sampled every second (benchmarks/others_cpu.py) and shown per run.
# Duration on the 2-core box: ~10 minutes when it is quiet (a round takes ~105 s), ~2 minutes more per busy round.
set -uo pipefail
export LC_ALL=C

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
FP="$HERE/fp.py"
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}"
JAVA="${JAVA_BIN}java"
JCMD="${JAVA_BIN}jcmd"
JSTAT="${JAVA_BIN}jstat"
DEMO_JAR="$ROOT/examples/target/mcp-demo.jar"
AGENT="$ROOT/agent/target/mcp-observatory-agent.jar"
ROUNDS=5 MAX_EXTRA=3 WARMUP=15000 CALLS=10000 THREADS=2 ATTACH=1 CDS=1 WAIT_IDLE=0 OUT="" ATTACH_AB=""
STARTUP_TIMEOUT=90 LOAD_TIMEOUT=300

die() { printf 'footprint: %s\n' "$*" >&2; exit 1; }

while (($#)); do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --quick) ROUNDS=2 MAX_EXTRA=0 WARMUP=5000 CALLS=5000 ;;
    --max-extra) MAX_EXTRA="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --calls) CALLS="$2"; shift ;;
    --no-attach) ATTACH=0 ;;
    --no-cds) CDS=0 ;;
    --attach-ab) ATTACH_AB="$2"; shift ;;
    --wait-idle) WAIT_IDLE="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) AGENT="$1" ;;
  esac
  shift
done

[[ -f "$AGENT" ]] || die "no agent jar at $AGENT (build: cd $ROOT && mvn -B -q package -DskipTests)"
[[ -f "$DEMO_JAR" ]] || die "no demo jar at $DEMO_JAR (build: cd $ROOT && mvn -B -q package -DskipTests)"
AGENT="$(cd "$(dirname "$AGENT")" && pwd)/$(basename "$AGENT")"
for tool in "$JAVA" "$JCMD" "$JSTAT" python3; do
  command -v "$tool" >/dev/null || die "$tool not found (a JDK, not a JRE, and python3 are needed)"
done
if [[ ! -x /usr/bin/time ]]; then
  echo "footprint: /usr/bin/time is missing; installing the Debian package 'time' with apt-get" >&2
  sudo=""; ((EUID == 0)) || sudo="sudo"
  $sudo apt-get install -y -q time >&2 || die "could not install 'time' (apt-get install time)"
fi

COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
OUT="${OUT:-$ROOT/benchmarks/results/footprint/$(date -u +%Y%m%d-%H%M)-$COMMIT}"
mkdir -p "$OUT" || die "cannot create $OUT"
WORK="$(mktemp -d /tmp/footprint.XXXXXX)"
mkdir -p "$WORK/runs" "$WORK/hist"
LOG="$OUT/footprint.log"
: > "$LOG"
SERVER_PID="" TIME_PID="" CLIENT_PID="" SAMPLER_PID="" WAITED_PID=""

log() { printf '%s\n' "$*" | tee -a "$LOG" >&2; }
record() { printf '%s\t%s\t%s\t%s\n' "$@" >> "$WORK/raw.tsv"; }   # round variant metric value
kv() { sed -n "s/^$2=//p" "$1" | head -1; }                      # value of key=$2 in file $1
field() { sed -n "s/^$1 .*\b$2=\([^ ]*\).*/\1/p" "$3" | head -1; } # value of key=$2 on the line starting with $1
alive() { [[ -r /proc/$1/stat ]] && [[ "$(cut -d')' -f2 "/proc/$1/stat" 2>/dev/null | cut -c2)" != Z ]]; }
calc() { python3 -c "print(format($1, '.${2:-1}f'))"; }
# Runs a command in the background and waits for it: bash runs a trap only between foreground commands, while `wait`
# returns at once on a signal, so Ctrl-C or SIGTERM stops the script (and cleanup() this command) without delay.
waited() { "$@" & WAITED_PID=$!; wait "$WAITED_PID"; local rc=$?; WAITED_PID=""; return "$rc"; }

stop_pid() {  # SIGTERM, then SIGKILL after $2 seconds
  local pid="$1" i
  [[ -n "$pid" ]] && alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < $2 * 10; i++)); do alive "$pid" || return 0; sleep 0.1; done
  log "  process $pid still running after $2 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null
}

# Stops the server with SIGTERM (its shutdown hooks run: the agent flushes and prints its summary).
stop_server() {
  stop_pid "$SERVER_PID" 30
  [[ -n "$TIME_PID" ]] && wait "$TIME_PID" 2>/dev/null
  SERVER_PID="" TIME_PID=""
}

cleanup() {
  stop_pid "$WAITED_PID" 5
  stop_pid "$CLIENT_PID" 5
  stop_server
  stop_pid "$SAMPLER_PID" 5
  [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Launches the demo server in $1 (its working directory) with JVM options $2..., under /usr/bin/time -v, and probes it
# to the first answered initialize and tools/call. Sets SERVER_PID, PORT; the probe's values are in $1/probe.txt.
start_server() {
  local dir="$1" t0 i; shift
  mkdir -p "$dir"
  PORT="$(python3 "$FP" port)"
  t0="$EPOCHREALTIME"
  ( cd "$dir" && exec /usr/bin/time -v -o "$dir/time.txt" "$JAVA" "$@" -jar "$DEMO_JAR" "$PORT" \
      >"$dir/stdout.txt" 2>"$dir/stderr.txt" ) &
  TIME_PID=$!
  SERVER_PID=""
  for ((i = 0; i < 1000; i++)); do   # the JVM is /usr/bin/time's child (the file has no newline: read fails, yet reads)
    read -r SERVER_PID _ < "/proc/$TIME_PID/task/$TIME_PID/children" 2>/dev/null
    [[ -n "$SERVER_PID" ]] && break
    sleep 0.005
  done
  [[ -n "$SERVER_PID" ]] || { log "  the server JVM did not start"; return 1; }
  if ! waited python3 "$FP" probe "$PORT" "$t0" "$SERVER_PID" "$STARTUP_TIMEOUT" > "$dir/probe.txt" 2> "$dir/probe.err"; then
    log "  probe failed: $(cat "$dir/probe.err"); server stderr: $(tail -3 "$dir/stderr.txt")"
    stop_server
    return 1
  fi
}

record_probe() {  # <round> <variant> <dir>
  local key value
  while IFS='=' read -r key value; do record "$1" "$2" "$key" "$value"; done < "$3/probe.txt"
  log "  launch: initialize after $(kv "$3/probe.txt" init_ms) ms ($(kv "$3/probe.txt" init_cpu_s) s CPU)," \
      "tools/call after $(kv "$3/probe.txt" call_ms) ms ($(kv "$3/probe.txt" call_cpu_s) s CPU)"
}

# What /usr/bin/time -v said about the whole life of the server, and the agent's lines of its stderr, into the log.
record_life() {  # <round> <variant> <dir>
  local maxrss cpu
  maxrss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$3/time.txt")"
  cpu="$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$3/time.txt")"
  [[ -n "$maxrss" ]] && record "$1" "$2" life_maxrss_mb "$(calc "$maxrss / 1024")"
  [[ -n "$cpu" ]] && record "$1" "$2" life_cpu_s "$cpu"
  log "  whole life (time -v): max RSS ${maxrss:-?} kB, user+sys ${cpu:-?} s"
  grep -v '^ \|^$' "$3/stderr.txt" | grep -iv 'summary\|name  ' | head -5 | sed 's/^/  server stderr: /' | tee -a "$LOG" >&2
}

# A, B, C: launch, load phase, memory readings, stop.
run_main() {  # <round> <variant> <jvm options...>
  local r="$1" v="$2" dir="$WORK/runs/$1-$2" rss jstat_mu total
  shift 2
  log "round $r, $v: main run ($*)"
  record "$r" "$v" t_start "$EPOCHREALTIME"
  start_server "$dir" "$@" || return 1
  record_probe "$r" "$v" "$dir"
  if ! waited timeout "$LOAD_TIMEOUT" "$JAVA" -cp "$DEMO_JAR" io.mcpobservatory.examples.LoadClient \
      "$PORT" "$SERVER_PID" "$THREADS" "$WARMUP" "$CALLS" > "$dir/load.txt" 2> "$dir/load.err"; then
    log "  load client failed: $(tail -3 "$dir/load.err")"
    stop_server
    return 1
  fi
  local calls errors key value
  calls="$(field measured calls "$dir/load.txt")"; errors="$(field measured errors "$dir/load.txt")"
  ((errors == 0)) || log "  WARNING: $errors of $calls measured calls failed"
  record "$r" "$v" cpu_per_call_us "$(calc "$(field measured server_cpu_ns "$dir/load.txt") / 1000 / $calls")"
  record "$r" "$v" calls_per_s "$(calc "$calls / $(field measured seconds "$dir/load.txt")" 0)"
  record "$r" "$v" warmup_cpu_per_call_us \
      "$(calc "$(field warmup server_cpu_ns "$dir/load.txt") / 1000 / $(field warmup calls "$dir/load.txt")")"
  python3 "$FP" load-threads "$dir/load.txt" | while IFS='=' read -r key value; do record "$r" "$v" "$key" "$value"; done
  rss="$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")"
  record "$r" "$v" rss_peak_mb "$(calc "$rss / 1024")"
  jstat_mu="$("$JSTAT" -gc "$SERVER_PID" | awk 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "MU") c = i} NR == 2 {print $c}')"
  record "$r" "$v" metaspace_mb "$(calc "$jstat_mu / 1024")"
  "$JCMD" "$SERVER_PID" GC.class_histogram > "$WORK/hist/$r-$v.txt" 2>&1
  total="$(python3 "$FP" histogram "$WORK/hist/$r-$v.txt" | sed 's/total_bytes=//')"
  record "$r" "$v" live_heap_mb "$(calc "$total / 1e6")"
  log "  load: $(grep -v '^threads' "$dir/load.txt" | tr '\n' ' ')"
  log "  after the load: VmHWM $rss kB, metaspace used $jstat_mu kB, live heap $total B"
  stop_server
  record_life "$r" "$v" "$dir"
  record "$r" "$v" t_end "$EPOCHREALTIME"
}

# A launch only (the CDS comparison): to the first answered tools/call, then stop.
run_launch() {  # <round> <variant> <jvm options...>
  local r="$1" v="$2" dir="$WORK/runs/$1-$2"
  shift 2
  log "round $r, $v: launch ($*)"
  record "$r" "$v" t_start "$EPOCHREALTIME"
  start_server "$dir" "$@" || return 1
  record_probe "$r" "$v" "$dir"
  stop_server
  record "$r" "$v" t_end "$EPOCHREALTIME"
}

# D: attach to a server started without the agent while one client thread calls it back to back.
run_attach() {  # <round> [variant jar]
  local r="$1" v="${2:-D}" jar="${3:-$AGENT}" dir i t0 t_file first spans
  dir="$WORK/runs/$r-$v"
  spans="$dir/attach-spans.jsonl"
  log "round $r, $v: attach ($jar)"
  record "$r" "$v" t_start "$EPOCHREALTIME"
  start_server "$dir" || return 1
  "$JAVA" -cp "$DEMO_JAR" io.mcpobservatory.examples.LoadClient "$PORT" "$SERVER_PID" loop 120 \
      > "$dir/loop.txt" 2> "$dir/loop.err" &
  CLIENT_PID=$!
  for ((i = 0; i < 600; i++)); do grep -qs looping "$dir/loop.txt" && break; sleep 0.1; done
  grep -qs looping "$dir/loop.txt" || { log "  the loop client did not start: $(tail -2 "$dir/loop.err")"; stop_pid "$CLIENT_PID" 5; stop_server; return 1; }
  t0="$EPOCHREALTIME"
  ( timeout 60 "$JAVA" -jar "$jar" attach "$SERVER_PID" --set "observatory.jsonl.path=$spans" \
      --set observatory.export.interval=100ms > "$dir/attach.txt" 2>&1
    echo "rc=$? end=$EPOCHREALTIME" >> "$dir/attach.txt" ) &
  local attach_pid=$!
  for ((i = 0; i < 6000; i++)); do [[ -s "$spans" ]] && break; sleep 0.01; done
  t_file="$EPOCHREALTIME"
  WAITED_PID=$attach_pid; wait "$attach_pid"; WAITED_PID=""
  stop_pid "$CLIENT_PID" 5; wait "$CLIENT_PID" 2>/dev/null; CLIENT_PID=""
  stop_server
  log "  attach command: $(head -c 300 "$dir/attach.txt" | tr '\n' ' ')"
  [[ -s "$spans" ]] || { log "  no span within 60 s"; return 1; }
  first="$(python3 "$FP" first-span "$spans")"
  record "$r" "$v" attach_span_ms "$(calc "($first - $t0) * 1000" 0)"
  record "$r" "$v" attach_file_ms "$(calc "($t_file - $t0) * 1000" 0)"
  record "$r" "$v" attach_cmd_ms "$(calc "($(sed -n 's/.*end=//p' "$dir/attach.txt") - $t0) * 1000" 0)"
  local agent_line
  agent_line="$(grep -o 'started in [0-9]* ms, then retransformed [0-9]* loaded MCP SDK classes in [0-9]* ms' "$dir/stderr.txt")"
  record "$r" "$v" agent_start_ms "$(awk '{print $3}' <<< "$agent_line")"
  record "$r" "$v" retransform_ms "$(awk '{print $(NF-1)}' <<< "$agent_line")"
  log "  first span $(calc "($first - $t0) * 1000" 0) ms after the command; in the file after" \
      "$(calc "($t_file - $t0) * 1000" 0) ms; agent: $agent_line"
  record "$r" "$v" t_end "$EPOCHREALTIME"
}

# One launch with -Xlog:class+load; counts the classes loaded by the time the probe's tools/call was answered.
census() {  # <variant> <jvm options...>
  local v="$1" dir="$WORK/runs/census-$1"
  shift
  log "census $v: launch with -Xlog:class+load ($*)"
  start_server "$dir" "$@" "-Xlog:class+load:file=$dir/class-load.log" || return 1
  cp "$dir/class-load.log" "$dir/class-load-at-call.log"
  stop_server
  echo "$v $(python3 "$FP" classes "$dir/class-load-at-call.log" | tr '\n' ' ')" >> "$WORK/census.tsv"
  log "  $(tail -1 "$WORK/census.tsv")"
}

# A static AppCDS archive of the demo server (what a user who sets up AppCDS has): the classes a launch loads to its
# first tools/call, dumped with -Xshare:dump.
make_app_archive() {
  log "static AppCDS archive: class list of one launch, then -Xshare:dump"
  start_server "$WORK/runs/classlist" "-XX:DumpLoadedClassList=$WORK/app.classlist" || return 1
  stop_server
  waited "$JAVA" -Xshare:dump "-XX:SharedClassListFile=$WORK/app.classlist" "-XX:SharedArchiveFile=$WORK/app.jsa" \
      -cp "$DEMO_JAR" > "$WORK/dump.log" 2>&1 || { log "  -Xshare:dump failed: $(tail -3 "$WORK/dump.log")"; return 1; }
  log "  $(wc -l < "$WORK/app.classlist") classes listed, archive $(du -h "$WORK/app.jsa" | cut -f1)"
}

# ---------------------------------------------------------------------------------------------------------------- run
if ((WAIT_IDLE > 0)); then
  deadline=$(($(date +%s) + WAIT_IDLE))
  while idle="$(vmstat 5 2 | tail -1 | awk '{print $15}')" && ((idle < 90 && $(date +%s) < deadline)); do sleep 5; done
  echo "# cpu idle before start (vmstat 5 s): ${idle}%" >> "$LOG"
fi
{
  echo "# command: $0 $AGENT --rounds $ROUNDS --max-extra $MAX_EXTRA --warmup $WARMUP --calls $CALLS (threads $THREADS)"
  echo "# date: $(date -u '+%Y-%m-%dT%H:%M:%SZ'), commit $COMMIT$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (uncommitted changes)')"
  echo "# agent: $AGENT, sha256 $(sha256sum "$AGENT" | cut -c1-16); demo: $DEMO_JAR"
  echo "# machine: nproc $(nproc); $(lscpu | sed -n 's/^Model name: *//p'); memory $(free -h | awk '/Mem:/ {print $2}')"
  echo "# java: $("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "# uptime before: $(uptime)"
} | tee -a "$LOG" >&2
python3 "$ROOT/benchmarks/others_cpu.py" $$ --samples "$WORK/others-cpu.txt" --interval 1 > "$WORK/others-summary.txt" &
SAMPLER_PID=$!
started=$SECONDS

# The census launches come first: they also warm the page cache for the jars, so that round 1 is not the odd one out.
APP_ARCHIVE=0
if [[ -n "$ATTACH_AB" ]]; then
  ATTACH_AB="$(cd "$(dirname "$ATTACH_AB")" && pwd)/$(basename "$ATTACH_AB")"
  log "attach A/B only: D = $AGENT, D0 = $ATTACH_AB"
else
  census A
  census B "-javaagent:$AGENT"
  census C "-javaagent:$AGENT" -Dobservatory.enabled=false
fi
if [[ -z "$ATTACH_AB" ]] && ((CDS)) && make_app_archive; then
  APP_ARCHIVE=1
  census As "-XX:SharedArchiveFile=$WORK/app.jsa"
  census Bs "-javaagent:$AGENT" "-XX:SharedArchiveFile=$WORK/app.jsa"
fi

extra=0
for ((r = 1; r <= ROUNDS; r++)); do
  steps=("run_main $r A" "run_main $r B -javaagent:$AGENT" "run_main $r C -javaagent:$AGENT -Dobservatory.enabled=false")
  ((ATTACH)) && steps+=("run_attach $r")
  [[ -n "$ATTACH_AB" ]] && steps=("run_attach $r D" "run_attach $r D0 $ATTACH_AB")
  [[ -z "$ATTACH_AB" ]] && ((CDS)) && steps+=("run_launch $r A0 -Xshare:off" "run_launch $r B0 -javaagent:$AGENT -Xshare:off")
  ((APP_ARCHIVE)) && steps+=("run_launch $r As -XX:SharedArchiveFile=$WORK/app.jsa"
                             "run_launch $r Bs -javaagent:$AGENT -XX:SharedArchiveFile=$WORK/app.jsa")
  for ((i = 0; i < ${#steps[@]}; i++)); do
    step="${steps[$(((i + r - 1) % ${#steps[@]}))]}"
    $step || log "  (this run failed and is left out)"
  done
  read -r load busy < <(python3 "$FP" round-load "$WORK" "$r")
  log "round $r: other processes took $load % of the machine ($busy)"
  if [[ "$busy" == busy ]] && ((extra < MAX_EXTRA)); then
    ((ROUNDS++, extra++))
    log "  one more round ($extra of at most $MAX_EXTRA extra)"
  fi
done

echo "# uptime after: $(uptime)" | tee -a "$LOG" >&2
echo "# duration: $((SECONDS - started)) s" | tee -a "$LOG" >&2
stop_pid "$SAMPLER_PID" 5; wait "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=""
sed "s/during the run/over the whole run/" "$WORK/others-summary.txt" | tee -a "$LOG" >&2
python3 "$FP" report "$WORK" > "$OUT/report.md"
cp "$WORK/raw.tsv" "$WORK/others-cpu.txt" "$OUT/"
[[ -f "$WORK/census.tsv" ]] && cp "$WORK/census.tsv" "$OUT/"
mkdir -p "$OUT/hist"
for h in "$WORK"/hist/*-[AB].txt; do [[ -f "$h" ]] && head -40 "$h" > "$OUT/hist/$(basename "$h")"; done
cat "$OUT/report.md" | tee -a "$LOG"
echo "footprint: log, raw values and tables in $OUT" >&2
