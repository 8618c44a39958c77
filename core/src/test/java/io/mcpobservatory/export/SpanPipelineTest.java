package io.mcpobservatory.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.alerts.AlertEvent;
import io.mcpobservatory.alerts.AlertExpression;
import io.mcpobservatory.alerts.AlertRule;
import io.mcpobservatory.bootstrap.SessionEnd;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.http.HealthReport;
import io.mcpobservatory.rates.Rate;
import io.mcpobservatory.rates.RateSettings;
import io.mcpobservatory.rates.RateWindow;
import io.mcpobservatory.testing.PrometheusExposition;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpanPipelineTest {

    /** An exporter that counts, and can be held up to simulate a slow backend. */
    static final class CountingExporter implements SpanExporter {
        final AtomicLong spans = new AtomicLong();
        final CountDownLatch release;

        CountingExporter(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void export(List<Span> batch) throws IOException {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            spans.addAndGet(batch.size());
        }

        @Override
        public String describe() {
            return "counting";
        }
    }

    @Test
    void slowExporterNeverBlocksProducersAndEverySpanIsAccountedFor() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountingExporter exporter = new CountingExporter(release);
        SpanPipeline pipeline = new SpanPipeline(exporter, 64, 16, 10).start();
        Thread[] producers = new Thread[4];
        for (int t = 0; t < producers.length; t++) {
            producers[t] = new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    pipeline.accept(JsonLinesExporterTest.span("ping", null));
                }
            });
            producers[t].start();
        }
        for (Thread producer : producers) {
            producer.join(10_000);
            assertTrue(!producer.isAlive(), "producers finished while the exporter was stuck");
        }
        assertTrue(pipeline.droppedQueueFull() > 0, "a full queue drops");
        release.countDown();
        assertTrue(pipeline.shutdown(10_000));
        assertEquals(20_000, pipeline.recorded());
        assertEquals(pipeline.recorded(), exporter.spans.get() + pipeline.droppedQueueFull());
        assertEquals(exporter.spans.get(), pipeline.exported());
        assertEquals(pipeline.exported(), pipeline.summary().spans());
    }

    @Test
    void byteBoundDropsLargeSpansBeforeTheCountBoundIsReached() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountingExporter exporter = new CountingExporter(release);
        long maxBytes = 64 * 1024;
        SpanPipeline pipeline = new SpanPipeline(exporter, 8192, maxBytes, 100, 10, 60_000).start();
        for (int i = 0; i < 1_000; i++) {
            Span span = JsonLinesExporterTest.span("tools/call", "t");
            span.fail(new IllegalStateException("x".repeat(100_000))); // kept at MAX_TEXT_CHARS, ~4 kB estimated
            pipeline.accept(span);
        }
        // 64 kB holds about 15 such spans (plus one batch the drainer took before the exporter stalled)
        assertTrue(pipeline.droppedQueueFull() > 800, "the byte bound, not the 8192 slots, stopped the flood: "
                + pipeline.droppedQueueFull() + " dropped");
        release.countDown();
        assertTrue(pipeline.shutdown(10_000));
        assertEquals(1_000, pipeline.recorded());
        assertEquals(pipeline.recorded(), pipeline.exported() + pipeline.droppedQueueFull());
    }

    @Test
    void failingExporterCountsDropsAndKeepsGoing() {
        SpanExporter failing = new SpanExporter() {
            @Override
            public void export(List<Span> batch) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public String describe() {
                return "failing";
            }
        };
        SpanPipeline pipeline = new SpanPipeline(failing, 1024, 10, 10).start();
        for (int i = 0; i < 100; i++) {
            pipeline.accept(JsonLinesExporterTest.span("ping", null));
        }
        assertTrue(pipeline.shutdown(10_000));
        assertEquals(100, pipeline.droppedExportFailed());
        assertTrue(pipeline.exportFailures() >= 10);
        assertEquals(0, pipeline.exported());

        // what /health says of it
        assertEquals("failing", pipeline.exporterStatus());
        String health = HealthReport.json("recording", "svc", null, pipeline);
        assertTrue(health.contains("\"exporter\":{\"target\":\"failing\",\"status\":\"failing\",\"failures\":"
                + pipeline.exportFailures() + ",\"pending_spans\":0,\"last_error\":\"java.io.IOException: disk full\"}"),
                health);
        assertTrue(health.contains("\"dropped_export_failed\":100"), health);
        // the spans the exporter lost are in the metrics all the same: they are recorded before export
        PrometheusExposition scrape = PrometheusExposition.parse(pipeline.metrics().registry().prometheusText());
        assertEquals(100, scrape.sample("mcp_server_operation_duration_seconds_count",
                Map.of("mcp_method_name", "ping")).value);
        assertEquals(100, scrape.sample("mcp_observatory_spans_dropped_total", Map.of("cause", "export_failed")).value);
        assertEquals(pipeline.exportFailures(), scrape.sample("mcp_observatory_export_failures_total", Map.of()).value);
        assertEquals(100, scrape.sample("mcp_observatory_spans_recorded_total", Map.of()).value);
    }

    @Test
    void spansDroppedBeforeTheStartAreRecordedAndDropped() {
        SpanPipeline pipeline = new SpanPipeline(SpanExporter.NONE, 64, 10, 10).start();
        pipeline.droppedBeforeStart(5);
        pipeline.accept(JsonLinesExporterTest.span("ping", null));
        assertTrue(pipeline.shutdown(10_000));
        assertEquals(6, pipeline.recorded());
        assertEquals(5, pipeline.droppedQueueFull());
        assertEquals(1, pipeline.exported());
    }

    @Test
    void everySpanTakenCountsInTheRatesAndAlertsAreJudgedOnTheDrainersSchedule() {
        List<AlertEvent> alerts = new CopyOnWriteArrayList<>();
        SpanExporter exporter = new SpanExporter() {
            @Override
            public void export(List<Span> batch) {
            }

            @Override
            public void alert(AlertEvent event) {
                alerts.add(event);
            }

            @Override
            public String describe() {
                return "alerts";
            }
        };
        SpanPipeline pipeline = new SpanPipeline(exporter, 64, 10, 10).watchRates(RateSettings.DEFAULTS,
                List.of(AlertRule.withDefaults("drops", AlertExpression.parse("spans_dropped > 0"))));
        pipeline.droppedBeforeStart(5);
        pipeline.start(); // its first tick publishes the rates and judges the rule at once
        for (int i = 0; i < 3; i++) {
            Span call = JsonLinesExporterTest.span("tools/call", "search");
            call.failRpc(-32603, "boom");
            pipeline.accept(call);
        }
        assertTrue(pipeline.shutdown(10_000)); // and it publishes once more when it stops
        assertEquals(3, pipeline.rates().tool("search", RateWindow.ONE_MINUTE).calls());
        assertEquals(1.0, pipeline.rates().allTools(RateWindow.FIVE_MINUTES).value(Rate.ERROR_RATE));
        assertEquals(5, pipeline.rates().service(RateWindow.ONE_HOUR).value(Rate.SPANS_DROPPED));
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals("drops", alerts.get(0).rule().name());
        assertTrue(pipeline.alerting().statuses().get(0).active());
        String health = HealthReport.json("recording", "svc", null, pipeline);
        assertTrue(health.contains("\"rates\":{\"window\":\"5m\",\"calls\":3,"), health);
        assertTrue(health.contains("\"error_rate\":1.0,"), health);
        assertTrue(health.contains("\"low_confidence_rate\":null,"), health);
        assertTrue(health.contains("\"alerts\":{\"active\":[{\"alert\":\"drops\",\"severity\":\"warning\","
                + "\"expr\":\"spans_dropped > 0\",\"window\":\"5m\",\"value\":5.0,\"since\":"), health);
        PrometheusExposition scrape = PrometheusExposition.parse(pipeline.metrics().registry().prometheusText());
        assertEquals(1, scrape.sample("mcp_observatory_alert_active", Map.of("alert", "drops", "severity", "warning"))
                .value);
        assertEquals(3, scrape.sample("mcp_observatory_rate", Map.of("rate", "calls_per_second", "window", "1m",
                "scope", "tool", "gen_ai_tool_name", "search")).value
                * pipeline.rates().tool("search", RateWindow.ONE_MINUTE).seconds(), 1e-6);
    }

    @Test
    void sessionEndsBecomeSessionDurationsAndSummaryLines() {
        SpanPipeline pipeline = new SpanPipeline(SpanExporter.NONE, 64, 10, 10).start();
        long start = System.nanoTime();
        pipeline.sessionEnded(new SessionEnd(Span.KIND_SERVER, "s1", "stdio", "2025-06-18", "c", null, start,
                start + 1_500_000_000L, false));
        pipeline.sessionEnded(new SessionEnd(Span.KIND_SERVER, "s2", "stdio", "2025-06-18", "c", null, start,
                start + 40_000_000L, true));
        pipeline.sessionEnded(new SessionEnd(Span.KIND_CLIENT, null, "streamable_http", null, null, "s", start,
                start + 6_616_000_000L, false)); // its histogram bucket's top is 6623 ms
        assertTrue(pipeline.shutdown(10_000)); // the drainer records what was queued before the stop
        PrometheusExposition scrape = PrometheusExposition.parse(pipeline.metrics().registry().prometheusText());
        assertEquals(2, scrape.sample("mcp_server_session_duration_seconds_count",
                Map.of("network_transport", "pipe", "mcp_protocol_version", "2025-06-18")).value);
        assertEquals(1.54, scrape.sum("mcp_server_session_duration_seconds_sum", s -> true), 1e-9);
        assertEquals(1, scrape.sample("mcp_server_session_duration_seconds_bucket",
                Map.of("network_transport", "pipe", "mcp_protocol_version", "2025-06-18", "le", "0.05")).value);
        assertEquals(1, scrape.sum("mcp_client_session_duration_seconds_count", s -> true));
        String summary = pipeline.summary().render();
        assertTrue(summary.contains("sessions (server stdio): 2 ended (1 of them open at exit), duration p50 40 ms,"
                + " max 1500 ms"), summary);
        assertTrue(summary.contains("sessions (client streamable_http): 1 ended (0 of them open at exit), duration p50"
                + " 6616 ms, max 6616 ms"), summary);
    }

    @Test
    void summaryCapsDistinctNames() {
        ExitSummary summary = new ExitSummary();
        for (int i = 0; i < ExitSummary.MAX_ROWS_PER_KIND + 50; i++) {
            summary.add(JsonLinesExporterTest.span("tools/call", "made-up-" + i));
        }
        String table = summary.render();
        assertTrue(table.contains("(other)"), table);
        assertEquals(ExitSummary.MAX_ROWS_PER_KIND + 2, table.lines().filter(l -> l.contains("tool ")).count()
                + table.lines().filter(l -> l.contains("method ")).count());
    }
}
