package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Spring AI MCP server as its users write it (the Boot fat jar of {@code apps/spring-ai-<line>}: {@code @Tool} methods
 * published by a {@code ToolCallbackProvider} bean, on 1.1 and 2.0 also {@code @McpTool}, {@code @McpResource} and
 * {@code @McpPrompt} methods, the WebMvc server starter's auto-configuration, the transport chosen by Spring AI's own
 * properties; {@code apps/spring-ai-<line>-webflux}: the same with the WebFlux starter, on Reactor Netty), started with
 * {@code java -javaagent:... -jar app.jar}, so the SDK is loaded by Boot's nested-jar class loader; driven by the SDK's
 * client (PhasedClient of the newest test app), which sends a {@code traceparent} HTTP header and no
 * {@code _meta.traceparent}. Cells ("line transport") come from {@code it.springai.cells} ({@code 1.1 streamable},
 * {@code 1.0 webflux-sse}): by default one representative per web stack, {@code -Pmatrix} every line and transport.
 */
class SpringAiServerTest {

    /** Spring Boot starts slowly on a busy 2-core machine: the port is waited for up to this long. */
    private static final Duration STARTUP = Duration.ofSeconds(240);
    private static final String CLIENT_SDK = "2.2.0";
    /** A cell's transport with this prefix runs the line's WebFlux app ({@code apps/spring-ai-<line>-webflux}). */
    private static final String WEBFLUX = SpringAiMatrix.WEBFLUX;
    private static final SpringAiMatrix MATRIX = new SpringAiMatrix("spring-ai-server", "it.springai.cells",
            "1.1 streamable", "stdio", "stdio", "sse", "WebMvc SSE", "streamable", "WebMvc streamable", "stateless",
            "WebMvc stateless", "webflux-sse", "WebFlux SSE", "webflux-streamable", "WebFlux streamable",
            "webflux-stateless", "WebFlux stateless");
    /**
     * The {@code traceparent} HTTP header the client sends on HTTP cells, with no {@code _meta.traceparent} (the client is
     * not traced): every server span must join it.
     */
    private static final String HEADER_TRACE = "5f0c3e1a9b7d4c2e8a6f1b3d5c7e9a0b";
    private static final String HEADER_PARENT = "3c5e7a9b1d2f4a6c";
    private static final String HEADER = "00-" + HEADER_TRACE + "-" + HEADER_PARENT + "-01";
    /** The resource of the app's {@code @McpResource} method (apps/src-spring-ai-annotations). */
    private static final String STATIONS = "weather://stations";

    static Stream<Arguments> cells() {
        return MATRIX.cells();
    }

    @AfterAll
    static void writeTable() throws IOException {
        MATRIX.write("mvn -B verify -Pmatrix", "\"spans OK\" is the whole check above, the header fallback and, where"
                + " the line has them, the annotated tools, resource and prompt included; \"(none)\": the line has no"
                + " such server.");
    }

