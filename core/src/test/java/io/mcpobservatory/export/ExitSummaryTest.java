package io.mcpobservatory.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mcpobservatory.bootstrap.Span;
import java.util.Random;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.PackedHistogram;
import org.junit.jupiter.api.Test;

class ExitSummaryTest {

    private static Span span(String tool, long micros) {
        Span span = JsonLinesExporterTest.span("tools/call", tool);
        span.endNanos = span.startNanos + micros * 1_000;
        return span;
    }

    @Test
    void aBusyRowReadsTheSameAsOnePackedHistogramOfAllItsLatencies() {
        ExitSummary summary = new ExitSummary();
        PackedHistogram reference = new PackedHistogram(3_600_000_000L, 2);
        Random random = new Random(11);
        int calls = (int) ExitSummary.FLAT_AFTER_CALLS * 3;
        for (int i = 0; i < calls; i++) {
            long micros = (long) Math.exp(random.nextDouble() * 16); // 1 us to ~9 s
            summary.add(span("t", micros));
            reference.recordValue(micros);
        }
        ExitSummary.Row row = summary.toolRow("t");
        assertNotNull(row.flat, "a busy row records into a flat histogram");
        AbstractHistogram latency = row.latency();
        assertEquals(reference.getTotalCount(), latency.getTotalCount());
        for (double percentile : new double[] {1, 50, 95, 99.9}) {
            assertEquals(reference.getValueAtPercentile(percentile), latency.getValueAtPercentile(percentile));
        }
        assertEquals(reference.getMaxValue(), latency.getMaxValue());
    }

    @Test
    void flatHistogramsAreCapped() {
        ExitSummary summary = new ExitSummary();
        int tools = ExitSummary.MAX_FLAT_ROWS + 5;
        for (int i = 0; i < ExitSummary.FLAT_AFTER_CALLS; i++) {
            for (int t = 0; t < tools; t++) {
                summary.add(span("tool-" + t, 100));
            }
        }
        // the method row tools/call is busy first, then the tools in order
        for (int t = 0; t < tools; t++) {
            ExitSummary.Row row = summary.toolRow("tool-" + t);
            if (t < ExitSummary.MAX_FLAT_ROWS - 1) {
                assertNotNull(row.flat, "tool-" + t);
            } else {
                assertNull(row.flat, "tool-" + t);
            }
            assertEquals(ExitSummary.FLAT_AFTER_CALLS, row.latency().getTotalCount());
        }
    }
}
