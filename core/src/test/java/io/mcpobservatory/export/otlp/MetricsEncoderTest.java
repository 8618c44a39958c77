package io.mcpobservatory.export.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.metrics.Metric;
import io.mcpobservatory.metrics.MetricRegistry;
import io.mcpobservatory.metrics.SpanMetrics;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The registry's metrics as OTLP, read back with the official classes: cumulative sums, gauges, histograms. */
class MetricsEncoderTest {

    @Test
    void histogramsCountersAndGaugesReadBack() throws Exception {
        MetricRegistry registry = new MetricRegistry(100);
        SpanMetrics metrics = new SpanMetrics(registry);
        long[] durations = {5_000_000, 10_000_000, 15_000_000, 3_000_000_000L}; // 5 ms, 10 ms (on the bound), 15 ms, 3 s
        for (long nanos : durations) {
            Span span = Span.start(Span.KIND_SERVER, McpMethod.of("tools/call"), null);
            span.toolName = "add";
            span.transport = "stdio";
            span.protocolVersion = "2025-06-18";
            span.promptTokens = 10;
            span.end();
            span.endNanos = span.startNanos + nanos;
            metrics.record(span);
        }
        registry.observed("test.queue.depth", "{span}", "A gauge.", Metric.Type.GAUGE, null).sample(null, () -> 7);

        MetricsEncoder encoder = new MetricsEncoder(Map.of("service.name", "calc"), "1.0", 1_000);
        int points = encoder.encode(registry, 2_000);
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(
                Arrays.copyOf(encoder.buffer(), encoder.size()));
        List<io.opentelemetry.proto.metrics.v1.Metric> all = request.getResourceMetrics(0).getScopeMetrics(0)
                .getMetricsList();
        Map<String, io.opentelemetry.proto.metrics.v1.Metric> byName = all.stream()
                .collect(Collectors.toMap(io.opentelemetry.proto.metrics.v1.Metric::getName, m -> m));
        assertEquals(all.size(), byName.size(), "each metric once");
        assertEquals(points, all.stream().mapToInt(m -> m.getSum().getDataPointsCount()
                + m.getGauge().getDataPointsCount() + m.getHistogram().getDataPointsCount()).sum());

        io.opentelemetry.proto.metrics.v1.Metric duration = byName.get("mcp.server.operation.duration");
        assertEquals("s", duration.getUnit());
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                duration.getHistogram().getAggregationTemporality());
        HistogramDataPoint point = duration.getHistogram().getDataPoints(0);
        assertEquals(4, point.getCount());
        assertEquals(3.03, point.getSum(), 1e-9);
        assertEquals(List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0),
                point.getExplicitBoundsList());
        assertEquals(15, point.getBucketCountsCount());
        assertEquals(2, point.getBucketCounts(0), "5 ms and 10 ms (le is inclusive)");
        assertEquals(1, point.getBucketCounts(1));
        assertEquals(1, point.getBucketCounts(8), "3 s in (2, 5]");
        assertEquals(1_000, point.getStartTimeUnixNano());
        assertEquals(2_000, point.getTimeUnixNano());
        Map<String, String> attributes = point.getAttributesList().stream()
                .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
        assertEquals("tools/call", attributes.get("mcp.method.name"));
        assertEquals("add", attributes.get("gen_ai.tool.name"));
        assertEquals("pipe", attributes.get("network.transport"));

        io.opentelemetry.proto.metrics.v1.Metric tokens = byName.get("mcp.observatory.tokens");
        assertTrue(tokens.getSum().getIsMonotonic());
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, tokens.getSum().getAggregationTemporality());
        NumberDataPoint input = tokens.getSum().getDataPointsList().stream().filter(p -> p.getAttributesList().stream()
                .anyMatch(kv -> kv.getValue().getStringValue().equals("input"))).findFirst().orElseThrow();
        assertEquals(40.0, input.getAsDouble());

        assertEquals(7.0, byName.get("test.queue.depth").getGauge().getDataPoints(0).getAsDouble());
        assertTrue(byName.get("test.queue.depth").getGauge().getDataPoints(0).getAttributesList().isEmpty());
    }
}
