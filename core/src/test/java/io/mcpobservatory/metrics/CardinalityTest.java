package io.mcpobservatory.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.testing.PrometheusExposition;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CardinalityTest {

    private static final String NAME = "test_calls_seconds";

    @Test
    void pastTheCapNewSeriesFoldIntoOneOverflowSeriesAndTheFoldIsCounted() {
        MetricRegistry registry = new MetricRegistry(3);
        DurationHistogram histogram = registry.histogram("test.calls", "Calls.", SpanMetrics.DURATION_BUCKETS_SECONDS,
                "gen_ai.tool.name");
        for (int i = 0; i < 10; i++) {
            histogram.record(1_000_000, "tool-" + i); // 3 series, then 7 folded
        }
        histogram.record(1_000_000, "tool-0"); // a series that exists goes on being updated when the metric is full
        histogram.record(1_000_000, "tool-9"); // a new one folds again

        assertEquals(3, histogram.seriesCount());
        PrometheusExposition scrape = PrometheusExposition.parse(registry.prometheusText());
        assertEquals(2, scrape.sample(NAME + "_count", Map.of("gen_ai_tool_name", "tool-0")).value);
        assertEquals(1, scrape.sample(NAME + "_count", Map.of("gen_ai_tool_name", "tool-2")).value);
        assertEquals(8, scrape.sample(NAME + "_count", Map.of("otel_metric_overflow", "true")).value);
        assertEquals(8, scrape.sample("mcp_observatory_metric_overflow_total",
                Map.of("metric_name", "test.calls")).value);
        assertEquals(0, scrape.samples(NAME + "_count", s -> "tool-3".equals(s.label("gen_ai_tool_name"))).size());
    }

    @Test
    void longValuesAreCutSoASeriesStaysSmall() {
        MetricRegistry registry = new MetricRegistry(10);
        Counter counter = registry.counter("test.tokens", "{token}", "Tokens.", "gen_ai.tool.name");
        String longName = "t".repeat(10_000);
        counter.add(1, longName);
        counter.add(1, longName + "-different-tail"); // the same first 128 characters: the same series
        assertEquals(1, counter.seriesCount());
        PrometheusExposition scrape = PrometheusExposition.parse(registry.prometheusText());
        assertEquals(2, scrape.sample("test_tokens_total",
                Map.of("gen_ai_tool_name", "t".repeat(AttributedMetric.MAX_VALUE_CHARS))).value);
    }

    @Test
    void aHostileFloodOfNamesKeepsTheSeriesBounded() {
        MetricRegistry registry = new MetricRegistry(MetricRegistry.DEFAULT_MAX_SERIES);
        SpanMetrics metrics = new SpanMetrics(registry);
        for (int i = 0; i < 50_000; i++) {
            metrics.record(SpanMetricsTest.serverSpan("tools/call", "made-up-" + i, "stdio"));
        }
        PrometheusExposition scrape = PrometheusExposition.parse(registry.prometheusText());
        int series = scrape.samples("mcp_server_operation_duration_seconds_count", s -> true).size();
        assertEquals(MetricRegistry.DEFAULT_MAX_SERIES + 1, series, "the cap, plus the overflow series");
        assertEquals(50_000 - MetricRegistry.DEFAULT_MAX_SERIES, scrape.sample("mcp_observatory_metric_overflow_total",
                Map.of("metric_name", "mcp.server.operation.duration")).value);
        assertTrue(scrape.sum("mcp_server_operation_duration_seconds_count", s -> true) == 50_000,
                "every span counted, in its series or in the overflow series");
    }
}
