#!/usr/bin/env bash
# Checks schema/: the migrations (migrations/V<n>__*.sql, in order) applied twice to an empty database are safe and the
# second run changes nothing; four agents applying them at once leave one complete schema; postgres.sql applied to
# another empty database gives the same catalog (pg_dump --schema-only and information_schema.columns, columns compared
# in order but not by position number, which a dropped column leaves a gap in); the partition functions behave
# (default-partition rows moved, retention).
#
#   schema/verify.sh      (PostgreSQL on $PGHOST:$PGPORT, default 127.0.0.1:5432, user postgres; scratch databases
#                          schema_verify_<pid>_* are created and dropped)
set -euo pipefail
cd "$(dirname "$0")"
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
P=schema_verify_$$
TMP=$(mktemp -d)
MIGRATIONS=$(ls migrations/V*__*.sql | sort -V)
VERSIONS=$(for f in $MIGRATIONS; do b=$(basename "$f" .sql); printf '%s%s ' "${b%%__*}" "${b#*__}"; done \
  | sed 's/^V//; s/ V/ /g; s/ $//')
cleanup() {
  for db in "${P}_mig" "${P}_full" "${P}_race"; do dropdb --if-exists "$db" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
migrate() { for f in $MIGRATIONS; do psql_q -d "$1" -f "$f" || return 1; done; }
versions() { psql -X -At -d "$1" -c "SELECT string_agg(version || description, ' ' ORDER BY version) FROM mcp_schema_version"; }
dump() { pg_dump --schema-only --no-owner "$1" | grep -v -e '^\\restrict' -e '^\\unrestrict'; }
columns() {
  psql -X -At -d "$1" -c "SELECT c.relname, row_number() OVER (PARTITION BY c.relname ORDER BY a.attnum), a.attname,
      format_type(a.atttypid, a.atttypmod), a.attnotnull, coalesce(pg_get_expr(d.adbin, d.adrelid), ''),
      coalesce(col_description(c.oid, a.attnum), '')
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v') AND a.attnum > 0
      AND NOT a.attisdropped ORDER BY 1, 2"
}

createdb "${P}_mig"
migrate "${P}_mig"
dump "${P}_mig" > "$TMP/mig_once.sql"
migrate "${P}_mig" 2> "$TMP/second.log"
[ "$(grep -c 'already applied' "$TMP/second.log")" = "$(echo $MIGRATIONS | wc -w)" ] \
  || fail "second run did not report 'already applied' for every migration: $(cat "$TMP/second.log")"
dump "${P}_mig" > "$TMP/mig_twice.sql"
diff -q "$TMP/mig_once.sql" "$TMP/mig_twice.sql" >/dev/null || fail "second run of the migrations changed the schema"
[ "$(versions "${P}_mig")" = "$VERSIONS" ] || fail "version rows after two runs: $(versions "${P}_mig")"
echo "ok: migrations ($VERSIONS) applied twice: second run is a no-op"

createdb "${P}_race"
for i in 1 2 3 4; do
  migrate "${P}_race" > "$TMP/race_$i.log" 2>&1 &
done
wait
[ "$(versions "${P}_race")" = "$VERSIONS" ] || fail "concurrent runs: unexpected mcp_schema_version $(versions "${P}_race")"
diff -q "$TMP/mig_once.sql" <(dump "${P}_race") >/dev/null || fail "concurrent runs: schema differs"
echo "ok: four concurrent runs of the migrations: one applied each, the others were no-ops, same schema"

createdb "${P}_full"
psql_q -d "${P}_full" -o /dev/null -f postgres.sql
diff "$TMP/mig_once.sql" <(dump "${P}_full") > "$TMP/dump.diff" \
  || fail "the migrations and postgres.sql give different schemas:"$'\n'"$(head -50 "$TMP/dump.diff")"
diff <(columns "${P}_mig") <(columns "${P}_full") > "$TMP/columns.diff" \
  || fail "columns differ:"$'\n'"$(cat "$TMP/columns.diff")"
[ "$(versions "${P}_full")" = "$VERSIONS" ] || fail "postgres.sql records $(versions "${P}_full"), not $VERSIONS"
echo "ok: postgres.sql gives the same schema as the migrations ($(columns "${P}_full" | wc -l) columns, comments included)"

# Every table, column, view and function has a comment.
missing=$(psql -X -At -d "${P}_full" <<'SQL'
SELECT 'table ' || c.relname FROM pg_class c
 WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v')
   AND obj_description(c.oid, 'pg_class') IS NULL
UNION ALL
SELECT 'column ' || c.relname || '.' || a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
 WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v') AND a.attnum > 0
   AND NOT a.attisdropped AND NOT c.relispartition AND col_description(c.oid, a.attnum) IS NULL
UNION ALL
SELECT 'function ' || p.proname FROM pg_proc p
 WHERE p.pronamespace = current_schema()::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL;
SQL
)
[ -z "$missing" ] || fail "objects without a comment: $missing"
echo "ok: every table, column, view and function has a comment"

# Partition functions: rows of a day without partition land in the default partition; creating that day's partition
# moves them; retention drops old partitions and old rows (also with a non-UTC session time zone and date style).
out=$(psql -X -At -v ON_ERROR_STOP=1 -d "${P}_full" 2>&1 <<'SQL'
SET TimeZone = 'Asia/Kolkata';
SET datestyle = 'SQL, DMY';
INSERT INTO mcp_spans (trace_id, span_id, start_time, end_time, duration_ms, agent_id, kind, status, service, name,
                       mcp_method, tool_name)
SELECT gen_random_uuid(), g, t, t, 1.5, gen_random_uuid(), 'server', 'ok', 's', 'tools/call x', 'tools/call', 'x'
  FROM generate_series(1, 3) g,
       unnest(ARRAY[now() + interval '5 days', now() - interval '40 days', 'infinity', '1970-01-01']::timestamptz[]) t;
SELECT 'default_before=' || count(*) FROM mcp_spans_default;
SELECT 'created=' || mcp_ensure_partitions(6);
SELECT 'created_again=' || mcp_ensure_partitions(6);
SELECT 'default_after=' || count(*) FROM mcp_spans_default;
SELECT 'in_new_partition=' || count(*) FROM mcp_spans
 WHERE tableoid::regclass::text = 'mcp_spans_' || to_char((now() AT TIME ZONE 'UTC')::date + 5, 'YYYYMMDD');
CREATE TABLE mcp_spans_20000101 PARTITION OF mcp_spans
  FOR VALUES FROM ('2000-01-01 00:00:00+00') TO ('2000-01-02 00:00:00+00');
SELECT 'dropped=' || mcp_drop_partitions_older_than(30);
SELECT 'default_left=' || count(*) FROM mcp_spans_default;
SELECT 'daily_partitions=' || count(*) FROM pg_inherits WHERE inhparent = 'mcp_spans'::regclass;
SQL
)
expected="default_before=12 created=3 created_again=0 default_after=9 in_new_partition=3 dropped=1"
expected="$expected default_left=3 daily_partitions=8"
[ "$(echo "$out" | grep '=' | tr '\n' ' ' | sed 's/ $//')" = "$expected" ] \
  || fail "partition functions: got"$'\n'"$out"$'\n'"expected $expected"
echo "ok: partition functions (default rows moved into the new partition, retention dropped 1 partition)"
echo "all checks passed"
