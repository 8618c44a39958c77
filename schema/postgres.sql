-- MCP Observatory: the whole current PostgreSQL schema (PostgreSQL 14 or later), in one file, for reading and for
-- applying by hand:
--
--     psql -v ON_ERROR_STOP=1 -f schema/postgres.sql "dbname=... options=-csearch_path=my_schema"
--
-- Everything is created in the current schema (the first schema of search_path); no schema name is written here.
-- This file records the migrations it is equivalent to in mcp_schema_version, so an agent that starts later skips them.
-- Agents do not read this file: they apply schema/migrations/V<n>__*.sql (see schema/README.md). Whenever a migration
-- is added, this file is updated to the resulting schema and records that version too; schema/verify.sh checks that
-- both give the same catalog.
--
-- Applying it to a database that already has the schema fails at CREATE TABLE mcp_spans and changes nothing.

BEGIN;

-- The Observatory's schema lock: taken by every migration and by mcp_ensure_partitions/mcp_drop_partitions_older_than.
SELECT pg_advisory_xact_lock(120273855537779);  -- 0x6d63706f6273, "mcpobs" in ASCII

CREATE TABLE IF NOT EXISTS mcp_schema_version (
    version     integer     PRIMARY KEY,
    description text,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE mcp_schema_version IS 'Schema migrations applied to this schema, one row per version (schema/migrations/V<version>__<description>.sql).';
COMMENT ON COLUMN mcp_schema_version.version IS 'Migration version number, the <n> of V<n>__*.sql.';
COMMENT ON COLUMN mcp_schema_version.description IS 'Migration description, the file name part after the double underscore.';
COMMENT ON COLUMN mcp_schema_version.applied_at IS 'When the migration was applied (transaction start time).';


-- Spans --------------------------------------------------------------------------------------------------------------
-- Column order is storage order: fixed-width 8-byte columns first, then 4- and 1-byte ones, then variable-length
-- text, so rows carry next to no alignment padding. Writers name their columns (COPY mcp_spans (col, ...)), so the
-- order never matters to them. No primary key or unique index: it would cost ingest speed; replays are prevented per
-- batch (mcp_export_batches).
CREATE TABLE mcp_spans (
    trace_id           uuid             NOT NULL,
    span_id            bigint           NOT NULL,
    parent_span_id     bigint,
    start_time         timestamptz      NOT NULL,
    end_time           timestamptz      NOT NULL,
    duration_ms        double precision NOT NULL,
    agent_id           uuid             NOT NULL,
    prompt_tokens      bigint,
    completion_tokens  bigint,
    cost_usd           double precision,
    confidence         double precision,
    retries            integer,
    fallback_used      boolean,
    kind               text             NOT NULL CONSTRAINT mcp_spans_kind_check CHECK (kind IN ('server', 'client')),
    status             text             NOT NULL CONSTRAINT mcp_spans_status_check CHECK (status IN ('ok', 'error')),
    service            text             NOT NULL,
    name               text             NOT NULL,
    mcp_method         text             NOT NULL,
    tool_name          text,
    prompt_name        text,
    resource_uri       text,
    jsonrpc_request_id text,
    session_id         text,
    protocol_version   text,
    transport          text,
    client_name        text,
    client_version     text,
    error_type         text,
    error_message      text,
    model              text,
    attributes         jsonb,
    tool_arguments     text,
    tool_result        text
) PARTITION BY RANGE (start_time);

-- Created on the partitioned table, so every partition (daily and default) gets them.
CREATE INDEX mcp_spans_start_time_brin ON mcp_spans USING brin (start_time);
CREATE INDEX mcp_spans_trace_id_idx ON mcp_spans (trace_id);
CREATE INDEX mcp_spans_service_tool_time_idx ON mcp_spans (service, tool_name, start_time);

CREATE TABLE mcp_spans_default PARTITION OF mcp_spans DEFAULT;

COMMENT ON TABLE mcp_spans IS 'One row per span (an MCP request or notification as seen by a server or client), range-partitioned by UTC day on start_time.';
COMMENT ON TABLE mcp_spans_default IS 'Default partition of mcp_spans: spans whose start_time has no daily partition (clock skew, old replays); meant to stay small.';
COMMENT ON COLUMN mcp_spans.trace_id IS 'W3C trace id: its 16 bytes as a uuid (the 32 hex digits of the JSON lines, with dashes).';
COMMENT ON COLUMN mcp_spans.span_id IS 'W3C span id: its 8 bytes as a signed 64-bit integer, big-endian (the hex digits are lpad(to_hex(span_id), 16, ''0'')).';
COMMENT ON COLUMN mcp_spans.parent_span_id IS 'Span id of the parent span, same encoding as span_id; null for a root span.';
COMMENT ON COLUMN mcp_spans.start_time IS 'When the span started (microsecond precision; the partition key).';
COMMENT ON COLUMN mcp_spans.end_time IS 'When the span ended (microsecond precision).';
COMMENT ON COLUMN mcp_spans.duration_ms IS 'Duration in milliseconds, microsecond precision, from a monotonic clock.';
COMMENT ON COLUMN mcp_spans.agent_id IS 'The agent instance that recorded the span (mcp_agents.agent_id).';
COMMENT ON COLUMN mcp_spans.prompt_tokens IS 'Model prompt (input) tokens attributed to the span, in tokens; null when not known.';
COMMENT ON COLUMN mcp_spans.completion_tokens IS 'Model completion (output) tokens attributed to the span, in tokens; null when not known.';
COMMENT ON COLUMN mcp_spans.cost_usd IS 'Estimated model cost of the span in US dollars; null when not known.';
COMMENT ON COLUMN mcp_spans.confidence IS 'Confidence score of the span''s result, a fraction from 0 to 1; null when not known.';
COMMENT ON COLUMN mcp_spans.retries IS 'Number of retries made within the span; null when not known.';
COMMENT ON COLUMN mcp_spans.fallback_used IS 'Whether a fallback (model or path) was used; null when not known.';
COMMENT ON COLUMN mcp_spans.kind IS 'Which side recorded the span: server or client.';
COMMENT ON COLUMN mcp_spans.status IS 'Outcome: ok or error.';
COMMENT ON COLUMN mcp_spans.service IS 'Service name of the recording process (observatory.service.name).';
COMMENT ON COLUMN mcp_spans.name IS 'Span name, "{mcp_method} {target}" as in the OpenTelemetry MCP conventions, e.g. tools/call get_forecast.';
COMMENT ON COLUMN mcp_spans.mcp_method IS 'JSON-RPC method, e.g. tools/call, resources/read, notifications/initialized.';
COMMENT ON COLUMN mcp_spans.tool_name IS 'Tool called (tools/call); null otherwise.';
COMMENT ON COLUMN mcp_spans.prompt_name IS 'Prompt requested (prompts/get); null otherwise.';
COMMENT ON COLUMN mcp_spans.resource_uri IS 'Resource URI read or subscribed to; null otherwise.';
COMMENT ON COLUMN mcp_spans.jsonrpc_request_id IS 'JSON-RPC request id as text; null for notifications and when the transport hides it.';
COMMENT ON COLUMN mcp_spans.session_id IS 'MCP session id (Mcp-Session-Id on streamable HTTP); null on stateless HTTP.';
COMMENT ON COLUMN mcp_spans.protocol_version IS 'MCP protocol version negotiated at initialize, e.g. 2025-06-18.';
COMMENT ON COLUMN mcp_spans.transport IS 'Transport: stdio, sse, streamable_http or stateless_http.';
COMMENT ON COLUMN mcp_spans.client_name IS 'Client name from the client''s initialize request; null when not known.';
COMMENT ON COLUMN mcp_spans.client_version IS 'Client version from the client''s initialize request; null when not known.';
COMMENT ON COLUMN mcp_spans.error_type IS 'For errors: the JSON-RPC error code as text, tool_error, cancelled, or the exception class; null when ok.';
COMMENT ON COLUMN mcp_spans.error_message IS 'For errors: the error message (at most 2048 characters as the agent writes it); null when ok.';
COMMENT ON COLUMN mcp_spans.model IS 'Model used within the span, e.g. for sampling or an LLM call; null when none.';
COMMENT ON COLUMN mcp_spans.attributes IS 'Any further span attributes as a JSON object; null when none.';
COMMENT ON COLUMN mcp_spans.tool_arguments IS 'Captured request content (a tool call''s arguments as JSON; the messages of a sampling/createMessage), masked and cut at observatory.capture.max-chars; null unless observatory.capture.content=true.';
COMMENT ON COLUMN mcp_spans.tool_result IS 'Captured result content (a tool call''s result text or JSON; resources/read and prompts/get text; a sampling result), masked and cut; null unless observatory.capture.content=true.';

-- Agents -------------------------------------------------------------------------------------------------------------
CREATE TABLE mcp_agents (
    agent_id                    uuid        PRIMARY KEY,
    service                     text        NOT NULL,
    host                        text,
    pid                         bigint      NOT NULL,
    agent_version               text,
    sdk_version                 text,
    jvm_version                 text        NOT NULL,
    started_at                  timestamptz NOT NULL,
    last_seen_at                timestamptz NOT NULL,
    spans_recorded              bigint      NOT NULL DEFAULT 0,
    spans_exported              bigint      NOT NULL DEFAULT 0,
    spans_dropped_queue_full    bigint      NOT NULL DEFAULT 0,
    spans_dropped_export_failed bigint      NOT NULL DEFAULT 0,
    export_failures             bigint      NOT NULL DEFAULT 0,
    queue_depth                 bigint      NOT NULL DEFAULT 0,
    spool_bytes                 bigint      NOT NULL DEFAULT 0,
    attributes                  jsonb,
    heartbeat_interval          interval,
    spans_sampled_out           bigint      NOT NULL DEFAULT 0
);

COMMENT ON TABLE mcp_agents IS 'One row per agent instance (one JVM run), upserted at every heartbeat with its pipeline counters.';
COMMENT ON COLUMN mcp_agents.agent_id IS 'Random id of the agent instance, new at every JVM start.';
COMMENT ON COLUMN mcp_agents.service IS 'Service name the agent records spans under (observatory.service.name).';
COMMENT ON COLUMN mcp_agents.host IS 'Host name of the machine the JVM runs on.';
COMMENT ON COLUMN mcp_agents.pid IS 'Operating-system process id of the JVM.';
COMMENT ON COLUMN mcp_agents.agent_version IS 'MCP Observatory agent version; null for a development build without one.';
COMMENT ON COLUMN mcp_agents.sdk_version IS 'MCP Java SDK version found in the JVM; null when not known.';
COMMENT ON COLUMN mcp_agents.jvm_version IS 'Java runtime version (java.version).';
COMMENT ON COLUMN mcp_agents.started_at IS 'When the agent started.';
COMMENT ON COLUMN mcp_agents.last_seen_at IS 'Time of the agent''s latest heartbeat (database clock).';
COMMENT ON COLUMN mcp_agents.spans_recorded IS 'Spans recorded since the agent started (cumulative count).';
COMMENT ON COLUMN mcp_agents.spans_exported IS 'Spans exported since the agent started (cumulative count).';
COMMENT ON COLUMN mcp_agents.spans_dropped_queue_full IS 'Spans dropped because the in-memory queue was full, since start (cumulative count).';
COMMENT ON COLUMN mcp_agents.spans_dropped_export_failed IS 'Spans dropped because their export failed for good, since start (cumulative count).';
COMMENT ON COLUMN mcp_agents.export_failures IS 'Failed export attempts since start (cumulative count).';
COMMENT ON COLUMN mcp_agents.queue_depth IS 'Spans waiting in the in-memory queue at the heartbeat (count).';
COMMENT ON COLUMN mcp_agents.spool_bytes IS 'Size of the on-disk spool of unexported batches at the heartbeat, in bytes.';
COMMENT ON COLUMN mcp_agents.heartbeat_interval IS 'How often the agent refreshes this row (observatory.heartbeat.interval); null for agents older than schema V3, taken as 30 seconds.';
COMMENT ON COLUMN mcp_agents.attributes IS 'Any further agent attributes as a JSON object; null when none.';
COMMENT ON COLUMN mcp_agents.spans_sampled_out IS 'Spans the sampler did not export (observatory.sampling.*), since start (cumulative count); counted in spans_recorded, not in the dropped columns.';

-- Export batches -----------------------------------------------------------------------------------------------------
CREATE TABLE mcp_export_batches (
    agent_id    uuid        NOT NULL,
    batch_seq   bigint      NOT NULL,
    spans       integer     NOT NULL,
    exported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agent_id, batch_seq)
);
-- For the retention delete in mcp_drop_partitions_older_than (one index entry per batch, not per span).
CREATE INDEX mcp_export_batches_exported_at_idx ON mcp_export_batches (exported_at);

