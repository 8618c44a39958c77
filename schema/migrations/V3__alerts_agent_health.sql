-- MCP Observatory schema migration V3: alerts (mcp_alerts), each agent's heartbeat interval, and the view
-- mcp_agent_health.
--
-- mcp_alerts: one row per alert that fired, written by the agent that judged it (inserted when it fires, completed with
-- resolved_at when it resolves). mcp_agents.heartbeat_interval: how often the agent refreshes its row, so that
-- mcp_agent_health can tell a stale agent (no heartbeat for three intervals); agents older than V3 leave it null, and
-- the view assumes their default, 30 s. mcp_drop_alerts_older_than: retention of resolved alerts, called by the agents
-- after mcp_drop_partitions_older_than.
--
-- Protocol: as V1 (see its header and schema/README.md): one DO statement under the schema lock, a no-op when version 3
-- is recorded. Adding a nullable column without a default only changes the catalog (no table rewrite). Agents of
-- earlier versions keep working against this schema: they do not name the new column.

DO $migration$
BEGIN
    PERFORM pg_advisory_xact_lock(120273855537779);  -- 0x6d63706f6273, "mcpobs" in ASCII

    IF EXISTS (SELECT 1 FROM mcp_schema_version WHERE version = 3) THEN
        RAISE NOTICE 'mcp_observatory schema V3 already applied, nothing to do';
        RETURN;
    END IF;

    ALTER TABLE mcp_agents ADD COLUMN heartbeat_interval interval;
    COMMENT ON COLUMN mcp_agents.heartbeat_interval IS 'How often the agent refreshes this row (observatory.heartbeat.interval); null for agents older than schema V3, taken as 30 seconds.';

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

    INSERT INTO mcp_schema_version (version, description) VALUES (3, 'alerts_agent_health');
END
$migration$;
