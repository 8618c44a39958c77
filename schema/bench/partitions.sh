#!/usr/bin/env bash
# Times the partition functions on a scratch database (dropped afterwards): creating partitions (fresh and when none is
# missing), creating one while the default partition holds rows of its day (rows moved), and dropping an old partition
# of ROWS rows.
#
#   schema/bench/partitions.sh [ROWS=200000]
set -euo pipefail
cd "$(dirname "$0")"
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
ROWS=${1:-200000}
DB=schema_partitions_$$
createdb "$DB"
trap 'dropdb --if-exists "$DB"' EXIT
psql -X -q -v ON_ERROR_STOP=1 -o /dev/null -d "$DB" -f ../postgres.sql -c 'DROP TABLE mcp_spans_'"$(date -u +%Y%m%d)"

psql -X -q -v ON_ERROR_STOP=1 -v rows="$ROWS" -d "$DB" <<'SQL'
-- Span-like filler rows for a day: :rows rows spread over it.
CREATE FUNCTION pg_temp.fill(day date, n int) RETURNS void LANGUAGE sql AS $$
INSERT INTO mcp_spans (trace_id, span_id, start_time, end_time, duration_ms, agent_id, request_bytes, response_bytes,
                       kind, status, service, name, mcp_method, tool_name, jsonrpc_request_id, session_id,
                       protocol_version, transport, client_name, client_version, attributes)
SELECT gen_random_uuid(), (random() * 9e18)::bigint, t, t + interval '30 ms', 30.0, gen_random_uuid(), 1000, 5000,
       'server', 'ok', 'weather-demo', 'tools/call get_forecast', 'tools/call', 'get_forecast', g::text,
       '3f2c1a9e-2b7d-4c1e-9f0a-6d5e4c3b2a10', '2025-06-18', 'streamable_http', 'claude-ai', '1.0.3',
       '{"server.address": "10.0.3.17", "http.response.status_code": 200, "user_agent.original": "claude-ai/1.0.3"}'
  FROM generate_series(1, n) g, LATERAL (SELECT day::timestamp AT TIME ZONE 'UTC' + g * interval '1 day' / n / 2) s(t)
$$;
\timing on
\echo '-- today''s partition missing, a tenth of' :rows 'rows of today in mcp_spans_default: ensure moves them'
SELECT pg_temp.fill((now() AT TIME ZONE 'UTC')::date, :rows / 10);
SELECT mcp_ensure_partitions(3) AS created_moving_rows;
\echo '-- 30 days ahead on a schema that has today..today+3: creates 27 empty partitions'
SELECT mcp_ensure_partitions(30) AS created;
\echo '-- nothing missing (the hourly call)'
SELECT mcp_ensure_partitions(30) AS created;
\timing off
CREATE TABLE mcp_spans_20200101 PARTITION OF mcp_spans
  FOR VALUES FROM ('2020-01-01 00:00:00+00') TO ('2020-01-02 00:00:00+00');
SELECT pg_temp.fill('2020-01-01', :rows);
SELECT pg_size_pretty(pg_total_relation_size('mcp_spans_20200101')) AS old_partition_size;
CHECKPOINT;
\timing on
\echo '-- retention: drop an old partition of' :rows 'rows'
SELECT mcp_drop_partitions_older_than(30) AS dropped;
\echo '-- retention, nothing to drop'
SELECT mcp_drop_partitions_older_than(30) AS dropped;
SQL