COMMENT ON TABLE mcp_export_batches IS 'One row per span batch written to mcp_spans, inserted in the same transaction as its COPY, so a replayed batch is detected and skipped.';
COMMENT ON COLUMN mcp_export_batches.agent_id IS 'Agent instance that formed the batch (mcp_agents.agent_id).';
COMMENT ON COLUMN mcp_export_batches.batch_seq IS 'Sequence number of the batch within its agent instance, increasing.';
COMMENT ON COLUMN mcp_export_batches.spans IS 'Number of spans (rows of mcp_spans) in the batch.';
COMMENT ON COLUMN mcp_export_batches.exported_at IS 'When the batch was committed (transaction start time).';

-- Partition maintenance ----------------------------------------------------------------------------------------------
CREATE FUNCTION mcp_ensure_partitions(days_ahead integer DEFAULT 3)
    RETURNS integer
    LANGUAGE plpgsql
AS $fn$
-- Creates the missing daily partitions mcp_spans_YYYYMMDD for today (UTC) .. today + days_ahead; returns how many it
-- created. Cheap when none is missing (catalog lookups only, no lock). Otherwise it takes the schema advisory lock and
-- an ACCESS EXCLUSIVE lock on mcp_spans until commit (run it in its own short transaction, with a lock_timeout), and:
--   * if the default partition holds no row of that day (the normal case), CREATE TABLE ... PARTITION OF;
--   * if it does, it moves those rows into the new partition: creates the table, moves the rows out of the default
--     partition (DELETE ... RETURNING into it) and attaches it, in the same transaction; a NOTICE says how many rows.
-- Tables resolve through search_path; partitions are created in the schema of mcp_spans.
DECLARE
    parent   regclass := to_regclass('mcp_spans');
    nsp      name;
    nsp_oid  oid;
    def      oid;
    today    date := (now() AT TIME ZONE 'UTC')::date;
    d        date;
    part     text;
    lo       text;
    hi       text;
    has_rows boolean;
    moved    bigint;
    locked   boolean := false;
    created  integer := 0;
