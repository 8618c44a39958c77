package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SDK 2.2's modern API ({@code io.modelcontextprotocol.modern}, protocol revision 2026-07-28): a server and a client
 * written on it (the 2.2.0 test app's {@code ModernServer} and {@code ModernClient}), each in its own JVM with the agent,
 * over stdio and over the servlet HTTP transport. One server span per request with the classic spans' fields (name,
 * status, error type, transport, client info from {@code _meta}, tokens), one client span per request, and each server
 * span a child of its client span.
 */
class ModernApiTest {

    private static final String SDK = "2.2.0";
    private static final String SERVER = "io.mcpobservatory.it.app.ModernServer";
    private static final String CLIENT = "io.mcpobservatory.it.app.ModernClient";
    private static final List<String> NAMES = List.of("server/discover", "tools/list", "tools/call add",
            "tools/call is_error", "tools/call progress", "tools/call throws");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"stdio", "http"})
    void clientAndServerSpansAreOneTracePerRequest(String transport) throws Exception {
        Path serverSpans = dir.resolve("server/spans.jsonl");
        Path clientSpans = dir.resolve("client/spans.jsonl");
        String classPath = Apps.classPath(SDK);
        List<String> server = Apps.javaCommand(true, options(serverSpans, "modern-server"), classPath, SERVER,
                transport, "0");
        if (transport.equals("stdio")) {
            List<String> args = new ArrayList<>(List.of("stdio"));
            args.addAll(server.subList(0, server.size() - 1)); // the client starts the server: "stdio", no port
            runClient(clientSpans, classPath, args);
        } else {
            try (ChildJvm http = ChildJvm.start(dir, "server", server)) {
                runClient(clientSpans, classPath, List.of("http", "http://127.0.0.1:" + ClientSpansTest.port(http)));
                http.stop(Scenario.TIMEOUT);
            }
        }
        String expectedTransport = transport.equals("stdio") ? "stdio" : "stateless_http";

        List<JsonNode> received = Spans.read(serverSpans).all;
        assertEquals(NAMES, received.stream().map(s -> Spans.text(s, "name")).toList(), "one span per request");
        for (JsonNode span : received) {
            assertEquals("server", Spans.text(span, "kind"));
            assertEquals(expectedTransport, Spans.text(span, "transport"), span.toString());
            assertEquals("it-modern-client", Spans.text(span, "client_name"), "from _meta: " + span);
            assertEquals("2.0.0", Spans.text(span, "client_version"));
            assertEquals("2026-07-28", Spans.text(span, "protocol_version"));
            assertNotNull(Spans.text(span, "jsonrpc_request_id"));
            assertTrue(span.get("duration_ms").asDouble() >= 0, span.toString());
        }
        assertStatuses(received);
        JsonNode add = only(received, "tools/call add");
        assertEquals("add", Spans.text(add, "tool_name"));
        assertTrue(add.get("prompt_tokens").asLong() > 0, "the result's tokens: " + add);
        assertTrue(add.get("completion_tokens").asLong() > 0, "the arguments' tokens: " + add);
        assertTrue(only(received, "tools/list").get("prompt_tokens").asLong() > 0, "the catalog's tokens");
        JsonNode streamed = only(received, "tools/call progress");
        assertTrue(streamed.get("duration_ms").asDouble() >= 300, "an event stream's span ends with it: " + streamed);
        assertTrue(streamed.get("prompt_tokens").asLong() > 0, "its result, read in the stream: " + streamed);

        List<JsonNode> sent = Spans.read(clientSpans).all;
        assertEquals(NAMES, sent.stream().map(s -> Spans.text(s, "name")).toList(), "one client span per request");
        Map<String, JsonNode> sentById = new HashMap<>();
        for (JsonNode span : sent) {
            assertEquals("client", Spans.text(span, "kind"));
            assertEquals(expectedTransport, Spans.text(span, "transport"));
            assertNull(Spans.text(span, "parent_span_id"), "the client span is the trace's root");
            assertNotNull(Spans.text(span, "jsonrpc_request_id"), "the id of the request the client built: " + span);
            // no handshake: a modern server names itself in every result's _meta (a JSON-RPC error has none)
            if (!"tools/call throws".equals(Spans.text(span, "name"))) {
                assertEquals("it-modern-server", span.path("attributes").path("server_name").asText(null),
                        span.toString());
                assertEquals("1.0.0", span.path("attributes").path("server_version").asText(null), span.toString());
            }
            sentById.put(Spans.text(span, "span_id"), span);
        }
        assertStatuses(sent);
        for (JsonNode span : received) {
            JsonNode parent = sentById.get(Spans.text(span, "parent_span_id"));
            assertNotNull(parent, "server span " + span + " has its client span as parent (traceparent in _meta)");
            assertEquals(Spans.text(parent, "trace_id"), Spans.text(span, "trace_id"));
            assertEquals(Spans.text(parent, "name"), Spans.text(span, "name"));
            assertEquals(Spans.text(parent, "jsonrpc_request_id"), Spans.text(span, "jsonrpc_request_id"),
                    "the same request on both sides");
        }
    }

    /**
     * On HTTP a request without {@code _meta.traceparent} joins the trace of its {@code traceparent} header, as on the
     * classic servlet transports: a raw JSON-RPC POST, as a non-SDK client would send it.
     */
    @Test
    void httpTraceparentHeaderIsTheFallback() throws Exception {
        Path spans = dir.resolve("server/spans.jsonl");
        try (ChildJvm server = ChildJvm.start(dir, "server", Apps.javaCommand(true, options(spans, "modern-server"),
                Apps.classPath(SDK), SERVER, "http", "0"))) {
            java.net.http.HttpResponse<String> response = postToolCall(ClientSpansTest.port(server), "add",
                    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            assertEquals(200, response.statusCode(), response.body());
            server.stop(Scenario.TIMEOUT);
        }
        JsonNode add = ClientSpansTest.only(Spans.read(spans).all);
        assertEquals("tools/call add", Spans.text(add, "name"));
        assertEquals("0af7651916cd43dd8448eb211c80319c", Spans.text(add, "trace_id"), "the header's trace");
        assertEquals("b7ad6b7169203331", Spans.text(add, "parent_span_id"));
        assertEquals("raw", Spans.text(add, "client_name"));
    }

    /**
     * A modern server's tool that calls another modern server's tool with its own client, from inside its handler: the
     * request it sends joins the call's trace (the tools/call span is in the Reactor context of the call's work, and the
     * schedule hook makes it current where the sync handler runs), and so does the other server's span of it.
     */
    @Test
    void aRequestAToolSendsToAnotherServerJoinsTheCallsTrace() throws Exception {
        Path innerSpans = dir.resolve("inner/spans.jsonl");
        Path outerSpans = dir.resolve("outer/spans.jsonl");
        String classPath = Apps.classPath(SDK);
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String caller = "00f067aa0ba902b7";
        try (ChildJvm inner = ChildJvm.start(dir, "inner", Apps.javaCommand(true, options(innerSpans, "modern-inner"),
                classPath, SERVER, "http", "0"))) {
            List<String> outerOptions = new ArrayList<>(options(outerSpans, "modern-outer"));
            outerOptions.add("-Dit.relay.url=http://127.0.0.1:" + ClientSpansTest.port(inner));
            try (ChildJvm outer = ChildJvm.start(dir, "outer", Apps.javaCommand(true, outerOptions, classPath, SERVER,
                    "http", "0"))) {
                java.net.http.HttpResponse<String> response = postToolCall(ClientSpansTest.port(outer), "relay",
                        "00-" + trace + "-" + caller + "-01");
                assertEquals(200, response.statusCode(), response.body());
                assertTrue(response.body().contains("relayed 5.0"), response.body());
                outer.stop(Scenario.TIMEOUT);
            }
            inner.stop(Scenario.TIMEOUT);
        }
        List<JsonNode> outer = Spans.read(outerSpans).all;
        JsonNode relay = only(outer, "tools/call relay");
        assertEquals("server", Spans.text(relay, "kind"));
        assertEquals(trace, Spans.text(relay, "trace_id"), "the header's trace: " + relay);
        assertEquals(caller, Spans.text(relay, "parent_span_id"));
        List<JsonNode> sent = outer.stream().filter(s -> "client".equals(Spans.text(s, "kind"))).toList();
        assertTrue(sent.stream().anyMatch(s -> "tools/call add".equals(Spans.text(s, "name"))), outer.toString());
        for (JsonNode span : sent) { // the relay's client: its add (and a discovery, if it makes one)
            assertEquals(trace, Spans.text(span, "trace_id"), "in the call's trace: " + span);
            assertEquals(Spans.text(relay, "span_id"), Spans.text(span, "parent_span_id"), "the call's child: " + span);
        }
        JsonNode sentAdd = only(sent, "tools/call add");
        List<JsonNode> inner = Spans.read(innerSpans).all;
        JsonNode add = only(inner, "tools/call add");
        assertEquals(trace, Spans.text(add, "trace_id"), add.toString());
        assertEquals(Spans.text(sentAdd, "span_id"), Spans.text(add, "parent_span_id"), "the relay's request's child");
        assertEquals("it-modern-relay", Spans.text(add, "client_name"));
    }

    /** A raw JSON-RPC {@code tools/call} POST, as a non-SDK client sends it, with a {@code traceparent} header only. */
    private static java.net.http.HttpResponse<String> postToolCall(String port, String tool, String traceparent)
            throws Exception {
        String arguments = tool.equals("add") ? "{\"a\":1,\"b\":2}" : "{}";
        String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + arguments + ",\"_meta\":{"
                + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{},"
                + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}}";
        return java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/mcp"))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .header("Mcp-Method", "tools/call")
                        .header("Mcp-Name", tool)
                        .header("MCP-Protocol-Version", "2026-07-28")
                        .header("traceparent", traceparent)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private void runClient(Path spans, String classPath, List<String> args) throws Exception {
        try (ChildJvm client = ChildJvm.start(dir, "client", Apps.javaCommand(true, options(spans, "modern-client"),
                classPath, CLIENT, args.toArray(new String[0])))) {
            assertEquals(0, client.awaitExit(Scenario.TIMEOUT), client.stdout() + client.stderr());
            String out = client.stdout();
            assertTrue(out.contains("STEP call:add OK isError=false text=3.0"), out);
            assertTrue(out.contains("STEP call:is_error OK isError=true"), out);
            assertTrue(out.contains("text=streamed progress=2"), out);
            assertTrue(out.contains("STEP call:throws ERROR"), out);
            assertTrue(out.contains("DONE"), out);
        }
    }

    /**
     * discover, list, add and progress are fine; is_error is a tool error; throws is the server's JSON-RPC internal
     * error.
     */
    private static void assertStatuses(List<JsonNode> spans) {
        Map<String, String> errors = new HashMap<>();
        for (JsonNode span : spans) {
            errors.put(Spans.text(span, "name"), Spans.text(span, "status") + "/" + Spans.text(span, "error_type"));
        }
        assertEquals(Map.of("server/discover", "ok/null", "tools/list", "ok/null", "tools/call add", "ok/null",
                "tools/call is_error", "error/tool_error", "tools/call progress", "ok/null",
                "tools/call throws", "error/-32603"), errors);
    }

    private static JsonNode only(List<JsonNode> spans, String name) {
        return ClientSpansTest.only(spans.stream().filter(s -> name.equals(Spans.text(s, "name"))).toList());
    }

    private static List<String> options(Path spans, String service) {
        return List.of("-Dobservatory.jsonl.path=" + spans, "-Dobservatory.service.name=" + service,
                "-Dobservatory.export.interval=100ms");
    }
}
