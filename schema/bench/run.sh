#!/usr/bin/env bash
# Ingest benchmark of the mcp_spans id types: uuid/bigint ids (the shipped schema) against 32/16-char text ids.
# Each run gets a fresh scratch database (dropped afterwards), the shipped indexes and today's partitions.
#
#   schema/bench/run.sh [ROWS=200000] [BATCH=1000] [REPEATS=3]
#
# VARIANTS (default "uuid text") may also name uuid_noindex, uuid_brin, uuid_brin_trace: the shipped schema with only
# those indexes, to see what each index costs.
#
# Needs PostgreSQL on $PGHOST:$PGPORT (default 127.0.0.1:5432, user postgres, trust auth), JDK 17+ and the pgjdbc jar
# (default: the one in ~/.m2; set PGJDBC_JAR to override).
set -euo pipefail
trap 'echo "run.sh: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")"
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
ROWS=${1:-200000}
BATCH=${2:-1000}
REPEATS=${3:-3}
JAR=${PGJDBC_JAR:-$(ls ~/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar | grep -v sources | sort -V | tail -1)}
DB=schema_bench_$$

sizes() {
  psql -X -At -d "$DB" -F ' ' <<'SQL'
SELECT 'heap_bytes=' || sum(pg_table_size(relid)) || ' index_bytes=' || sum(pg_indexes_size(relid))
       || ' total_bytes=' || sum(pg_total_relation_size(relid))
  FROM pg_partition_tree('mcp_spans') WHERE isleaf;
SELECT 'index ' || i || ' bytes=' || (SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree(i) WHERE isleaf)
  FROM unnest(array['mcp_spans_trace_id_idx', 'mcp_spans_service_tool_time_idx', 'mcp_spans_start_time_brin']) n,
       LATERAL (SELECT to_regclass(n)) r(i) WHERE i IS NOT NULL;
SQL
}

# Percentage of idle CPU over the next 2 seconds (other work on the box distorts the numbers: we wait for quiet).
idle_pct() {
  local a b
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  local total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo $(( 100 * (b[4] + b[5] - a[4] - a[5]) / total ))
}
wait_for_quiet() {
  local tries=0
  until [ "$(idle_pct)" -ge "${MIN_IDLE:-90}" ]; do
    tries=$((tries + 1))
    if [ "$tries" -ge 300 ]; then
      echo "    (box still busy after 10 minutes; running anyway)"
      return 0
    fi
  done
  return 0
}

for run in $(seq 1 "$REPEATS"); do
  for variant in ${VARIANTS:-uuid text}; do
    createdb "$DB"
    trap 'dropdb --if-exists "$DB"' EXIT
    if [ "$variant" != text ]; then
      psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f ../migrations/V1__spans_agents.sql
      case "$variant" in
        uuid_noindex) drop="mcp_spans_start_time_brin, mcp_spans_trace_id_idx, mcp_spans_service_tool_time_idx" ;;
        uuid_brin) drop="mcp_spans_trace_id_idx, mcp_spans_service_tool_time_idx" ;;
        uuid_brin_trace) drop="mcp_spans_service_tool_time_idx" ;;
        *) drop= ;;
      esac
      [ -z "$drop" ] || psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "DROP INDEX $drop"
    else
      sed -e 's/^\(    trace_id  *\)uuid /\1text /' -e 's/^\(    span_id  *\)bigint /\1text   /' \
          -e 's/^\(    parent_span_id  *\)bigint/\1text/' ../postgres.sql \
        | psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -d "$DB"
    fi
    psql -X -q -d "$DB" -c 'CHECKPOINT'
    wait_for_quiet
    result=$(java -cp "$JAR" CopyBench.java "jdbc:postgresql://$PGHOST:${PGPORT:-5432}/$DB?user=$PGUSER" \
      "${variant%%_*}" "$ROWS" "$BATCH" 2>&1 | head -20)
    echo "run=$run schema=$variant $result" | tr '\n' ' '; echo
    sizes | sed 's/^/    /'
    dropdb "$DB"
  done
done