BEGIN
    IF parent IS NULL THEN
        RAISE EXCEPTION 'mcp_ensure_partitions: no table mcp_spans in search_path (%)', current_setting('search_path');
    END IF;
    IF days_ahead IS NULL OR days_ahead < 0 THEN
        RAISE EXCEPTION 'mcp_ensure_partitions: days_ahead must be 0 or more, got %', days_ahead;
    END IF;
    SELECT c.relnamespace, n.nspname INTO nsp_oid, nsp
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = parent;

    FOR i IN 0 .. days_ahead LOOP
        d := today + i;
        part := 'mcp_spans_' || to_char(d, 'YYYYMMDD');
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_class WHERE relname = part AND relnamespace = nsp_oid);
        IF NOT locked THEN
            -- Serialize with other agents, then keep writers out while the default partition is checked.
            PERFORM pg_advisory_xact_lock(120273855537779);
            EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', parent);
            locked := true;
            -- Another session may have created it while we waited.
            CONTINUE WHEN EXISTS (SELECT 1 FROM pg_class WHERE relname = part AND relnamespace = nsp_oid);
        END IF;

        lo := to_char(d, 'YYYY-MM-DD') || ' 00:00:00+00';
        hi := to_char(d + 1, 'YYYY-MM-DD') || ' 00:00:00+00';
        SELECT partdefid INTO def FROM pg_partitioned_table WHERE partrelid = parent;
        has_rows := false;
        IF def IS NOT NULL AND def <> 0 THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE start_time >= %L AND start_time < %L)',
                           def::regclass, lo, hi)
               INTO has_rows;
        END IF;

        IF NOT has_rows THEN
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                           nsp, part, parent, lo, hi);
        ELSE
            EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE '
                           'INCLUDING COMPRESSION)', nsp, part, parent);
            EXECUTE format('WITH moved AS (DELETE FROM %s WHERE start_time >= %L AND start_time < %L RETURNING *) '
                           'INSERT INTO %I.%I SELECT * FROM moved', def::regclass, lo, hi, nsp, part);
            GET DIAGNOSTICS moved = ROW_COUNT;
            EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                           parent, nsp, part, lo, hi);
            RAISE NOTICE 'mcp_ensure_partitions: moved % rows of % (UTC) from the default partition into %',
                moved, d, part;
        END IF;
        EXECUTE format('COMMENT ON TABLE %I.%I IS %L', nsp, part,
                       'Daily partition of mcp_spans: spans with start_time from ' || lo || ' (inclusive) to ' || hi
                       || ' (exclusive).');
        created := created + 1;
    END LOOP;
    RETURN created;
