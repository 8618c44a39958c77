package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.testing.TestDatabase;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans and metrics over OTLP/HTTP to a receiver in the test that decodes them with the official opentelemetry-proto
 * classes: the scenario's spans in the MCP semantic conventions, next to PostgreSQL with the same ids, and the metrics; a client and its server in
 * one trace; a receiver that is away, busy (429) or refuses (400); bad settings.
 */
class OtlpExportTest {

    private static final List<String> SCENARIO_NAMES = List.of(
            "initialize", "notifications/initialized", "ping", "prompts/get greeting", "resources/read",
            "tools/call add", "tools/call add", "tools/call fast", "tools/call is_error", "tools/call no_such_tool",
            "tools/call slow", "tools/call throws", "tools/list");

    @TempDir
    Path dir;

    @Test
    void postgresAndOtlpCarryTheSameSpansInTheConventions() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        try (OtlpReceiver receiver = OtlpReceiver.start(0)) {
            Scenario run = Scenario.runTraced(dir, "2.1.0", "streamable",
                    List.of("-Dobservatory.exporter=jsonl,otlp", "-Dotel.exporter.otlp.endpoint=" + receiver.endpoint()),
                    "-Dobservatory.exporter=postgres,otlp", "-Dobservatory.jdbc.url=" + url,
                    "-Dobservatory.otlp.endpoint=" + receiver.endpoint(),
                    "-Dobservatory.otlp.headers=x-api-key=s3cret-key-42,x-tenant=team%20a",
                    "-Dobservatory.otlp.compression=gzip", "-Dotel.metric.export.interval=1000",
                    "-Dotel.resource.attributes=deployment.environment=it,service.name=ignored-ours-wins");
            assertTrue(run.serverStderr.contains("13 spans recorded, 13 exported to postgres"), run.serverStderr);
            assertTrue(run.serverStderr.contains("exporter otlp (otlp " + receiver.endpoint() + "/v1/traces): 13 exported,"
                    + " 0 dropped (its queue full), 0 dropped (export failed), 0 retries"), run.serverStderr);
            assertFalse(run.serverStderr.contains("s3cret-key-42"), "headers are never logged");

            Map<String, List<Span>> byService = new java.util.TreeMap<>();
            for (OtlpReceiver.Request request : receiver.requests) {
                for (var resourceSpans : request.body().getResourceSpansList()) {
                    Map<String, String> resource = OtlpReceiver.attributes(resourceSpans.getResource()
                            .getAttributesList());
                    String service = resource.get("service.name");
                    if (service.equals("it-server-2.1.0")) {
                        assertEquals("gzip", request.headers().get("Content-encoding").get(0));
                        assertEquals("s3cret-key-42", request.headers().get("X-api-key").get(0));
                        assertEquals("team a", request.headers().get("X-tenant").get(0));
                        assertEquals("it", resource.get("deployment.environment"));
                    }
                    assertEquals("mcp-observatory", resource.get("telemetry.sdk.name"));
                    for (var scope : resourceSpans.getScopeSpansList()) {
                        assertEquals("io.mcpobservatory", scope.getScope().getName());
                        byService.computeIfAbsent(service, s -> new ArrayList<>()).addAll(scope.getSpansList());
                    }
                }
            }
            List<Span> server = byService.get("it-server-2.1.0");
            assertNotNull(server, byService.keySet().toString());
            assertEquals(SCENARIO_NAMES, server.stream().map(Span::getName).sorted().collect(Collectors.toList()));
            for (Span span : server) {
                assertEquals(Span.SpanKind.SPAN_KIND_SERVER, span.getKind(), span.getName());
                assertEquals(16, span.getTraceId().size());
                assertEquals(8, span.getSpanId().size());
                assertTrue(span.getEndTimeUnixNano() >= span.getStartTimeUnixNano());
                Map<String, String> attributes = OtlpReceiver.attributes(span.getAttributesList());
                assertEquals("tcp", attributes.get("network.transport"), span.getName());
                assertEquals(span.getName().split(" ")[0], attributes.get("mcp.method.name"));
                if (!span.getName().startsWith("notifications/")) {
                    assertTrue(attributes.containsKey("jsonrpc.request.id") || span.getName().equals("initialize"),
                            span.getName() + " " + attributes);
                }
                if (!span.getName().equals("initialize") && !span.getName().startsWith("notifications/")) {
                    assertNotNull(attributes.get("mcp.session.id"), span.getName());
                }
            }
            Map<String, List<Span>> named = OtlpReceiver.byName(server);
            Map<String, String> fast = OtlpReceiver.attributes(named.get("tools/call fast").get(0).getAttributesList());
            assertEquals("fast", fast.get("gen_ai.tool.name"));
            assertEquals("execute_tool", fast.get("gen_ai.operation.name"));
            assertNotNull(fast.get("mcp.protocol.version"));
            assertNotNull(fast.get("gen_ai.usage.input_tokens"), fast.toString());
            assertNotNull(fast.get("mcp.observatory.cost_usd"), fast.toString());
            assertFalse(fast.containsKey("error.type"));
            assertEquals(Status.StatusCode.STATUS_CODE_UNSET, named.get("tools/call fast").get(0).getStatus().getCode());
            assertEquals("greeting", OtlpReceiver.attributes(named.get("prompts/get greeting").get(0)
                    .getAttributesList()).get("gen_ai.prompt.name"));
            assertNotNull(OtlpReceiver.attributes(named.get("resources/read").get(0).getAttributesList())
                    .get("mcp.resource.uri"));
            Span failed = named.get("tools/call throws").get(0);
            Map<String, String> throwsAttributes = OtlpReceiver.attributes(failed.getAttributesList());
            assertEquals("-32603", throwsAttributes.get("error.type"));
            assertEquals("-32603", throwsAttributes.get("rpc.response.status_code"));
            assertEquals(Status.StatusCode.STATUS_CODE_ERROR, failed.getStatus().getCode());
            assertFalse(failed.getStatus().getMessage().isEmpty());
            Map<String, String> isError = OtlpReceiver.attributes(named.get("tools/call is_error").get(0)
                    .getAttributesList());
            assertEquals("tool_error", isError.get("error.type"));
            assertFalse(isError.containsKey("rpc.response.status_code"));

            assertMetrics(receiver, run.serverStderr);

            // the same ids in mcp_spans as over OTLP
            Set<String> overOtlp = server.stream().map(s -> OtlpReceiver.hex(s.getTraceId()) + "/"
                    + OtlpReceiver.hex(s.getSpanId()) + "/" + s.getName()).collect(Collectors.toCollection(TreeSet::new));
            Set<String> inPostgres = new TreeSet<>();
            try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement();
                 ResultSet rs = sql.executeQuery("SELECT replace(trace_id::text, '-', ''), span_id, name FROM mcp_spans")) {
                while (rs.next()) {
                    inPostgres.add(rs.getString(1) + "/" + String.format("%016x", rs.getLong(2)) + "/" + rs.getString(3));
                }
            }
            assertEquals(inPostgres, overOtlp);

