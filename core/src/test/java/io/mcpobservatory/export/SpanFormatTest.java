package io.mcpobservatory.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpanFormatTest {

    private static String expected(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
                .toString();
    }

    @Test
    void instantsReadAsInstantToStringWritesThem() {
        long now = System.currentTimeMillis() * 1_000_000L;
        long[] cases = {0, 1, -1, 999_999_999, 1_000_000_000, 1_500_000_000, 1_000_001_000, 1_000_000_001,
                -1_000_000_000, -999_000_000, now, now + 120_000, now + 120_000_000, now + 999_999_999,
                Long.MAX_VALUE, Long.MIN_VALUE};
        for (long c : cases) {
            assertEquals(expected(c), SpanFormat.instant(c), "epoch nanos " + c);
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 50_000; i++) {
            long base = now + random.nextLong(-10_000_000_000L, 10_000_000_000L); // neighbouring seconds, cache in use
            long value;
            switch (i % 4) {
                case 0: value = base; break;
                case 1: value = base - Math.floorMod(base, 1_000L); break;       // whole microseconds
                case 2: value = base - Math.floorMod(base, 1_000_000L); break;   // whole milliseconds
                default: value = random.nextLong(); break;                       // any instant, far from the cache
            }
            assertEquals(expected(value), SpanFormat.instant(value), "epoch nanos " + value);
        }
    }

    @Test
    void millisTextIsTheValueOfMillis() {
        long[] cases = {0, 1, 499, 500, 999, 1_000, 1_500, 10_000, 100_000, 1_000_000, 1_234_567, 5_000_000, 5_100_000,
                5_010_000, 5_001_000, 86_400_000_000_000L, -1, -1_500, -5_000_000, Long.MAX_VALUE / 2};
        for (long nanos : cases) {
            assertEquals(SpanFormat.millis(nanos), Double.parseDouble(SpanFormat.millisText(nanos)), "nanos " + nanos);
        }
        assertEquals("5.0", SpanFormat.millisText(5_000_000));
        assertEquals("12.345", SpanFormat.millisText(12_345_000));
        assertEquals("0.05", SpanFormat.millisText(50_000));
        assertEquals("0.001", SpanFormat.millisText(1_000));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            long nanos = random.nextLong(0, 3_600_000_000_000L);
            String text = SpanFormat.millisText(nanos);
            assertEquals(SpanFormat.millis(nanos), Double.parseDouble(text), "nanos " + nanos);
            if (SpanFormat.millis(nanos) < 1e7) {
                assertEquals(Double.toString(SpanFormat.millis(nanos)), text, "nanos " + nanos);
            }
        }
    }
}
