package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Spring AI MCP client as its users write it (the Boot fat jar of {@code apps/spring-ai-client[-webflux]-<line>}: the
 * client starter's auto-configuration, the connection named by Spring AI's own {@code spring.ai.mcp.client.*}
 * properties, calls through the {@code McpSyncClient} beans and the {@code ToolCallbackProvider}), started with
 * {@code java -javaagent:... -jar app.jar} against the test server of the newest SDK, itself with the agent. Each JVM
 * writes its own JSON lines; every request is a client span, and the server's span of it is that client span's child,
 * in its trace. Cells ("line transport", transport one of stdio, sse, streamable, webflux-sse, webflux-streamable) come
 * from {@code it.springai.client.cells}: by default one representative, {@code -Pmatrix} every line and transport.
 */
class SpringAiClientTest {

    /** Spring Boot starts slowly on a busy 2-core machine. */
    private static final Duration STARTUP = Duration.ofSeconds(240);
    private static final String SERVER_SDK = "2.2.0";

    private static final SpringAiMatrix MATRIX = new SpringAiMatrix("spring-ai-client", "it.springai.client.cells",
            "1.1 streamable", "stdio", "stdio", "sse", "SSE", "streamable", "streamable HTTP", "webflux-sse",
            "WebFlux starter: SSE", "webflux-streamable", "WebFlux starter: streamable HTTP");

    static Stream<Arguments> cells() {
        return MATRIX.cells();
    }

    @AfterAll
    static void writeTable() throws IOException {
        MATRIX.write("mvn -B verify -Pmatrix", "\"spans OK\" is the whole check above, the transport class Spring AI"
                + " picked included; the SDK named is the client's.");
    }

