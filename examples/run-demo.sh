#!/usr/bin/env bash
# The demo of the README: build everything, run the weather-demo MCP server under the MCP Observatory agent, drive it
# with the demo client, stop it (the agent prints its summary table on stderr at exit), show the spans it wrote, ask the
# observatory which tool did worst, and end with the path of an HTML report of the run.
#
# Usage: examples/run-demo.sh            (from any directory)
#        DEMO_PORT=9000 examples/run-demo.sh
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
PORT="${DEMO_PORT:-8765}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
AGENT_JAR="$ROOT/agent/target/mcp-observatory-agent.jar"
QUERY_JAR="$ROOT/query/target/mcp-observatory-query.jar"
DEMO_JAR="$ROOT/examples/target/mcp-demo.jar"
RUN_DIR="$ROOT/examples/target/demo-run"
SPANS="$RUN_DIR/mcp-observatory/spans.jsonl"
STARTUP_TIMEOUT_S=30
SHUTDOWN_TIMEOUT_S=30
SERVER_PID=""

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'run-demo: %s\n' "$*" >&2; exit 1; }

# True while the process runs (an exited child that was not reaped yet is a zombie, which `kill -0` still sees).
alive() {
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z* ]]
}

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

# Stops the server with SIGTERM, so that shutdown hooks (the agent's among them) run; SIGKILL only as a last resort.
stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  local pid="$SERVER_PID" waited=0
  SERVER_PID=""
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    while alive "$pid" && (( waited < SHUTDOWN_TIMEOUT_S * 5 )); do
      sleep 0.2
      waited=$((waited + 1))
    done
    if alive "$pid"; then
      printf 'run-demo: server (pid %s) still running after %ss, killing it\n' "$pid" "$SHUTDOWN_TIMEOUT_S" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# (a) build ------------------------------------------------------------------------------------------------------------
step "Building the project (mvn -B -q package -DskipTests) in $ROOT"
(cd "$ROOT" && mvn -B -q package -DskipTests)
[[ -f "$AGENT_JAR" ]] || die "the build did not produce the agent jar $AGENT_JAR: cannot run the demo without it"
[[ -f "$DEMO_JAR" ]] || die "the build did not produce the demo jar $DEMO_JAR"
[[ -f "$QUERY_JAR" ]] || die "the build did not produce the query jar $QUERY_JAR"

# (b) start the server under the agent ---------------------------------------------------------------------------------
if port_answers; then
  die "something already listens on 127.0.0.1:$PORT; stop it or pick another port with DEMO_PORT=<port>"
fi
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"

step "Starting the weather-demo MCP server on port $PORT under the agent (working directory $RUN_DIR)"
(
  cd "$RUN_DIR"
  exec "$JAVA" -javaagent:"$AGENT_JAR" -Dobservatory.service.name=weather-demo -jar "$DEMO_JAR" "$PORT"
) &
SERVER_PID=$!

waited=0
until port_answers; do
  alive "$SERVER_PID" || die "the server exited before it listened on port $PORT (see its output above)"
  (( waited < STARTUP_TIMEOUT_S * 5 )) || die "the server did not listen on port $PORT within ${STARTUP_TIMEOUT_S}s"
  sleep 0.2
  waited=$((waited + 1))
done

# (c) drive it with the demo client ------------------------------------------------------------------------------------
step "Running the demo client against http://127.0.0.1:$PORT/mcp"
client_rc=0
"$JAVA" -cp "$DEMO_JAR" io.mcpobservatory.examples.DemoClient "http://127.0.0.1:$PORT" || client_rc=$?
(( client_rc == 0 )) || printf 'run-demo: the demo client exited with status %s\n' "$client_rc" >&2

# (d) stop the server: the agent prints its summary on stderr as the JVM exits ----------------------------------------
step "Stopping the server (SIGTERM); the agent's summary follows"
stop_server

# (e) where the spans went ---------------------------------------------------------------------------------------------
step "Spans"
if [[ -f "$SPANS" ]]; then
  printf 'file:  %s\n' "$SPANS"
  printf 'lines: %s\n' "$(wc -l < "$SPANS" | tr -d ' ')"
  printf 'first three (null fields left out):\n'
  if command -v jq >/dev/null 2>&1; then
    head -n 3 "$SPANS" | jq -c 'with_entries(select(.value != null))'
  else
    head -n 3 "$SPANS"
  fi
  # (f) ask the observatory, and make the report -----------------------------------------------------------------------
  step "Tool statistics of this run (java -jar mcp-observatory-query.jar export --format csv)"
  "$JAVA" -jar "$QUERY_JAR" export --jsonl "$RUN_DIR/mcp-observatory" --since 1h --format csv --method tools/call
  step "Report"
  REPORT="$("$JAVA" -jar "$QUERY_JAR" report --jsonl "$RUN_DIR/mcp-observatory" --since 1h \
    --out "$RUN_DIR/report.html")" || die "the report could not be made"
  printf 'open it in a browser:\n%s\n' "$REPORT"
else
  printf 'run-demo: no spans file at %s\n' "$SPANS" >&2
  if [[ -d "$RUN_DIR/mcp-observatory" ]]; then
    printf 'contents of %s:\n' "$RUN_DIR/mcp-observatory" >&2
    ls -la "$RUN_DIR/mcp-observatory" >&2
  fi
  exit 1
fi
