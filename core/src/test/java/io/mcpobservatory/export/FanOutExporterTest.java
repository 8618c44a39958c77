package io.mcpobservatory.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A stuck exporter fills its own queue and drops from it; the other exporter gets every batch. */
class FanOutExporterTest {

    @Test
    void aStuckExporterHoldsBackNoOther() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Span> fastGot = new CopyOnWriteArrayList<>();
        SpanExporter stuck = exporter("stuck", batch -> release.await());
        SpanExporter fast = exporter("fast", fastGot::addAll);
        FanOutExporter fanOut = new FanOutExporter(List.of("stuck", "fast"), List.of(stuck, fast), 100);
        AtomicLong exported = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        SpanExporter.Outcome outcome = new SpanExporter.Outcome() {
            @Override
            public void exported(int spans) {
                exported.addAndGet(spans);
            }

            @Override
            public void failed(int spans, Throwable cause) {
                failed.addAndGet(spans);
            }
        };
        // 10 batches of 40, each when the fast exporter has taken the one before (as a drainer's pace would be): the
        // stuck lane takes the first (in export) and two more, then drops
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int i = 0; i < 10; i++) {
            fanOut.export(batch(40), outcome);
            while (fanOut.lanes().get(1).queueDepth() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        assertEquals(400, fastGot.size(), "the other exporter got every span, while the first was stuck");
        FanOutExporter.Lane stuckLane = fanOut.lanes().get(0);
        FanOutExporter.Lane fastLane = fanOut.lanes().get(1);
        assertEquals(400, fastLane.exported());
        assertEquals(0, fastLane.droppedQueueFull());
        assertTrue(stuckLane.droppedQueueFull() >= 280, "dropped from the stuck lane: " + stuckLane.droppedQueueFull());
        release.countDown();
        assertTrue(fanOut.awaitIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
        assertEquals(400, stuckLane.exported() + stuckLane.droppedQueueFull());
        assertEquals(stuckLane.droppedQueueFull(), failed.get(), "a batch one exporter lost counts as lost");
        assertEquals(400 - failed.get(), exported.get());
        fanOut.close();
    }

    /** Per-exporter counters in the metrics and in /health, behind a real pipeline; the pipeline's own outcome. */
    @Test
    void eachExporterCountsInTheMetricsAndHealth() throws Exception {
        List<Span> got = new CopyOnWriteArrayList<>();
        FanOutExporter fanOut = new FanOutExporter(List.of("jsonl", "otlp"), List.of(exporter("file", got::addAll),
                exporter("refusing", batch -> {
                    throw new java.io.IOException("HTTP 400");
                })), 8192);
        SpanPipeline pipeline = new SpanPipeline(fanOut, 1024, 10, 10);
        fanOut.registerMetrics(pipeline.metrics().registry());
        pipeline.start();
        for (int i = 0; i < 25; i++) {
            pipeline.accept(batch(1).get(0));
        }
        assertTrue(pipeline.shutdown(10_000));
        assertEquals(25, got.size());
        assertEquals(0, pipeline.exported(), "no batch reached both exporters");
        assertEquals(25, pipeline.droppedExportFailed());
        io.mcpobservatory.testing.PrometheusExposition scrape = io.mcpobservatory.testing.PrometheusExposition.parse(
                pipeline.metrics().registry().prometheusText());
        assertEquals(25, scrape.sample("mcp_observatory_exporter_spans_exported_total",
                java.util.Map.of("exporter", "jsonl")).value);
        assertEquals(0, scrape.sample("mcp_observatory_exporter_spans_exported_total",
                java.util.Map.of("exporter", "otlp")).value);
        assertEquals(25, scrape.sample("mcp_observatory_exporter_spans_dropped_total",
                java.util.Map.of("exporter", "otlp", "cause", "export_failed")).value);
        assertEquals(0, scrape.sample("mcp_observatory_exporter_queue_depth", java.util.Map.of("exporter", "otlp")).value);
        String health = io.mcpobservatory.http.HealthReport.json("recording", "svc", "0.1.0", pipeline);
        assertTrue(health.contains("\"exporters\":[{\"name\":\"jsonl\",\"target\":\"file\",\"exported\":25,"
                + "\"dropped_queue_full\":0,\"dropped_export_failed\":0"), health);
        assertTrue(health.contains("{\"name\":\"otlp\",\"target\":\"refusing\",\"exported\":0,"
                + "\"dropped_queue_full\":0,\"dropped_export_failed\":25"), health);
        assertTrue(health.contains("HTTP 400"), health);
    }

    private interface Body {
        void export(List<Span> batch) throws Exception;
    }

    private static SpanExporter exporter(String name, Body body) {
        return new SpanExporter() {
            @Override
            public void export(List<Span> batch) throws java.io.IOException {
                try {
                    body.export(batch);
                } catch (Exception e) {
                    throw new java.io.IOException(e);
                }
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }

    private static List<Span> batch(int size) {
        Span[] spans = new Span[size];
        for (int i = 0; i < size; i++) {
            spans[i] = Span.start(Span.KIND_SERVER, McpMethod.of("ping"), null);
            spans[i].end();
        }
        return List.of(spans);
    }
}
