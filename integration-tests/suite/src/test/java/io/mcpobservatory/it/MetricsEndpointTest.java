package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpobservatory.testing.PrometheusExposition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real SDK server with the agent and its Prometheus endpoint on, driven by a real SDK client that has the agent too:
 * the operation histograms both scrape show count exactly the requests made, per method, tool and error type, the same
 * as the spans each side wrote; buckets are cumulative with {@code +Inf == _count}; promtool accepts the text; and
 * {@code /health} says what the pipeline did.
 */
class MetricsEndpointTest {

    private static final String SDK = "2.1.0";
    private static final String SERVER_FAMILY = "mcp_server_operation_duration_seconds";
    private static final String CLIENT_FAMILY = "mcp_client_operation_duration_seconds";
    /** The labels an operation histogram may have: never a session or request id. */
    private static final Set<String> OPERATION_LABELS = Set.of("mcp_method_name", "gen_ai_tool_name",
            "gen_ai_prompt_name", "error_type", "mcp_protocol_version", "network_transport", "le");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"stdio", "streamable"})
    void histogramsCountExactlyTheRequestsMade(String transport) throws Exception {
        List<String> serverOptions = List.of("-Dobservatory.jsonl.path=" + dir.resolve("spans/spans.jsonl"),
                "-Dobservatory.service.name=metrics-server", "-Dobservatory.export.interval=100ms",
                "-Dobservatory.prometheus.port=0");
        // the client's endpoint is set by the OpenTelemetry agent's name for it
        List<String> clientOptions = List.of("-Dobservatory.jsonl.path=" + dir.resolve("client-spans/spans.jsonl"),
                "-Dobservatory.service.name=metrics-client", "-Dobservatory.export.interval=100ms",
                "-Dotel.exporter.prometheus.port=0");
        String classPath = Apps.classPath(SDK);
        DrivenClient.Target target = DrivenClient.Target.of(dir, transport, serverOptions, classPath);
        ChildJvm server = target.server();
        try (DrivenClient client = DrivenClient.start(dir, "client", Apps.javaCommand(true, clientOptions, classPath,
                Apps.PHASED_CLIENT, target.clientArgsArray()))) {
            Map<String, Long> made = drive(client);
            ChildJvm httpServer = server;
            // a stdio server's stderr reaches the client's, each line prefixed by the client
            int serverPort = httpServer == null ? Scrapes.awaitPort(client::stderr, "[server stderr] ")
                    : Scrapes.awaitPort(httpServer::stderr, "");
            int clientPort = Scrapes.awaitPort(client::stderr, "");

            Map<String, Long> serverExpected = new TreeMap<>(made);
            serverExpected.put("initialize", 1L);
            serverExpected.put("notifications/initialized", 1L);
            long serverTotal = serverExpected.values().stream().mapToLong(Long::longValue).sum();
            String serverText = Scrapes.awaitMetrics(serverPort, serverTotal, SERVER_FAMILY);
            Map<String, Long> clientExpected = new TreeMap<>(made);
            clientExpected.put("initialize", 1L);
            long clientTotal = clientExpected.values().stream().mapToLong(Long::longValue).sum();
            String clientText = Scrapes.awaitMetrics(clientPort, clientTotal, CLIENT_FAMILY);

            String networkTransport = transport.equals("stdio") ? "pipe" : "tcp";
            PrometheusExposition serverScrape = PrometheusExposition.parse(serverText);
            assertEquals(serverExpected, Scrapes.histogramCounts(serverScrape, SERVER_FAMILY), serverText);
            assertOperationLabels(serverScrape, SERVER_FAMILY, networkTransport);
            assertEquals(countsOf(Spans.read(dir.resolve("spans/spans.jsonl")), "server"), serverExpected,
                    "the server's histograms and its spans agree");
            assertTrue(serverScrape.sum(SERVER_FAMILY + "_sum", s -> "slow".equals(s.label("gen_ai_tool_name")))
                    >= 0.2, "the slow tool sleeps 200 ms:\n" + serverText);
            Scrapes.promtoolAccepts(serverText, dir);

            PrometheusExposition clientScrape = PrometheusExposition.parse(clientText);
            assertEquals(clientExpected, Scrapes.histogramCounts(clientScrape, CLIENT_FAMILY), clientText);
            assertOperationLabels(clientScrape, CLIENT_FAMILY, networkTransport);
            assertEquals(countsOf(Spans.read(dir.resolve("client-spans/spans.jsonl")), "client"), clientExpected,
                    "the client's histograms and its spans agree");
            assertTrue(clientScrape.samples(SERVER_FAMILY + "_count", s -> true).isEmpty(), "a client serves nothing");
            Scrapes.promtoolAccepts(clientText, dir);

            // the tool catalog and tool results put tokens into the model's context: counted per tool
            assertTrue(serverScrape.sample("mcp_observatory_tokens_total", Map.of("mcp_method_name", "tools/list",
                    "gen_ai_token_type", "input")).value > 100, serverText);
            assertTrue(serverScrape.sum("mcp_observatory_cost_usd_total", s -> "fast".equals(s.label(
                    "gen_ai_tool_name"))) > 0, serverText);

            JsonNode health = new ObjectMapper().readTree(Scrapes.get(serverPort, "/health"));
            assertEquals("recording", health.get("state").asText(), health.toString());
            assertEquals("metrics-server", health.get("service").asText());
            assertEquals(serverTotal, health.get("spans").get("recorded").asLong(), health.toString());
            assertEquals(serverTotal, health.get("spans").get("exported").asLong(), health.toString());
            assertEquals(0, health.get("spans").get("dropped_queue_full").asLong());
            assertEquals("ok", health.get("exporter").get("status").asText(), health.toString());
            assertTrue(health.get("exporter").get("target").asText().contains("spans.jsonl"), health.toString());
            assertEquals(serverTotal, serverScrape.sample("mcp_observatory_spans_exported_total", Map.of()).value);

            client.quit();
            // the client's session ended with its closeGracefully(), before it exited: in its exit summary
            String clientStderr = client.stderr();
            String clientTransport = transport.equals("stdio") ? "stdio" : "streamable_http";
            assertTrue(clientStderr.contains("sessions (client " + clientTransport + "): 1 ended (0 of them open at"
                    + " exit)"), clientStderr);
            if (httpServer != null) {
                // the client's close sent DELETE: the server's session ended, and the server is still up to say so
                String afterClose = Scrapes.awaitFamily(serverPort, "mcp_server_session_duration_seconds", 1);
                PrometheusExposition closed = PrometheusExposition.parse(afterClose);
                assertEquals(1, closed.sum("mcp_server_session_duration_seconds_count",
                        x -> "tcp".equals(x.label("network_transport")) && x.label("mcp_protocol_version") != null),
                        afterClose);
                assertTrue(closed.sum("mcp_server_session_duration_seconds_sum", x -> true) > 0.2,
                        "the session lasted the whole test, slow tool included:\n" + afterClose);
                Scrapes.promtoolAccepts(afterClose, dir);
            }
        } finally {
            if (server != null) {
                server.stop(Duration.ofSeconds(30));
                assertFalse(server.stdout().contains("[mcp-observatory]"), "the agent never writes to stdout");
                server.close();
            }
        }
    }

    /**
     * The requests, as the client's command and the series it must count in (method, target, error type): three fast
     * calls, a slow one, the failing tools (an exception, an isError result, an unknown tool), a prompt, a resource...
     */
    private static final String[][] REQUESTS = {
        {"call fast", "tools/call fast"}, {"call fast", "tools/call fast"}, {"call fast", "tools/call fast"},
        {"call slow", "tools/call slow"}, {"call add", "tools/call add"},
        {"call is_error", "tools/call is_error !tool_error"}, {"call throws", "tools/call throws !-32603"},
        {"call no_such_tool", "tools/call no_such_tool !-32602"}, {"prompt", "prompts/get greeting"},
        {"read", "resources/read"}, {"list", "tools/list"}, {"ping", "ping"}};

    /** Makes the {@link #REQUESTS} and returns how many of each series were made. */
    private static Map<String, Long> drive(DrivenClient client) throws Exception {
        Map<String, Long> made = new TreeMap<>();
        for (String[] request : REQUESTS) {
            String answer = client.answer(request[0]);
            // a JSON-RPC error is an exception in the SDK client; an isError result is a result
            String expected = request[1].contains(" !-") ? "ERR " : "OK ";
            assertTrue(answer.startsWith(expected + request[0]), request[0] + ": " + answer);
            assertEquals(request[1].endsWith("!tool_error"), answer.contains("isError=true"), answer);
            made.merge(request[1], 1L, Long::sum);
        }
        return made;
    }

    private static void assertOperationLabels(PrometheusExposition scrape, String family, String networkTransport) {
        for (PrometheusExposition.Sample sample : scrape.samples()) {
            if (sample.name.startsWith(family)) {
                assertTrue(OPERATION_LABELS.containsAll(sample.labels.keySet()), "labels of " + sample);
                assertEquals(networkTransport, sample.label("network_transport"), sample.toString());
            }
        }
    }

    /** The spans of one kind grouped as {@link Scrapes#histogramCounts} groups series. */
    private static Map<String, Long> countsOf(Spans spans, String kind) {
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode span : spans.where(s -> kind.equals(Spans.text(s, "kind")))) {
            String target = Spans.text(span, "tool_name") != null ? Spans.text(span, "tool_name")
                    : Spans.text(span, "prompt_name");
            counts.merge(Scrapes.key(Spans.text(span, "mcp_method"), target, Spans.text(span, "error_type")), 1L,
                    Long::sum);
        }
        return counts;
    }
}
