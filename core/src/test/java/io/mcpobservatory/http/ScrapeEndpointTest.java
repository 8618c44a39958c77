package io.mcpobservatory.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.Transports;
import io.mcpobservatory.export.SpanExporter;
import io.mcpobservatory.export.SpanPipeline;
import io.mcpobservatory.metrics.PrometheusText;
import io.mcpobservatory.testing.PrometheusExposition;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScrapeEndpointTest {

    @Test
    void servesMetricsAndHealthOnDaemonThreadsOnly() throws Exception {
        SpanPipeline pipeline = new SpanPipeline(SpanExporter.NONE, 1024, 10, 10).start();
        for (int i = 0; i < 3; i++) {
            Span span = Span.start(Span.KIND_SERVER, McpMethod.of("tools/call"), null);
            span.toolName = "add";
            span.transport = Transports.STDIO;
            span.end();
            pipeline.accept(span);
        }
        assertTrue(pipeline.shutdown(10_000)); // the drainer has recorded them: the scrape below is exact
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        // started from this (non-daemon) test thread, as the agent's own start thread may be either
        try (ScrapeEndpoint endpoint = ScrapeEndpoint.start("127.0.0.1", 0, pipeline.metrics().registry(),
                () -> HealthReport.json("recording", "svc", "0.1.0", pipeline))) {
            int port = endpoint.address().getPort();
            String[] metrics = get(port, "/metrics", "GET");
            assertEquals("200", metrics[0]);
            assertEquals(PrometheusText.CONTENT_TYPE, metrics[1]);
            PrometheusExposition scrape = PrometheusExposition.parse(metrics[2]);
            assertEquals(3, scrape.sample("mcp_server_operation_duration_seconds_count", Map.of("mcp_method_name",
                    "tools/call", "gen_ai_tool_name", "add", "network_transport", "pipe")).value);
            assertEquals(3, scrape.sample("mcp_observatory_spans_recorded_total", Map.of()).value);
            assertEquals(3, scrape.sample("mcp_observatory_spans_exported_total", Map.of()).value);
            assertEquals(0, scrape.sample("mcp_observatory_spans_dropped_total", Map.of("cause", "queue_full")).value);
            assertEquals(1024, scrape.sample("mcp_observatory_queue_capacity", Map.of()).value);

            String[] health = get(port, "/health", "GET");
            assertEquals("200", health[0]);
            assertEquals(ScrapeEndpoint.HEALTH_CONTENT_TYPE, health[1]);
            assertTrue(health[2].startsWith("{\"state\":\"recording\",\"service\":\"svc\",\"agent_version\":\"0.1.0\""),
                    health[2]);
            assertTrue(health[2].contains("\"queue\":{\"depth\":0,\"capacity\":1024}"), health[2]);
            assertTrue(health[2].contains("\"spans\":{\"recorded\":3,\"exported\":3,\"dropped_queue_full\":0,"
                    + "\"dropped_export_failed\":0,\"sampled_out\":0}"), health[2]);
            assertTrue(health[2].contains("\"exporter\":{\"target\":\"none\",\"status\":\"ok\",\"failures\":0,"
                    + "\"pending_spans\":0,\"last_error\":null}"), health[2]);

            assertEquals("404", get(port, "/metrics/extra", "GET")[0]);
            assertEquals("405", get(port, "/metrics", "POST")[0]);
            assertEquals("200", get(port, "/metrics", "HEAD")[0]);

            List<Thread> started = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> !before.contains(thread)).toList();
            assertTrue(!started.isEmpty());
            for (Thread thread : started) {
                assertTrue(thread.isDaemon(), "the endpoint must not keep the JVM alive: " + thread);
            }
        }
    }

    @Test
    void aPortInUseIsABindExceptionAndClosingFreesThePort() throws Exception {
        SpanPipeline pipeline = new SpanPipeline(SpanExporter.NONE, 64, 10, 10);
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = taken.getLocalPort();
            assertThrows(BindException.class, () -> ScrapeEndpoint.start("127.0.0.1", taken.getLocalPort(),
                    pipeline.metrics().registry(), () -> "{}"));
        }
        ScrapeEndpoint.start("127.0.0.1", port, pipeline.metrics().registry(), () -> "{}").close();
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertEquals(port, again.getLocalPort());
        }
    }

    /** {status, content type, body} */
    private static String[] get(int port, String path, String method) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        connection.setRequestMethod(method);
        int status = connection.getResponseCode();
        InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
        String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
        connection.disconnect();
        return new String[] {Integer.toString(status), connection.getHeaderField("Content-Type"), text};
    }
}
