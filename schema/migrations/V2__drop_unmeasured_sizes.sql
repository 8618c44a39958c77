-- MCP Observatory schema migration V2: mcp_spans loses request_bytes and response_bytes.
--
-- No agent ever filled them (the size of a JSON-RPC message is not cheap to know on the request path of every transport),
-- so they were columns that were always null. The span's exported fields are defined once, in the agent
-- (core/src/main/java/io/mcpobservatory/export/SpanSchema.java), and a test checks that the columns the migrations
-- create are exactly those; a column comes back with a migration when an agent measures it.
--
-- Protocol: as V1 (see its header and schema/README.md): one DO statement under the schema lock, a no-op when version 2
-- is recorded. Dropping a column only marks it dropped in the catalog (no table rewrite): quick on a large table, but it
-- takes an ACCESS EXCLUSIVE lock on mcp_spans and its partitions for that moment. Agents of version 0.1.0 that still
-- write these columns fail their COPY after this migration (their spans are spooled and retried): upgrade agents that
-- share a schema together.

DO $migration$
BEGIN
    PERFORM pg_advisory_xact_lock(120273855537779);  -- 0x6d63706f6273, "mcpobs" in ASCII

    IF EXISTS (SELECT 1 FROM mcp_schema_version WHERE version = 2) THEN
        RAISE NOTICE 'mcp_observatory schema V2 already applied, nothing to do';
        RETURN;
    END IF;

    ALTER TABLE mcp_spans DROP COLUMN IF EXISTS request_bytes, DROP COLUMN IF EXISTS response_bytes;

    INSERT INTO mcp_schema_version (version, description) VALUES (2, 'drop_unmeasured_sizes');
END
$migration$;
