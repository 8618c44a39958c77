package io.mcpobservatory.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.testing.PrometheusExposition;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void namesAreTheOpenTelemetryPrometheusExportersOnes() {
        assertEquals("mcp_server_operation_duration_seconds",
                PrometheusText.familyName("mcp.server.operation.duration", "s", Metric.Type.HISTOGRAM));
        assertEquals("mcp_observatory_tokens_total",
                PrometheusText.familyName("mcp.observatory.tokens", "{token}", Metric.Type.COUNTER));
        assertEquals("mcp_observatory_cost_usd_total",
                PrometheusText.familyName("mcp.observatory.cost", "USD", Metric.Type.COUNTER));
        assertEquals("mcp_observatory_queue_depth",
                PrometheusText.familyName("mcp.observatory.queue.depth", "{span}", Metric.Type.GAUGE));
        assertEquals("mcp_observatory_export_lag_seconds",
                PrometheusText.familyName("mcp.observatory.export.lag", "s", Metric.Type.GAUGE));
        assertEquals("gen_ai_tool_name", PrometheusText.labelName("gen_ai.tool.name"));
        assertEquals("_9x_y", PrometheusText.labelName("9x-y"));
    }

    @Test
    void labelValuesAreEscapedAndAbsentAttributesLeftOut() {
        MetricRegistry registry = new MetricRegistry(10);
        Counter counter = registry.counter("test.things", "{thing}", "Things, with a \\ backslash\nand a line.",
                "gen_ai.tool.name", "error.type");
        counter.add(3, "a\\b \"quoted\"\nnext", null);
        counter.add(0.25, "plain", "-32603");
        String text = registry.prometheusText();

        assertTrue(text.contains("# HELP test_things_total Things, with a \\\\ backslash\\nand a line.\n"), text);
        assertTrue(text.contains("# TYPE test_things_total counter\n"), text);
        assertTrue(text.contains("test_things_total{gen_ai_tool_name=\"a\\\\b \\\"quoted\\\"\\nnext\"} 3\n"), text);
        assertTrue(text.contains("test_things_total{gen_ai_tool_name=\"plain\",error_type=\"-32603\"} 0.25\n"), text);

        PrometheusExposition scrape = PrometheusExposition.parse(text);
        assertEquals(3, scrape.sample("test_things_total", Map.of("gen_ai_tool_name", "a\\b \"quoted\"\nnext")).value);
        assertEquals("Things, with a \\ backslash\nand a line.", scrape.help("test_things_total"));
    }

    @Test
    void aMetricWithoutSamplesIsNotWritten() {
        MetricRegistry registry = new MetricRegistry(10);
        registry.histogram("test.empty", "Never recorded.", SpanMetrics.DURATION_BUCKETS_SECONDS, "a");
        registry.counter("test.zero", "{thing}", "Only zero added.", "a").add(0, "x");
        assertEquals("", registry.prometheusText());
    }

    @Test
    void observedMetricsAreReadWhenScraped() {
        MetricRegistry registry = new MetricRegistry(10);
        long[] depth = {7};
        registry.observed("test.depth", "{span}", "Depth.", Metric.Type.GAUGE, null).sample(null, () -> depth[0]);
        registry.observed("test.dropped", "{span}", "Dropped.", Metric.Type.COUNTER, "cause")
                .sample("queue_full", () -> 2).sample("export_failed", () -> 0);
        assertTrue(registry.prometheusText().contains("test_depth 7\n"));
        depth[0] = 9;
        String text = registry.prometheusText();
        assertTrue(text.contains("test_depth 9\n"), text);
        assertTrue(text.contains("# TYPE test_dropped_total counter\ntest_dropped_total{cause=\"queue_full\"} 2\n"
                + "test_dropped_total{cause=\"export_failed\"} 0\n"), text);
        assertFalse(text.contains("_total_total"), text);
    }

    @Test
    void sampleValuesAreWholeWhenWholeAndGoReadableOtherwise() {
        assertEquals("3", PrometheusText.value(3.0));
        assertEquals("0.001", PrometheusText.value(0.001));
        assertEquals("1.0E-7", PrometheusText.value(1e-7));
        assertEquals("+Inf", PrometheusText.value(Double.POSITIVE_INFINITY));
        assertEquals("NaN", PrometheusText.value(Double.NaN));
    }
}
