-- MCP Observatory schema migration V4: mcp_spans gains tool_arguments and tool_result, the captured content of a call;
-- mcp_agents gains spans_sampled_out, the spans its sampler did not export.
--
-- Filled only when an agent runs with observatory.capture.content=true (off by default): what a tool was called with
-- and what it returned (and the request and result text of prompts/get, resources/read and sampling/createMessage), as
-- the OpenTelemetry MCP conventions' opt-in gen_ai.tool.call.arguments and gen_ai.tool.call.result, masked by the agent
-- before they leave it and cut at observatory.capture.max-chars. Type text, not jsonb: a cut value is no longer JSON, and
-- a result is often plain text.
--
-- Protocol: as V1 (see its header and schema/README.md): one DO statement under the schema lock, a no-op when version 4
-- is recorded. Adding nullable columns without a default, or with a constant default, only changes the catalog (no table
-- rewrite). Agents that do not know these columns keep working: they COPY and upsert with explicit column lists.

DO $migration$
BEGIN
    PERFORM pg_advisory_xact_lock(120273855537779);  -- 0x6d63706f6273, "mcpobs" in ASCII

    IF EXISTS (SELECT 1 FROM mcp_schema_version WHERE version = 4) THEN
        RAISE NOTICE 'mcp_observatory schema V4 already applied, nothing to do';
        RETURN;
    END IF;

    ALTER TABLE mcp_spans ADD COLUMN IF NOT EXISTS tool_arguments text, ADD COLUMN IF NOT EXISTS tool_result text;
    ALTER TABLE mcp_agents ADD COLUMN IF NOT EXISTS spans_sampled_out bigint NOT NULL DEFAULT 0;
    COMMENT ON COLUMN mcp_agents.spans_sampled_out IS 'Spans the sampler did not export (observatory.sampling.*), since start (cumulative count); counted in spans_recorded, not in the dropped columns.';
    COMMENT ON COLUMN mcp_spans.tool_arguments IS 'Captured request content (a tool call''s arguments as JSON; the messages of a sampling/createMessage), masked and cut at observatory.capture.max-chars; null unless observatory.capture.content=true.';
    COMMENT ON COLUMN mcp_spans.tool_result IS 'Captured result content (a tool call''s result text or JSON; resources/read and prompts/get text; a sampling result), masked and cut; null unless observatory.capture.content=true.';

    INSERT INTO mcp_schema_version (version, description) VALUES (4, 'content_capture_sampling');
END
$migration$;
