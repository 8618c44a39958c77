package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The foundation scenario on each supported SDK generation and the two main transports: every request becomes exactly
 * one server span, classified the way the OpenTelemetry MCP conventions say.
 */
class ServerSpansTest {

    /** The {@code transport} value of the spans of a test server started in each of its modes. */
    static final Map<String, String> TRANSPORT_VALUES = Map.of("stdio", "stdio", "streamable", "streamable_http",
            "sse", "sse", "stateless", "stateless_http", "webflux-sse", "sse", "webflux-streamable", "streamable_http",
            "webmvc-sse", "sse", "webmvc-streamable", "streamable_http", "webflux-stateless", "stateless_http",
            "webmvc-stateless", "stateless_http");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "SDK {0} over {1}")
    @CsvSource({
        "2.1.0, stdio", "2.1.0, streamable",
        "1.1.5, stdio", "1.1.5, streamable",
        "0.14.1, stdio", "0.14.1, streamable",
        "2.1.0, sse", "2.1.0, stateless"})
    void everyRequestIsOneClassifiedSpan(String sdk, String transport) throws Exception {
        assertScenarioSpans(Scenario.run(dir, sdk, transport), sdk, transport);
    }

    /** What {@link Scenario#run} must leave for SDK {@code sdk} over {@code transport}; also the release matrix's check. */
    static void assertScenarioSpans(Scenario run, String sdk, String transport) throws Exception {
        Spans spans = run.spans();
        String expectedTransport = TRANSPORT_VALUES.get(transport);

        Map<String, Long> counts = spans.countsByMethod();
        assertEquals(7L, counts.get("tools/call"), "client said:\n" + run.clientStdout + "\nspans:\n" + spans);
        assertEquals(1L, counts.get("tools/list"), counts.toString());
        assertEquals(1L, counts.get("resources/read"), counts.toString());
        assertEquals(1L, counts.get("prompts/get"), counts.toString());
        assertEquals(1L, counts.get("ping"), counts.toString());
        assertEquals(1L, counts.get("initialize"), counts.toString());
        assertEquals(1L, counts.get("notifications/initialized"), counts.toString());
        assertEquals(13, spans.all.size(), spans.toString());

        Set<String> traceIds = new HashSet<>();
        for (JsonNode span : spans.all) {
            assertEquals("server", Spans.text(span, "kind"));
            assertEquals("it-server-" + sdk, Spans.text(span, "service"));
            assertEquals(expectedTransport, Spans.text(span, "transport"), span.toString());
            assertTrue(Spans.text(span, "trace_id").matches("[0-9a-f]{32}"), span.toString());
            assertTrue(Spans.text(span, "span_id").matches("[0-9a-f]{16}"), span.toString());
            assertNull(Spans.text(span, "parent_span_id"));
            assertTrue(span.get("duration_ms").asDouble() >= 0);
            assertNotNull(Spans.text(span, "start_time"));
            assertNotNull(Spans.text(span, "end_time"));
            traceIds.add(Spans.text(span, "trace_id"));
            boolean isRequest = !Spans.text(span, "mcp_method").startsWith("notifications/");
            boolean idVisible = isRequest && !("initialize".equals(Spans.text(span, "mcp_method"))
                    && expectedTransport.equals("streamable_http"));
            if (idVisible) {
                assertNotNull(Spans.text(span, "jsonrpc_request_id"), span.toString());
            }
            if (!expectedTransport.equals("stateless_http")) {
                assertNotNull(Spans.text(span, "session_id"), span.toString());
                assertEquals("it-client", Spans.text(span, "client_name"), span.toString());
                assertEquals("2.0.0", Spans.text(span, "client_version"), span.toString());
                assertNotNull(Spans.text(span, "protocol_version"), span.toString());
            }
        }
        assertEquals(spans.all.size(), traceIds.size(), "each request is its own trace");

        assertOk(spans.tool("fast"), "tools/call fast");
        JsonNode slow = assertOk(spans.tool("slow"), "tools/call slow");
        assertTrue(slow.get("duration_ms").asDouble() >= 200.0, slow.toString());
        assertError(spans.tool("throws"), "-32603", "boom");
        assertError(spans.tool("is_error"), "tool_error", "tool said no");
        // the code the server answered, as the client saw it: -32602 (invalid params) on recent releases, -32603
        // (internal error) on older ones such as 0.11.0
        java.util.regex.Matcher unknownTool = java.util.regex.Pattern
                .compile("STEP call:no_such_tool ERROR .*\\[code=(-326\\d\\d)]").matcher(run.clientStdout);
        assertTrue(unknownTool.find(), run.clientStdout);
        assertError(spans.tool("no_such_tool"), unknownTool.group(1), null);
        List<JsonNode> adds = spans.where(s -> "add".equals(Spans.text(s, "tool_name")));
        assertEquals(2, adds.size());
        assertEquals(1, adds.stream().filter(s -> "tool_error".equals(Spans.text(s, "error_type"))).count(),
                "invalid arguments are a tool error: " + adds);
        assertEquals(1, adds.stream().filter(s -> "ok".equals(Spans.text(s, "status"))).count(), adds.toString());

        JsonNode prompt = spans.method("prompts/get").get(0);
        assertEquals("prompts/get greeting", Spans.text(prompt, "name"));
        assertEquals("greeting", Spans.text(prompt, "prompt_name"));
        assertEquals("demo://readme", Spans.text(spans.method("resources/read").get(0), "resource_uri"));

        if (transport.equals("stdio")) {
            return; // a stdio server's stderr is relayed by the client, which stops reading before the server exits
        }
        // the exit summary, printed on stderr at JVM exit
        assertTrue(run.serverStderr.contains("summary for service 'it-server-" + sdk + "': 13 spans recorded, 13 exported"),
                run.serverStderr);
        assertTrue(run.serverStderr.matches("(?s).*tool\\s+slow\\s+1\\s+0\\s.*"), run.serverStderr);
        assertTrue(run.serverStderr.matches("(?s).*method\\s+tools/call\\s+7\\s+4\\s.*"), run.serverStderr);
    }

    private static JsonNode assertOk(JsonNode span, String name) {
        assertEquals(name, Spans.text(span, "name"), span.toString());
        assertEquals("ok", Spans.text(span, "status"), span.toString());
        assertNull(Spans.text(span, "error_type"), span.toString());
        return span;
    }

    private static void assertError(JsonNode span, String errorType, String messagePart) {
        assertEquals("error", Spans.text(span, "status"), span.toString());
        assertEquals(errorType, Spans.text(span, "error_type"), span.toString());
        if (messagePart != null) {
            assertTrue(String.valueOf(Spans.text(span, "error_message")).contains(messagePart), span.toString());
        }
    }
}
