package io.mcpobservatory.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.testing.PrometheusExposition;
import io.mcpobservatory.testing.PrometheusExposition.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DurationHistogramTest {

    private static final String NAME = "test_duration_seconds";
    private static final long SECOND = 1_000_000_000L;

    private final MetricRegistry registry = new MetricRegistry(100);
    private final DurationHistogram histogram = registry.histogram("test.duration", "A test histogram.",
            SpanMetrics.DURATION_BUCKETS_SECONDS, "mcp.method.name");

    @Test
    void aValueOnABoundGoesIntoThatBoundsBucket() {
        histogram.record(10_000_000L, "on"); // exactly 0.01 s: le is inclusive
        histogram.record(10_000_001L, "above"); // one nanosecond more: the next bucket
        histogram.record(300 * SECOND, "last"); // exactly the last bound
        histogram.record(300 * SECOND + 1, "past"); // only +Inf
        histogram.record(0, "zero");
        histogram.record(-5, "negative"); // a clock step back counts as 0

        PrometheusExposition scrape = PrometheusExposition.parse(registry.prometheusText());
        assertEquals(1, bucket(scrape, "on", "0.01"));
        assertEquals(0, bucket(scrape, "above", "0.01"));
        assertEquals(1, bucket(scrape, "above", "0.02"));
        assertEquals(0, bucket(scrape, "last", "120.0"));
        assertEquals(1, bucket(scrape, "last", "300.0"));
        assertEquals(0, bucket(scrape, "past", "300.0"));
        assertEquals(1, bucket(scrape, "past", "+Inf"));
        assertEquals(1, bucket(scrape, "zero", "0.01"));
        assertEquals(1, bucket(scrape, "negative", "0.01"));
        assertEquals(0.0, scrape.sample(NAME + "_sum", Map.of("mcp_method_name", "negative")).value);
        assertEquals(300.000000001, scrape.sample(NAME + "_sum", Map.of("mcp_method_name", "past")).value, 1e-12);
    }

    @Test
    void bucketsAreCumulativeWithTheConventionsBoundsAndInfEqualsCount() {
        long[] nanos = {5_000_000, 15_000_000, 15_000_000, 700_000_000, 2 * SECOND, 400 * SECOND};
        for (long value : nanos) {
            histogram.record(value, "tools/call");
        }
        PrometheusExposition scrape = PrometheusExposition.parse(registry.prometheusText());
        assertEquals("histogram", scrape.type(NAME));
        assertEquals("A test histogram.", scrape.help(NAME));
        List<Sample> buckets = scrape.samples(NAME + "_bucket", s -> true);
        List<String> bounds = new ArrayList<>();
        for (Sample bucket : buckets) {
            bounds.add(bucket.label("le"));
        }
        assertEquals(List.of("0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1.0", "2.0", "5.0", "10.0", "30.0", "60.0",
                "120.0", "300.0", "+Inf"), bounds);
        double[] expected = {1, 3, 3, 3, 3, 3, 4, 5, 5, 5, 5, 5, 5, 5, 6};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], buckets.get(i).value, "bucket le=" + bounds.get(i));
        }
        Map<String, String> labels = Map.of("mcp_method_name", "tools/call");
        assertEquals(6, scrape.sample(NAME + "_count", labels).value);
        assertEquals(402.735, scrape.sample(NAME + "_sum", labels).value, 1e-9);
    }

    @Test
    void aScrapeWhileTheDrainerRecordsIsAlwaysSelfConsistent() throws Exception {
        int values = 200_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread scraper = new Thread(() -> {
            try {
                double lastCount = 0;
                while (lastCount < values) {
                    PrometheusExposition scrape = PrometheusExposition.parse(registry.prometheusText());
                    List<Sample> buckets = scrape.samples(NAME + "_bucket", s -> true);
                    if (buckets.isEmpty()) {
                        continue;
                    }
                    for (int i = 1; i < buckets.size(); i++) {
                        assertTrue(buckets.get(i).value >= buckets.get(i - 1).value, "cumulative: " + buckets);
                    }
                    double count = scrape.samples(NAME + "_count", s -> true).get(0).value;
                    assertEquals(buckets.get(buckets.size() - 1).value, count, "+Inf == _count");
                    assertTrue(count >= lastCount, "a count never goes down");
                    lastCount = count;
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        scraper.start();
        for (int i = 0; i < values; i++) {
            histogram.record((i % 1000) * 1_000_000L, "ping"); // 0 to 999 ms
        }
        scraper.join(60_000);
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        PrometheusExposition scrape = PrometheusExposition.parse(registry.prometheusText());
        assertEquals(values, scrape.sample(NAME + "_count", Map.of("mcp_method_name", "ping")).value);
        // 0..10 ms: 11 values of each 1000
        assertEquals(values / 1000 * 11, bucket(scrape, "ping", "0.01"));
    }

    private static double bucket(PrometheusExposition scrape, String method, String le) {
        return scrape.sample(NAME + "_bucket", Map.of("mcp_method_name", method, "le", le)).value;
    }
}