END
$fn$;

CREATE FUNCTION mcp_drop_partitions_older_than(retention_days integer)
    RETURNS integer
    LANGUAGE plpgsql
    SET datestyle = 'ISO, YMD'
AS $fn$
-- Retention: drops the daily partitions mcp_spans_YYYYMMDD whose whole range ends at or before now() - retention_days,
-- deletes rows older than that from the default partition, from mcp_export_batches (exported_at) and from mcp_agents
-- (last_seen_at), and returns how many partitions it dropped. Takes the schema advisory lock; each DROP takes an
-- ACCESS EXCLUSIVE lock on mcp_spans until commit (run it in its own short transaction, with a lock_timeout).
-- retention_days must be 1 or more.
DECLARE
    parent  regclass := to_regclass('mcp_spans');
    cutoff  timestamptz;
    r       record;
    upper_b timestamptz;
    def     oid;
    deleted bigint;
    dropped integer := 0;
BEGIN
    IF parent IS NULL THEN
        RAISE EXCEPTION 'mcp_drop_partitions_older_than: no table mcp_spans in search_path (%)',
            current_setting('search_path');
    END IF;
    IF retention_days IS NULL OR retention_days < 1 THEN
        RAISE EXCEPTION 'mcp_drop_partitions_older_than: retention_days must be 1 or more, got %', retention_days;
    END IF;
    cutoff := now() - make_interval(days => retention_days);
    PERFORM pg_advisory_xact_lock(120273855537779);

    FOR r IN
        SELECT c.oid::regclass AS part, pg_get_expr(c.relpartbound, c.oid) AS bound
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = parent AND c.relname ~ '^mcp_spans_[0-9]{8}$'
         ORDER BY c.relname
    LOOP
        -- bound is "FOR VALUES FROM ('...') TO ('...')", timestamps with their UTC offset (ISO datestyle, set above).
        upper_b := substring(r.bound FROM $re$ TO \('([^']*)'\)$re$)::timestamptz;
        IF upper_b IS NOT NULL AND upper_b <= cutoff THEN
            EXECUTE format('DROP TABLE %s', r.part);
            dropped := dropped + 1;
        END IF;
    END LOOP;

    SELECT partdefid INTO def FROM pg_partitioned_table WHERE partrelid = parent;
    IF def IS NOT NULL AND def <> 0 THEN
        EXECUTE format('DELETE FROM %s WHERE start_time < %L', def::regclass, cutoff);
        GET DIAGNOSTICS deleted = ROW_COUNT;
        IF deleted > 0 THEN
            RAISE NOTICE 'mcp_drop_partitions_older_than: deleted % rows older than % from the default partition',
                deleted, cutoff;
        END IF;
    END IF;
    DELETE FROM mcp_export_batches WHERE exported_at < cutoff;
    DELETE FROM mcp_agents WHERE last_seen_at < cutoff;
    RETURN dropped;
