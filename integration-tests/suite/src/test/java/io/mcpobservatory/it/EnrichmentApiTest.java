package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpobservatory.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enrichment API ({@code mcp-observatory-api}) called by the test server's tools ({@code EnrichedTools}: a sync tool
 * and an async one), on SDK 2.1.0: what the tools say lands on their {@code tools/call} spans, in the JSON lines (over
 * stdio) and in {@code mcp_spans}' columns and {@code attributes} jsonb (over streamable HTTP); without the agent the tools
 * run as no-ops; and an agent attached to the running server later is found by the API, already initialized without it.
 */
class EnrichmentApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * The sync tool's attributes: what it set in its handler (bad values dropped, the long text cut), what its wrapped
     * task and its handle used on another thread set; not what {@code current()} on a thread of its own set.
     */
    private static ObjectNode syncAttributes() throws Exception {
        ObjectNode expected = (ObjectNode) JSON.readTree("{\"customer_tier\":\"gold\",\"items\":3,\"ratio\":0.25,"
                + "\"cached\":false,\"mcp.observatory.confidence_gate.threshold\":0.7,"
                + "\"mcp.observatory.confidence_gate.blocked\":true,\"mcp.observatory.high_risk_path\":true,"
                + "\"mcp.observatory.prompt_diff_score\":0.12,\"mcp.observatory.shadow_agreement\":false,"
                + "\"mcp.observatory.golden_scenario.passed\":false,\"wrapped_thread\":true,\"bound_handle\":true}");
        expected.put("note", "n".repeat(2048));
        return expected;
    }

    /** The async tool: its handler's body runs with the span current, the Mono it returns does not. */
    private static JsonNode asyncAttributes() throws Exception {
        return JSON.readTree("{\"handler_body\":true,\"bound_handle\":true}");
    }

    @Test
    void syncAndAsyncToolsValuesAreInTheJsonLines() throws Exception {
        Scenario run = Scenario.runEnrichment(dir, "2.1.0", "stdio");
        assertTrue(run.clientStdout.contains("STEP call:enriched OK isError=false text=active=true recording=true"),
                run.clientStdout);
        assertTrue(run.clientStdout.contains("STEP call:enriched_async OK isError=false text=async active=true "
                + "recording=true"), run.clientStdout);
        Spans spans = run.spans();

        JsonNode sync = spans.tool("enriched");
        assertEquals(2, sync.get("retries").asInt(), sync.toString());
        assertTrue(sync.get("fallback_used").asBoolean(), sync.toString());
        assertEquals(0.64, sync.get("confidence").asDouble(), sync.toString());
        assertEquals(syncAttributes(), sync.get("attributes"));

        JsonNode async = spans.tool("enriched_async");
        assertEquals(1, async.get("retries").asInt(), "set through the handle, inside the Mono: " + async);
        assertTrue(async.get("fallback_used").isNull(), async.toString());
        assertTrue(async.get("confidence").isNull(), async.toString());
        assertEquals(asyncAttributes(), async.get("attributes"));

        List<JsonNode> others = spans.where(s -> !String.valueOf(Spans.text(s, "tool_name")).startsWith("enriched"));
        assertEquals(13, others.size(), spans.toString());
        for (JsonNode span : others) {
            for (String field : List.of("retries", "fallback_used", "confidence", "attributes")) {
                JsonNode value = span.get(field);
                if (field.equals("attributes") && "tools/list".equals(Spans.text(span, "mcp_method"))) {
                    // the agent's own: the names of the tools listed, nothing of the application's
                    assertEquals(List.of("listed_tools"), List.copyOf(iterable(value.fieldNames())), span.toString());
                    continue;
                }
                assertTrue(value.isNull(), field + " of a span nobody enriched: " + span);
            }
        }
    }

    @Test
    void valuesAreColumnsAndJsonbInMcpSpans() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        Scenario run = Scenario.runEnrichment(dir, "2.1.0", "streamable", "-Dobservatory.jdbc.url=" + url);
        assertTrue(run.serverStderr.contains("15 spans recorded, 15 exported to postgres"), run.serverStderr);
        try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement()) {
            try (ResultSet rs = sql.executeQuery("SELECT retries, fallback_used, confidence, attributes::text "
                    + "FROM mcp_spans WHERE tool_name = 'enriched'")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1));
                assertEquals(Boolean.TRUE, rs.getObject(2));
                assertEquals(0.64, rs.getDouble(3));
                assertEquals(syncAttributes(), JSON.readTree(rs.getString(4)));
                assertFalse(rs.next());
            }
            try (ResultSet rs = sql.executeQuery("SELECT retries, fallback_used, confidence, attributes::text "
                    + "FROM mcp_spans WHERE tool_name = 'enriched_async'")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
                assertEquals(null, rs.getObject(2));
                assertEquals(null, rs.getObject(3));
                assertEquals(asyncAttributes(), JSON.readTree(rs.getString(4)));
            }
            // what the decision rates will be computed from: the flags are typed jsonb, queryable as they are
            try (ResultSet rs = sql.executeQuery("SELECT count(*), "
                    + "count(*) FILTER (WHERE (attributes->>'mcp.observatory.confidence_gate.blocked')::boolean), "
                    + "count(*) FILTER (WHERE (attributes->'mcp.observatory.prompt_diff_score')::float8 > 0.1), "
                    + "count(*) FILTER (WHERE retries > 0), count(*) FILTER (WHERE fallback_used) "
                    + "FROM mcp_spans WHERE mcp_method = 'tools/call'")) {
                rs.next();
                assertEquals(List.of(9L, 1L, 1L, 2L, 1L),
                        List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
        }
    }

    @Test
    void withoutTheAgentTheToolsRunAndAnAgentAttachedLaterIsFound() throws Exception {
        Path spanFile = dir.resolve("spans/spans.jsonl");
        try (AttachTest.Server server = AttachTest.Server.start(dir, Apps.java(), "streamable",
                List.of("-Dit.server.enrichment=true"))) {
            DrivenClient client = server.client;
            String sync = client.send("call enriched");
            assertTrue(sync.endsWith("isError=false text=active=false recording=false"), sync);
            String async = client.send("call enriched_async");
            assertTrue(async.endsWith("isError=false text=async active=false recording=false"), async);

            Cli attach = Cli.run(dir, "attach", Long.toString(server.pid), "--set",
                    "observatory.jsonl.path=" + spanFile);
            assertEquals(0, attach.exitCode, attach.toString());
            // the API, initialized while there was no agent, looks again within a few seconds
            String answer = "";
            for (int i = 0; i < 60 && !answer.endsWith("active=true recording=true"); i++) {
                Thread.sleep(250);
                answer = client.send("call enriched");
            }
            assertTrue(answer.endsWith("active=true recording=true"), answer);
            client.quit();
            server.stop();
        }
        List<JsonNode> enriched = Spans.read(spanFile).where(s -> "enriched".equals(Spans.text(s, "tool_name")));
        JsonNode last = enriched.get(enriched.size() - 1);
        assertEquals(2, last.get("retries").asInt(), last.toString());
        assertEquals(syncAttributes(), last.get("attributes"));
        for (JsonNode before : enriched.subList(0, enriched.size() - 1)) {
            assertTrue(before.get("attributes").isNull(), "recorded, but before the API found the agent: " + before);
        }
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