    @ParameterizedTest(name = "Spring AI {0} client over {1}")
    @Execution(ExecutionMode.CONCURRENT) // cells are independent: two at a time, like the classes
    @MethodSource("cells")
    void everyRequestIsAClientSpanAndTheParentOfItsServerSpan(String line, String transport, @TempDir Path dir)
            throws Exception {
        boolean webflux = transport.startsWith(SpringAiMatrix.WEBFLUX);
        String wire = webflux ? transport.substring(SpringAiMatrix.WEBFLUX.length()) : transport;
        Path clientFile = dir.resolve("client-spans/spans.jsonl");
        Path serverFile = dir.resolve("server-spans/spans.jsonl");
        List<String> server = Apps.javaCommand(true, List.of("-Dobservatory.jsonl.path=" + serverFile,
                "-Dobservatory.service.name=it-server-" + SERVER_SDK, "-Dobservatory.export.interval=100ms"),
                Apps.classPath(SERVER_SDK), Apps.SERVER, wire);
        Path jar = Apps.appsDir().resolve("spring-ai-client-" + (webflux ? "webflux-" : "") + line)
                .resolve("target/app.jar");
        assertTrue(Files.isRegularFile(jar), "Spring AI " + line + " client app not built: " + jar);
        MATRIX.started(line, transport, jar);
        List<String> client = clientCommand(line, jar, clientFile);
        // which client transport Spring AI picked: the class-loading log names it
        Path classes = dir.resolve("client-classes.log");
        client.add(1, "-Xlog:class+load=info:file=" + classes);
        String stdout;
        if (wire.equals("stdio")) {
            // Spring AI starts the server itself, from its stdio connection's command and args
            String connection = "--spring.ai.mcp.client.stdio.connections.it.";
            client.add(connection + "command=" + server.get(0));
            for (int i = 1; i < server.size(); i++) {
                client.add(connection + "args[" + (i - 1) + "]=" + server.get(i));
            }
            stdout = runClient(dir, client);
        } else {
            server.add("0");
            try (ChildJvm http = ChildJvm.start(dir, "server", server)) {
                String url = "http://127.0.0.1:" + ClientSpansTest.port(http);
                client.add(wire.equals("sse") ? "--spring.ai.mcp.client.sse.connections.it.url=" + url
                        : "--spring.ai.mcp.client.streamable-http.connections.it.url=" + url);
                stdout = runClient(dir, client);
                http.stop(Scenario.TIMEOUT);
            }
        }
        assertTrue(stdout.contains("STEP call:fast isError=false"), stdout);
        assertTrue(stdout.contains("STEP callback:fast") && stdout.contains("fast:callback"), stdout);

        String transportClass = Map.of("stdio", "StdioClientTransport",
                "sse", webflux ? "WebFluxSseClientTransport" : "HttpClientSseClientTransport",
                "streamable", webflux ? "WebClientStreamableHttpTransport" : "HttpClientStreamableHttpTransport")
                .get(wire);
        assertTrue(Files.readString(classes).contains("." + transportClass + " "), "Spring AI's client did not use "
                + transportClass + " (see " + classes + ")");

        String expectedTransport = ServerSpansTest.TRANSPORT_VALUES.get(wire);
        List<JsonNode> clientSpans = Spans.await(clientFile, 6).all;
        // the server of a stdio connection is stopped by the client's exit: its spans are flushed after
        List<JsonNode> serverSpans = Spans.await(serverFile, clientSpans.size() + 1).all; // + notifications/initialized
        Map<String, JsonNode> clientById = new HashMap<>();
        Map<String, Integer> clientNames = new HashMap<>();
        for (JsonNode span : clientSpans) {
            assertEquals("client", Spans.text(span, "kind"), span.toString());
            assertEquals(expectedTransport, Spans.text(span, "transport"), span.toString());
            assertNull(Spans.text(span, "parent_span_id"), "each request the runner makes is a trace's root");
            clientById.put(Spans.text(span, "span_id"), span);
            clientNames.merge(Spans.text(span, "name"), 1, Integer::sum);
        }
        assertEquals(1, clientNames.get("initialize"), clientNames.toString());
        assertTrue(clientNames.getOrDefault("tools/list", 0) >= 1, clientNames.toString());
        assertEquals(2, clientNames.get("tools/call fast"), "one call through McpSyncClient, one through the callback");
        assertEquals("-32603", Spans.text(only(clientSpans, "tools/call throws"), "error_type"));
        assertEquals("tool_error", Spans.text(only(clientSpans, "tools/call is_error"), "error_type"));
        assertEquals("it-server", only(clientSpans, "tools/call is_error").get("attributes").get("server_name").asText(),
                "learned at initialize");

        int requests = 0;
        for (JsonNode span : serverSpans) {
            assertEquals("server", Spans.text(span, "kind"), span.toString());
            assertTrue(String.valueOf(Spans.text(span, "client_name")).startsWith("it-spring-client"), span.toString());
            if (Spans.text(span, "mcp_method").startsWith("notifications/")) {
                continue;
            }
            requests++;
            JsonNode parent = clientById.get(Spans.text(span, "parent_span_id"));
            assertNotNull(parent, "server span without the client span as parent: " + span);
            assertEquals(Spans.text(parent, "trace_id"), Spans.text(span, "trace_id"), span.toString());
            assertEquals(Spans.text(parent, "name"), Spans.text(span, "name"), "same request on both sides");
        }
        assertEquals(clientSpans.size(), requests, "one client span per request the server handled, no duplicates");
        MATRIX.passed(line, transport, "spans OK");
    }

    private static List<String> clientCommand(String line, Path jar, Path spanFile) {
        return new ArrayList<>(List.of(Apps.java(), "-javaagent:" + Apps.agentJar(),
                "-Dobservatory.jsonl.path=" + spanFile, "-Dobservatory.service.name=it-spring-ai-client-" + line,
                "-Dobservatory.export.interval=100ms", "-jar", jar.toString()));
    }

    /** Runs the client to its end (it exits once its calls are made) and returns its stdout. */
    private static String runClient(Path dir, List<String> command) throws Exception {
        try (ChildJvm client = ChildJvm.start(dir, "client", command)) {
            assertEquals(0, client.awaitExit(STARTUP), "client failed:\n" + client.stdout() + client.stderr());
            String out = client.stdout();
            assertTrue(out.contains("DONE"), out);
            return out;
        }
    }

    private static JsonNode only(List<JsonNode> spans, String name) {
        return ClientSpansTest.only(spans.stream().filter(s -> name.equals(Spans.text(s, "name"))).toList());
    }
}