END
$fn$;

COMMENT ON FUNCTION mcp_ensure_partitions(integer) IS 'Creates the missing daily partitions of mcp_spans for today (UTC) through today + days_ahead, moving any rows of those days out of the default partition; returns the number of partitions created.';
COMMENT ON FUNCTION mcp_drop_partitions_older_than(integer) IS 'Drops the daily partitions of mcp_spans that end at or before now() - retention_days and deletes older rows from mcp_spans_default, mcp_export_batches and mcp_agents; returns the number of partitions dropped.';

-- Hourly tool statistics ---------------------------------------------------------------------------------------------
CREATE VIEW mcp_tool_stats_hourly AS
SELECT service,
       tool_name,
       date_trunc('hour', start_time, 'UTC')                       AS hour,
       count(*)                                                    AS calls,
       count(*) FILTER (WHERE status = 'error')                    AS errors,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms)    AS p50_ms,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)   AS p95_ms,
       max(duration_ms)                                            AS max_ms,
       sum(prompt_tokens)::bigint                                  AS prompt_tokens,
       sum(completion_tokens)::bigint                              AS completion_tokens,
       sum(cost_usd)                                               AS cost_usd
  FROM mcp_spans
 WHERE mcp_method = 'tools/call' AND kind = 'server'
 GROUP BY service, tool_name, date_trunc('hour', start_time, 'UTC');

