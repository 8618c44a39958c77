package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpobservatory.it.app.TestClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client spans and one trace from client to server: the test client and the test server each run in their own JVM with
 * the agent, each writing its own JSON lines. Every request the server handles joins the trace of the client span that
 * sent it (W3C traceparent in params._meta), whichever client API sent it.
 */
class ClientSpansTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "sse", "streamable"})
    void everyServerSpanHasTheClientSpanAsParent(String transport) throws Exception {
        Scenario run = Scenario.runTraced(dir, "2.1.0", transport);
        List<JsonNode> client = run.clientSpans().all;
        List<JsonNode> server = run.spans().all;

        Map<String, JsonNode> clientById = new HashMap<>();
        for (JsonNode span : client) {
            assertEquals("client", Spans.text(span, "kind"));
            assertEquals(Map.of("stdio", "stdio", "sse", "sse", "streamable", "streamable_http").get(transport),
                    Spans.text(span, "transport"));
            clientById.put(Spans.text(span, "span_id"), span);
        }
        int requests = 0;
        for (JsonNode span : server) {
            if (Spans.text(span, "mcp_method").startsWith("notifications/")) {
                assertNull(Spans.text(span, "parent_span_id"), "a notification is not a request: no client span");
                continue;
            }
            requests++;
            JsonNode parent = clientById.get(Spans.text(span, "parent_span_id"));
            assertNotNull(parent, "server span " + span + " has no client span as parent");
            assertEquals(Spans.text(parent, "trace_id"), Spans.text(span, "trace_id"));
            assertEquals(Spans.text(parent, "name"), Spans.text(span, "name"), "same request on both sides");
            if (Spans.text(span, "jsonrpc_request_id") != null) { // null for initialize on streamable HTTP
                assertEquals(Spans.text(span, "jsonrpc_request_id"), Spans.text(parent, "jsonrpc_request_id"));
            }
            assertNull(Spans.text(parent, "parent_span_id"), "the client span is the trace's root");
        }
        assertEquals(client.size(), requests, "one client span per request the server handled, no duplicates");

        Map<String, String> errors = new HashMap<>();
        for (JsonNode span : client) {
            errors.put(Spans.text(span, "name"), String.valueOf(Spans.text(span, "error_type")));
        }
        assertEquals("-32603", errors.get("tools/call throws"));
        assertEquals("-32602", errors.get("tools/call no_such_tool"));
        assertEquals("tool_error", errors.get("tools/call is_error"));
        assertEquals("null", errors.get("tools/call fast"));

        JsonNode ping = client.stream().filter(s -> "ping".equals(Spans.text(s, "name"))).findFirst().orElseThrow();
        assertEquals("it-server", ping.get("attributes").get("server_name").asText(), "learned at initialize");
        assertEquals("1.0.0", ping.get("attributes").get("server_version").asText());
    }

    /**
     * A chain: the client calls server A's relay tool (A on streamable or stateless HTTP), whose code calls server B's
     * fast tool through the SDK client; the three JVMs, each with the agent, give one trace: client span -> A's tools/call relay -> A's client spans (its
     * initialize and tools/call to B) -> B's server spans.
     */
    @ParameterizedTest
    @ValueSource(strings = {"streamable", "stateless", "stateless-shared-context"})
    void clientToServerAToServerBIsOneTrace(String cell) throws Exception {
        // stateless-shared-context: A keeps the SDK's default context extractor, one empty context for every request,
        // which the agent never keys a span by: the relay's span reaches its worker thread through the Reactor context
        String transportOfA = cell.startsWith("stateless") ? "stateless" : cell;
        String classPath = Apps.classPath("2.1.0");
        Path spansB = dir.resolve("b/spans.jsonl");
        Path spansA = dir.resolve("a/spans.jsonl");
        Path spansClient = dir.resolve("c/spans.jsonl");
        try (ChildJvm b = ChildJvm.start(dir, "server-b", Apps.javaCommand(true, options(spansB, "b"), classPath,
                Apps.SERVER, "streamable", "0"))) {
            String portB = port(b);
            List<String> optionsA = new java.util.ArrayList<>(options(spansA, "a"));
            optionsA.add("-Dit.server.downstream=http://127.0.0.1:" + portB);
            optionsA.add("-Dit.server.sharedContext=" + cell.endsWith("shared-context"));
            try (ChildJvm a = ChildJvm.start(dir, "server-a", Apps.javaCommand(true, optionsA, classPath, Apps.SERVER,
                    transportOfA, "0"))) {
                String portA = port(a);
                List<String> clientOptions = new java.util.ArrayList<>(options(spansClient, "c"));
                clientOptions.add("-Dit.client.relay=true");
                try (ChildJvm client = ChildJvm.start(dir, "client", Apps.javaCommand(true, clientOptions, classPath,
                        Apps.CLIENT, transportOfA, "http://127.0.0.1:" + portA))) {
                    assertEquals(0, client.awaitExit(Scenario.TIMEOUT), client.stdout() + client.stderr());
                    assertTrue(client.stdout().contains("STEP call:relay OK isError=false text=relay:fast:relayed"),
                            client.stdout());
                }
                a.stop(Scenario.TIMEOUT);
            }
            b.stop(Scenario.TIMEOUT);
        }
        JsonNode root = only(Spans.read(spansClient).where(s -> "tools/call relay".equals(Spans.text(s, "name"))));
        String trace = Spans.text(root, "trace_id");
        JsonNode relay = only(Spans.read(spansA).where(s -> "tools/call relay".equals(Spans.text(s, "name"))
                && "server".equals(Spans.text(s, "kind"))));
        assertEquals(trace, Spans.text(relay, "trace_id"));
        assertEquals(Spans.text(root, "span_id"), Spans.text(relay, "parent_span_id"));

        List<JsonNode> outgoing = Spans.read(spansA).where(s -> "client".equals(Spans.text(s, "kind")));
        Map<String, JsonNode> outgoingById = new HashMap<>();
        for (JsonNode span : outgoing) {
            assertEquals(trace, Spans.text(span, "trace_id"), "A's requests to B are inside the relay call");
            assertEquals(Spans.text(relay, "span_id"), Spans.text(span, "parent_span_id"));
            outgoingById.put(Spans.text(span, "span_id"), span);
        }
        List<JsonNode> atB = Spans.read(spansB).where(s -> !Spans.text(s, "mcp_method").startsWith("notifications/"));
        assertTrue(atB.stream().anyMatch(s -> "tools/call fast".equals(Spans.text(s, "name"))), atB.toString());
        for (JsonNode span : atB) {
            assertEquals(trace, Spans.text(span, "trace_id"), "B's spans are in the client's trace: " + span);
            JsonNode parent = outgoingById.get(Spans.text(span, "parent_span_id"));
            assertNotNull(parent, "B's span has A's client span as parent: " + span);
            assertEquals(Spans.text(parent, "name"), Spans.text(span, "name"));
        }
        assertEquals(outgoing.size(), atB.size(), "initialize and tools/call fast, once each on both sides");
    }

    /**
     * Over HTTP, a request without {@code _meta.traceparent} joins the trace of its {@code traceparent} header; when both
     * are there, {@code _meta} wins. Raw JSON-RPC POSTs to a stateless server, as a non-SDK client would send them.
     */
    @Test
    void httpTraceparentHeaderIsTheFallback() throws Exception {
        Path spans = dir.resolve("s/spans.jsonl");
        String metaTrace = "00-11111111111111111111111111111111-2222222222222222-01";
        try (ChildJvm server = ChildJvm.start(dir, "server", Apps.javaCommand(true, options(spans, "s"),
                Apps.classPath("2.1.0"), Apps.SERVER, "stateless", "0"))) {
            postWithTraceparentHeader(server, metaTrace);
            server.stop(Scenario.TIMEOUT);
        }
        JsonNode add = only(Spans.read(spans).where(s -> "tools/call add".equals(Spans.text(s, "name"))));
        assertEquals("0af7651916cd43dd8448eb211c80319c", Spans.text(add, "trace_id"), "the header's trace");
        assertEquals("b7ad6b7169203331", Spans.text(add, "parent_span_id"));
        JsonNode fast = only(Spans.read(spans).where(s -> "tools/call fast".equals(Spans.text(s, "name"))));
        assertEquals("11111111111111111111111111111111", Spans.text(fast, "trace_id"), "_meta wins over the header");
        assertEquals("2222222222222222", Spans.text(fast, "parent_span_id"));
    }

    /**
     * Two raw JSON-RPC POSTs to a stateless test server, both with {@link TestClient#VALID_TRACEPARENT} as HTTP header:
     * {@code tools/call add} without {@code _meta}, {@code tools/call fast} with {@code _meta.traceparent = metaTrace}.
     */
    static void postWithTraceparentHeader(ChildJvm server, String metaTrace) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String url = "http://127.0.0.1:" + port(server) + "/mcp";
        String[] bodies = {
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"add\","
                    + "\"arguments\":{\"a\":1,\"b\":2}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"fast\","
                    + "\"arguments\":{\"text\":\"x\"},\"_meta\":{\"traceparent\":\"" + metaTrace + "\"}}}"};
        for (String body : bodies) {
            java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(url))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .header("traceparent", TestClient.VALID_TRACEPARENT)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
        }
    }

    private static List<String> options(Path spans, String service) {
        return List.of("-Dobservatory.jsonl.path=" + spans, "-Dobservatory.service.name=" + service,
                "-Dobservatory.export.interval=100ms");
    }

    static String port(ChildJvm server) throws Exception {
        return server.awaitLine("LISTENING ", Scenario.TIMEOUT).substring("LISTENING ".length()).trim();
    }

    static JsonNode only(List<JsonNode> spans) {
        assertEquals(1, spans.size(), spans.toString());
        return spans.get(0);
    }

    /**
     * A server-to-client request inside a tool call: the tool asks the client's model (sampling/createMessage). One
     * trace: the client's tools/call -> the server's tools/call -> the server's sampling request (kind client) -> the
     * client's handling of it (kind server).
     */
    @ParameterizedTest
    @ValueSource(strings = {"stdio", "streamable"})
    void samplingIsInsideTheToolCallsTrace(String transport) throws Exception {
        Scenario run = Scenario.runTracedExtra(dir, "2.1.0", transport);
        assertTrue(run.clientStdout.contains("STEP call:ask_model OK isError=false"), run.clientStdout);
        JsonNode askOut = assertAskedInsideToolCall(run.clientSpans(), run.spans(), "ask_model",
                "sampling/createMessage");
        assertEquals(TestClient.SAMPLING_MODEL, Spans.text(askOut, "model"));
    }

    /**
     * One trace for a server-to-client request a tool sends: the client's tools/call -> the server's tools/call -> the
     * server's request (kind client) -> the client's handling of it (kind server). Returns the server's request span.
     */
    static JsonNode assertAskedInsideToolCall(Spans client, Spans server, String tool, String method) {
        JsonNode callOut = only(client.where(s -> ("tools/call " + tool).equals(Spans.text(s, "name"))));
        JsonNode callIn = only(server.where(s -> ("tools/call " + tool).equals(Spans.text(s, "name"))));
        JsonNode askOut = only(server.where(s -> method.equals(Spans.text(s, "name"))));
        JsonNode askIn = only(client.where(s -> method.equals(Spans.text(s, "name"))));
        assertEquals("client", Spans.text(askOut, "kind"));
        assertEquals("server", Spans.text(askIn, "kind"));
        String trace = Spans.text(callOut, "trace_id");
        for (JsonNode span : List.of(callIn, askOut, askIn)) {
            assertEquals(trace, Spans.text(span, "trace_id"), span.toString());
        }
        assertEquals(Spans.text(callOut, "span_id"), Spans.text(callIn, "parent_span_id"));
        assertEquals(Spans.text(callIn, "span_id"), Spans.text(askOut, "parent_span_id"));
        assertEquals(Spans.text(askOut, "span_id"), Spans.text(askIn, "parent_span_id"));
        return askOut;
    }

    /** A client without the agent: a traceparent its caller set is joined; a malformed one starts a new trace. */
    @Test
    void callerTraceparentIsJoinedAndMalformedOneIgnored() throws Exception {
        Scenario run = Scenario.runExtra(dir, "2.1.0", "streamable");
        assertTrue(run.clientStdout.contains("STEP call:add_traceparent_malformed OK isError=false text=42"),
                run.clientStdout);
        List<JsonNode> adds = run.spans().where(s -> "add".equals(Spans.text(s, "tool_name"))
                && "ok".equals(Spans.text(s, "status")));
        assertEquals(3, adds.size(), "add_valid and the two calls with a caller's _meta");
        long joined = adds.stream().filter(s -> "0af7651916cd43dd8448eb211c80319c".equals(Spans.text(s, "trace_id"))
                && "b7ad6b7169203331".equals(Spans.text(s, "parent_span_id"))).count();
        assertEquals(1, joined, "the valid traceparent is joined");
        long roots = adds.stream().filter(s -> Spans.text(s, "parent_span_id") == null).count();
        assertEquals(2, roots, "without or with a malformed traceparent: a new trace, no error");
        assertTrue(TestClient.VALID_TRACEPARENT.contains("0af7651916cd43dd8448eb211c80319c"));
    }
}