    @ParameterizedTest(name = "Spring AI {0} over {1}")
    @Execution(ExecutionMode.CONCURRENT) // cells are independent: two at a time, like the classes
    @MethodSource("cells")
    void everyRequestIsOneClassifiedSpan(String line, String cellTransport, @TempDir Path dir) throws Exception {
        Path spanFile = dir.resolve("spans/spans.jsonl");
        // "webflux-streamable": the app of that line built with the WebFlux starter, over streamable HTTP
        boolean webflux = cellTransport.startsWith(WEBFLUX);
        String transport = webflux ? cellTransport.substring(WEBFLUX.length()) : cellTransport;
        Path jar = Apps.appsDir().resolve("spring-ai-" + line + (webflux ? "-webflux" : "")).resolve("target/app.jar");
        assertTrue(Files.isRegularFile(jar), "Spring AI app not built: " + jar);
        MATRIX.started(line, cellTransport, jar);
        List<String> server = serverCommand(jar, spanFile);
        List<String> clientArgs = new ArrayList<>(List.of(transport));
        // Spring AI's MCP annotations (@McpTool, @McpResource, @McpPrompt) came with 1.1
        boolean annotated = !line.equals("1.0");
        ChildJvm http = null;
        try {
            if (transport.equals("stdio")) {
                server.addAll(List.of("--spring.ai.mcp.server.stdio=true", "--spring.main.web-application-type=none"));
                clientArgs.addAll(server);
            } else {
                int port = freePort();
                server.addAll(List.of("--server.port=" + port, "--server.address=127.0.0.1",
                        "--spring.ai.mcp.server.protocol=" + transport.toUpperCase(java.util.Locale.ROOT)));
                http = ChildJvm.start(dir, "server", server);
                awaitPort(http, port);
                clientArgs.add("http://127.0.0.1:" + port);
            }
            List<String> clientCommand = new ArrayList<>(List.of(Apps.java(), "-Dit.client.requestTimeoutSeconds="
                    + STARTUP.toSeconds(), "-Dit.client.traceparentHeader=" + HEADER, "-cp", Apps.classPath(CLIENT_SDK),
                    Apps.PHASED_CLIENT));
            clientCommand.addAll(clientArgs);
            try (DrivenClient client = DrivenClient.start(dir, "client", clientCommand)) {
                String answer = client.send("list");
                assertTrue(answer.endsWith((annotated ? 5 : 3) + " tools"), answer);
                // compiled with -parameters: the schema names the method's parameter
                answer = client.send("schema forecast");
                assertTrue(answer.contains("city") && !answer.contains("arg0"), answer);
                answer = client.send("call forecast");
                assertTrue(answer.contains("isError=false"), answer);
                client.send("call slow");
                answer = client.send("call broken");
                assertTrue(answer.contains("isError=true"), answer);
                if (annotated) {
                    answer = client.send("call humidity");
                    assertTrue(answer.contains("isError=false") && answer.contains("80%"), answer);
                    answer = client.send("call dew_point");
                    assertTrue(answer.contains("isError=true"), answer);
                    answer = client.send("read " + STATIONS);
                    assertTrue(answer.endsWith("1 contents"), answer);
                    answer = client.send("prompt briefing");
                    assertTrue(answer.endsWith("1 messages"), answer);
                }
                client.send("ping");
                client.quit();
            }
            if (http != null) {
                http.stop(Scenario.TIMEOUT);
            }
        } finally {
            if (http != null) {
                http.close();
            }
        }
        Map<String, Long> expected = new TreeMap<>(Map.of("initialize", 1L, "notifications/initialized", 1L,
                "tools/list", 2L, "tools/call", 3L, "ping", 1L));
        if (annotated) {
            expected.putAll(Map.of("tools/call", 5L, "resources/read", 1L, "prompts/get", 1L));
        }
        Spans spans = Spans.await(spanFile, expected.values().stream().mapToInt(Long::intValue).sum());
        String expectedTransport = ServerSpansTest.TRANSPORT_VALUES.get(transport);
        assertEquals(expected, spans.countsByMethod(), spans.toString());
        for (JsonNode span : spans.all) {
            assertEquals("server", Spans.text(span, "kind"), span.toString());
            assertEquals(expectedTransport, Spans.text(span, "transport"), span.toString());
            if (transport.equals("stdio")) {
                assertNull(Spans.text(span, "parent_span_id"), span.toString());
            } else { // the traceparent HTTP header, as no _meta.traceparent came
                assertEquals(HEADER_TRACE, Spans.text(span, "trace_id"), span.toString());
                assertEquals(HEADER_PARENT, Spans.text(span, "parent_span_id"), span.toString());
            }
            if (!transport.equals("stateless")) {
                assertNotNull(Spans.text(span, "session_id"), span.toString());
                assertEquals("it-client", Spans.text(span, "client_name"), span.toString());
            }
        }
        JsonNode forecast = spans.tool("forecast");
        assertEquals("tools/call forecast", Spans.text(forecast, "name"));
        assertEquals("ok", Spans.text(forecast, "status"), forecast.toString());
        // tokens, as for the plain SDK: what the result and the catalog put into the model's context
        assertTrue(forecast.path("prompt_tokens").asLong() > 0, "the result's tokens: " + forecast);
        for (JsonNode list : spans.method("tools/list")) {
            assertTrue(list.path("prompt_tokens").asLong() > 0, "the catalog's tokens: " + list);
        }
        assertTrue(spans.tool("slow").get("duration_ms").asDouble() >= 200.0, spans.tool("slow").toString());
        // Spring AI answers a thrown exception with an isError result, not a JSON-RPC error
        JsonNode broken = spans.tool("broken");
        assertEquals("error", Spans.text(broken, "status"), broken.toString());
        assertEquals("tool_error", Spans.text(broken, "error_type"), broken.toString());
        assertTrue(String.valueOf(Spans.text(broken, "error_message")).contains("weather station offline"),
                broken.toString());
        // the class of what the @Tool method threw, which the isError result does not carry; read where the tools/call
        // span is current in the tool (on WebMvc stateless, Spring AI runs the tool on the request thread as the Mono is
        // subscribed, with the SDK's shared transport context: the span is left there by the dispatch on that thread)
        assertEquals("java.lang.IllegalStateException", attribute(broken, "exception.type"), broken.toString());
        assertNull(attribute(forecast, "exception.type"), forecast.toString());
        if (annotated) {
            JsonNode humidity = spans.tool("humidity");
            assertEquals("tools/call humidity", Spans.text(humidity, "name"));
            assertEquals("ok", Spans.text(humidity, "status"), humidity.toString());
            assertNull(attribute(humidity, "exception.type"), humidity.toString());
            // an @McpTool method's exception: the annotations' callback answers it with an isError result of its message
            JsonNode dewPoint = spans.tool("dew_point");
            assertEquals("tool_error", Spans.text(dewPoint, "error_type"), dewPoint.toString());
            assertTrue(String.valueOf(Spans.text(dewPoint, "error_message")).contains("dew point sensor offline"),
                    dewPoint.toString());
            assertEquals("java.lang.UnsupportedOperationException", attribute(dewPoint, "exception.type"),
                    dewPoint.toString());
            JsonNode read = spans.method("resources/read").get(0);
            assertEquals(STATIONS, Spans.text(read, "resource_uri"), read.toString());
            assertEquals("ok", Spans.text(read, "status"), read.toString());
            assertTrue(read.path("prompt_tokens").asLong() > 0, "the resource's tokens: " + read);
            JsonNode prompt = spans.method("prompts/get").get(0);
            assertEquals("prompts/get briefing", Spans.text(prompt, "name"), prompt.toString());
            assertEquals("briefing", Spans.text(prompt, "prompt_name"), prompt.toString());
            assertEquals("ok", Spans.text(prompt, "status"), prompt.toString());
            assertTrue(prompt.path("prompt_tokens").asLong() > 0, "the prompt's tokens: " + prompt);
        }
        MATRIX.passed(line, cellTransport, "spans OK");
    }

    private static String attribute(JsonNode span, String key) {
        JsonNode attributes = span.get("attributes");
        return attributes == null || attributes.isNull() ? null : Spans.text(attributes, key);
    }

    private static List<String> serverCommand(Path jar, Path spanFile) {
        String app = jar.getParent().getParent().getFileName().toString();
        return new ArrayList<>(List.of(Apps.java(), "-javaagent:" + Apps.agentJar(),
                "-Dobservatory.sampling.ping=true", "-Dobservatory.jsonl.path=" + spanFile,
                "-Dobservatory.service.name=it-" + app, "-Dobservatory.export.interval=100ms",
                "-jar", jar.toString()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(ChildJvm server, int port) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline && server.process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("Spring AI server not listening on " + port + "; stdout:\n" + server.stdout()
                + "\nstderr:\n" + server.stderr());
    }
}