COMMENT ON VIEW mcp_tool_stats_hourly IS 'Server-side tools/call statistics per service, tool and UTC hour, over all retained spans (filter on hour does not prune partitions; for a window, query mcp_spans with a start_time range).';
COMMENT ON COLUMN mcp_tool_stats_hourly.service IS 'Service name.';
COMMENT ON COLUMN mcp_tool_stats_hourly.tool_name IS 'Tool called; null for calls whose tool name was not known.';
COMMENT ON COLUMN mcp_tool_stats_hourly.hour IS 'Start of the UTC hour the calls started in.';
COMMENT ON COLUMN mcp_tool_stats_hourly.calls IS 'Number of tool calls (count).';
COMMENT ON COLUMN mcp_tool_stats_hourly.errors IS 'Number of tool calls with status error (count).';
COMMENT ON COLUMN mcp_tool_stats_hourly.p50_ms IS 'Median duration in milliseconds (interpolated).';
COMMENT ON COLUMN mcp_tool_stats_hourly.p95_ms IS '95th-percentile duration in milliseconds (interpolated).';
COMMENT ON COLUMN mcp_tool_stats_hourly.max_ms IS 'Longest duration in milliseconds.';
COMMENT ON COLUMN mcp_tool_stats_hourly.prompt_tokens IS 'Sum of prompt tokens (tokens; nulls ignored, null when none known).';
COMMENT ON COLUMN mcp_tool_stats_hourly.completion_tokens IS 'Sum of completion tokens (tokens; nulls ignored, null when none known).';
COMMENT ON COLUMN mcp_tool_stats_hourly.cost_usd IS 'Sum of estimated cost in US dollars (nulls ignored, null when none known).';

-- >>> V3 body: the same text in postgres.sql >>>

-- Alerts -------------------------------------------------------------------------------------------------------------
CREATE TABLE mcp_alerts (
    alert_id       uuid             PRIMARY KEY,
    agent_id       uuid             NOT NULL,
    fired_at       timestamptz      NOT NULL,
    resolved_at    timestamptz,
    value          double precision NOT NULL,
    threshold      double precision NOT NULL,
    resolved_value double precision,
    service        text             NOT NULL,
    alert_name     text             NOT NULL,
    severity       text             NOT NULL CONSTRAINT mcp_alerts_severity_check
                                             CHECK (severity IN ('info', 'warning', 'critical')),
    expr           text             NOT NULL,
    rate_window    text             NOT NULL
);
CREATE INDEX mcp_alerts_fired_at_idx ON mcp_alerts (fired_at);
CREATE INDEX mcp_alerts_agent_active_idx ON mcp_alerts (agent_id) WHERE resolved_at IS NULL;

COMMENT ON TABLE mcp_alerts IS 'One row per alert that fired (observatory.alert.<name>.* rules judged by an agent over its rates), completed when it resolves.';
COMMENT ON COLUMN mcp_alerts.alert_id IS 'Random id of this firing, given by the agent (the resolution updates the same row).';
COMMENT ON COLUMN mcp_alerts.agent_id IS 'The agent instance that judged it (mcp_agents.agent_id).';
COMMENT ON COLUMN mcp_alerts.fired_at IS 'When the alert fired (the agent''s clock).';
COMMENT ON COLUMN mcp_alerts.resolved_at IS 'When it resolved (the agent''s clock); null while it fires, or when its agent stopped first.';
COMMENT ON COLUMN mcp_alerts.value IS 'The rate''s value when the alert fired (unit of the rate: a fraction, milliseconds, USD, calls per second or a count).';
COMMENT ON COLUMN mcp_alerts.threshold IS 'The number the rule compares the rate with.';
COMMENT ON COLUMN mcp_alerts.resolved_value IS 'The rate''s value when it resolved; null while it fires, or when too few calls were left to judge it.';
COMMENT ON COLUMN mcp_alerts.service IS 'Service name of the agent (observatory.service.name).';
COMMENT ON COLUMN mcp_alerts.alert_name IS 'The rule''s name, the <name> of observatory.alert.<name>.expr.';
COMMENT ON COLUMN mcp_alerts.severity IS 'info, warning or critical.';
COMMENT ON COLUMN mcp_alerts.expr IS 'The rule''s condition, e.g. error_rate > 0.05 or p95_ms{tool=search} > 2000.';
COMMENT ON COLUMN mcp_alerts.rate_window IS 'The window the rate is over: 1m, 5m or 1h.';