            // the client's spans (its own agent, also over OTLP) and the server's: one trace per request
            List<Span> client = byService.get("it-client-2.1.0");
            assertNotNull(client, byService.keySet().toString());
            Span callOut = OtlpReceiver.byName(client).get("tools/call fast").get(0);
            Span callIn = named.get("tools/call fast").get(0);
            assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, callOut.getKind());
            assertEquals(OtlpReceiver.hex(callOut.getTraceId()), OtlpReceiver.hex(callIn.getTraceId()));
            assertEquals(OtlpReceiver.hex(callOut.getSpanId()), OtlpReceiver.hex(callIn.getParentSpanId()));
        }
    }

    /**
     * The server's metrics over OTLP: every second, and the last one at exit with the final counts (the duration
     * histogram over the 13 spans, the pipeline's counters), cumulative, from the same resource as the spans.
     */
    private static void assertMetrics(OtlpReceiver receiver, String serverStderr) {
        List<OtlpReceiver.MetricsRequest> fromServer = receiver.metrics.stream().filter(r -> OtlpReceiver.attributes(
                r.body().getResourceMetrics(0).getResource().getAttributesList()).get("service.name")
                .equals("it-server-2.1.0")).collect(Collectors.toList());
        assertTrue(fromServer.size() >= 2, "periodic and final: " + fromServer.size() + "\n" + serverStderr);
        assertEquals("s3cret-key-42", fromServer.get(0).headers().get("X-api-key").get(0));
        var last = fromServer.get(fromServer.size() - 1).body().getResourceMetrics(0).getScopeMetrics(0);
        assertEquals("io.mcpobservatory", last.getScope().getName());
        Map<String, io.opentelemetry.proto.metrics.v1.Metric> byName = last.getMetricsList().stream()
                .collect(Collectors.toMap(io.opentelemetry.proto.metrics.v1.Metric::getName, m -> m));
        var duration = byName.get("mcp.server.operation.duration").getHistogram();
        assertEquals(io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                duration.getAggregationTemporality());
        assertEquals(13, duration.getDataPointsList().stream().mapToLong(p -> p.getCount()).sum());
        var fast = duration.getDataPointsList().stream().filter(p -> OtlpReceiver.attributes(p.getAttributesList())
                .getOrDefault("gen_ai.tool.name", "").equals("fast")).findFirst().orElseThrow();
        assertEquals(1, fast.getCount());
        assertEquals(15, fast.getBucketCountsCount());
        assertEquals("tcp", OtlpReceiver.attributes(fast.getAttributesList()).get("network.transport"));
        var recorded = byName.get("mcp.observatory.spans.recorded").getSum();
        assertTrue(recorded.getIsMonotonic());
        assertEquals(13.0, recorded.getDataPoints(0).getAsDouble(), "the final counts");
        assertTrue(serverStderr.contains("metrics to otlp " + receiver.endpoint() + "/v1/metrics every 1.0 s"),
                serverStderr);
    }

    /**
     * Over HTTP with both a {@code _meta.traceparent} (the parent) and another {@code traceparent} header, the header's
     * context is a span link; with the header alone it is the parent, and there is no link.
     */
    @Test
    void httpTraceparentOtherThanMetaIsALink() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(0)) {
            try (ChildJvm server = ChildJvm.start(dir, "server", Apps.javaCommand(true, List.of(
                    "-Dobservatory.exporter=otlp", "-Dobservatory.otlp.endpoint=" + receiver.endpoint(),
                    "-Dobservatory.export.interval=100ms"), Apps.classPath("2.1.0"), Apps.SERVER, "stateless", "0"))) {
                ClientSpansTest.postWithTraceparentHeader(server,
                        "00-11111111111111111111111111111111-2222222222222222-01");
                server.stop(Scenario.TIMEOUT);
            }
            Map<String, List<Span>> named = OtlpReceiver.byName(receiver.spans());
            Span fast = named.get("tools/call fast").get(0);
            assertEquals("11111111111111111111111111111111", OtlpReceiver.hex(fast.getTraceId()), "_meta is the parent");
            assertEquals("2222222222222222", OtlpReceiver.hex(fast.getParentSpanId()));
            assertEquals(1, fast.getLinksCount());
            assertEquals("0af7651916cd43dd8448eb211c80319c", OtlpReceiver.hex(fast.getLinks(0).getTraceId()));
            assertEquals("b7ad6b7169203331", OtlpReceiver.hex(fast.getLinks(0).getSpanId()));
            Span add = named.get("tools/call add").get(0);
            assertEquals("0af7651916cd43dd8448eb211c80319c", OtlpReceiver.hex(add.getTraceId()), "the header's trace");
            assertEquals(0, add.getLinksCount());
        }
    }

    /**
     * The receiver is away for the first 20 seconds (the scenario has ended by then, and the server is stopping): the
     * batches are retried until it is up, within the shutdown timeout, each span arriving once.
     */
    @Test
    void receiverAwayFor20sThenUpGetsEverySpanOnce() throws Exception {
        int port;
        try (ServerSocket reserved = new ServerSocket(0)) {
            port = reserved.getLocalPort();
        }
        long start = System.nanoTime();
        CompletableFuture<OtlpReceiver> later = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(20_000);
                return OtlpReceiver.start(port);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Scenario run = Scenario.run(dir, "2.1.0", "streamable", "-Dobservatory.exporter=otlp",
                "-Dobservatory.otlp.endpoint=http://127.0.0.1:" + port, "-Dobservatory.shutdown.timeout=60s");
        try (OtlpReceiver receiver = later.get(60, TimeUnit.SECONDS)) {
            assertTrue(receiver.requests.get(0).atNanos() - start >= TimeUnit.SECONDS.toNanos(20));
            List<Span> spans = receiver.spans();
            assertEquals(SCENARIO_NAMES, spans.stream().map(Span::getName).sorted().collect(Collectors.toList()));
            assertEquals(13, spans.stream().map(s -> OtlpReceiver.hex(s.getSpanId())).distinct().count(),
                    "none twice");
            Matcher summary = Pattern.compile("exporter otlp \\(otlp [^)]*\\): 13 exported, 0 dropped \\(its queue full\\),"
                    + " 0 dropped \\(export failed\\), (\\d+) retries").matcher(run.serverStderr);
            assertTrue(summary.find(), run.serverStderr);
            assertTrue(Integer.parseInt(summary.group(1)) >= 3, "retried with backoff: " + summary.group(1));
            assertTrue(run.serverStderr.contains("13 spans recorded, 13 exported"), run.serverStderr);
            assertEquals(1, count(run.serverStderr, "retrying with backoff"), "one warning, then counted");
        }
    }

    /**
     * 429 with Retry-After: the same batch again after the time said; then a 400 with a google.rpc.Status: one warning
     * with the receiver's message, that batch lost and counted, not retried.
     */
    @Test
    void tooManyRequestsIsRetriedAfterRetryAfterAndARefusalIsOneWarning() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(0)) {
            receiver.answerNext(429, Map.of("Retry-After", "2"), new byte[0]);
            receiver.answerNext(200, Map.of(), new byte[0]);
            byte[] message = "span rejected: bad things".getBytes(StandardCharsets.UTF_8);
            byte[] status = new byte[message.length + 2]; // google.rpc.Status { string message = 2; }
            status[0] = 0x12;
            status[1] = (byte) message.length;
            System.arraycopy(message, 0, status, 2, message.length);
            receiver.answerNext(400, Map.of("Content-Type", "application/x-protobuf"), status);
            // streamable HTTP: the test waits for the server's exit and its summary (a stdio client may not)
            Scenario run = Scenario.run(dir, "2.1.0", "streamable", "-Dobservatory.exporter=otlp",
                    "-Dobservatory.otlp.endpoint=" + receiver.endpoint());
            List<OtlpReceiver.Request> requests = receiver.requests;
            assertTrue(requests.size() >= 3, requests.toString());
            assertEquals(requests.get(0).body(), requests.get(1).body(), "the batch refused with 429 is sent again");
            assertTrue(requests.get(1).atNanos() - requests.get(0).atNanos() >= TimeUnit.MILLISECONDS.toNanos(1900),
                    "after Retry-After");
            int refused = requests.get(2).body().getResourceSpans(0).getScopeSpans(0).getSpansCount();
            List<String> ids = new ArrayList<>();
            for (OtlpReceiver.Request request : requests.subList(1, requests.size())) {
                request.body().getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
                        ss.getSpansList().forEach(span -> ids.add(OtlpReceiver.hex(span.getSpanId())))));
            }
            assertEquals(13, ids.size(), "each span sent once after the 429: " + ids);
            assertEquals(13, new HashSet<>(ids).size());
            assertEquals(13 - refused, receiver.spans().size());
            assertEquals(1, count(run.serverStderr, "HTTP 400: span rejected: bad things"), run.serverStderr);
            assertTrue(run.serverStderr.contains("exporter otlp (otlp " + receiver.endpoint() + "/v1/traces): "
                    + (13 - refused) + " exported, 0 dropped (its queue full), " + refused
                    + " dropped (export failed), 1 retries"), run.serverStderr);
        }
    }

    /** Settings that cannot be used are one warning each, naming the key (never a header's value); the app runs. */
    @Test
    void badEndpointHeadersAndProtocolAreWarningsAndTheAppRuns() throws Exception {
        Scenario run = Scenario.run(dir, "2.1.0", "stdio", "-Dobservatory.exporter=otlp",
                "-Dobservatory.otlp.endpoint=ftp//no-such-scheme", "-Dobservatory.otlp.protocol=grpc",
                "-Dobservatory.otlp.headers=x-ok=1,no-equals-sign,bad name=s3cret-value",
                "-Dobservatory.shutdown.timeout=1s");
        assertTrue(run.clientStdout.contains("STEP call:slow OK"), run.clientStdout);
        String err = run.serverStderr;
        assertEquals(1, count(err, "observatory.otlp.endpoint='ftp//no-such-scheme' (system property) is not an http://"
                + " or https:// URL with a host; using http://localhost:4318"), err);
        assertEquals(1, count(err, "observatory.otlp.protocol='grpc' (system property) is not supported"), err);
        assertEquals(1, count(err, "observatory.otlp.headers (system property): entry 2 of 3"), err);
        assertEquals(1, count(err, "observatory.otlp.headers (system property): entry 3 of 3"), err);
        assertFalse(err.contains("s3cret-value"), err);
        assertTrue(err.contains("tracing MCP service"), err);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