CREATE FUNCTION mcp_drop_alerts_older_than(retention_days integer)
    RETURNS bigint
    LANGUAGE sql
AS $fn$
    -- Alerts that still fire are kept whatever their age: their agent may resolve them yet.
    WITH gone AS (
        DELETE FROM mcp_alerts
         WHERE resolved_at IS NOT NULL AND fired_at < now() - make_interval(days => greatest(retention_days, 1))
        RETURNING 1)
    SELECT count(*) FROM gone;
$fn$;

COMMENT ON FUNCTION mcp_drop_alerts_older_than(integer) IS 'Deletes the resolved alerts of mcp_alerts that fired before now() - retention_days (at least 1); returns how many.';

-- Agent health -------------------------------------------------------------------------------------------------------
CREATE VIEW mcp_agent_health AS
SELECT a.agent_id,
       a.service,
       a.host,
       a.pid,
       a.agent_version,
       a.started_at,
       a.last_seen_at,
       coalesce(a.heartbeat_interval, interval '30 seconds')                                  AS heartbeat_interval,
       now() - a.last_seen_at                                                                 AS seen_ago,
       now() - a.last_seen_at > 3 * coalesce(a.heartbeat_interval, interval '30 seconds')    AS stale,
       a.queue_depth,
       a.spans_recorded,
       a.spans_exported,
       a.spans_dropped_queue_full,
       a.spans_dropped_export_failed,
       a.export_failures,
       a.spool_bytes,
       (SELECT count(*) FROM mcp_alerts al WHERE al.agent_id = a.agent_id AND al.resolved_at IS NULL) AS active_alerts
  FROM mcp_agents a;

COMMENT ON VIEW mcp_agent_health IS 'Each agent''s latest heartbeat: whether it is stale (no heartbeat for three of its intervals: stopped, hung, or cut off from the database), its queue, drops, export failures and alerts that fire.';
COMMENT ON COLUMN mcp_agent_health.agent_id IS 'Agent instance (mcp_agents.agent_id).';
COMMENT ON COLUMN mcp_agent_health.service IS 'Service name.';
COMMENT ON COLUMN mcp_agent_health.host IS 'Host name of the machine the JVM runs on.';
COMMENT ON COLUMN mcp_agent_health.pid IS 'Operating-system process id of the JVM.';
COMMENT ON COLUMN mcp_agent_health.agent_version IS 'MCP Observatory agent version.';
COMMENT ON COLUMN mcp_agent_health.started_at IS 'When the agent started.';
COMMENT ON COLUMN mcp_agent_health.last_seen_at IS 'Time of the latest heartbeat (database clock).';
COMMENT ON COLUMN mcp_agent_health.heartbeat_interval IS 'The agent''s heartbeat interval (30 seconds when the agent did not say).';
COMMENT ON COLUMN mcp_agent_health.seen_ago IS 'Time since the latest heartbeat.';
COMMENT ON COLUMN mcp_agent_health.stale IS 'True when the latest heartbeat is older than three heartbeat intervals.';
COMMENT ON COLUMN mcp_agent_health.queue_depth IS 'Spans waiting in the in-memory queue at the latest heartbeat (count).';
COMMENT ON COLUMN mcp_agent_health.spans_recorded IS 'Spans recorded since the agent started (count).';
COMMENT ON COLUMN mcp_agent_health.spans_exported IS 'Spans exported since the agent started (count).';
COMMENT ON COLUMN mcp_agent_health.spans_dropped_queue_full IS 'Spans dropped because the queue was full, since start (count).';
COMMENT ON COLUMN mcp_agent_health.spans_dropped_export_failed IS 'Spans dropped because their export failed, since start (count).';
COMMENT ON COLUMN mcp_agent_health.export_failures IS 'Failed export attempts since start (count).';
COMMENT ON COLUMN mcp_agent_health.spool_bytes IS 'Size of the on-disk spool at the latest heartbeat, in bytes.';
COMMENT ON COLUMN mcp_agent_health.active_alerts IS 'Alerts of this agent that fire (mcp_alerts rows without resolved_at; count).';

-- <<< V3 body <<<

SELECT mcp_ensure_partitions(3);

INSERT INTO mcp_schema_version (version, description) VALUES (1, 'spans_agents'), (2, 'drop_unmeasured_sizes'),
    (3, 'alerts_agent_health'), (4, 'content_capture_sampling');

COMMIT;
