package io.mcpobservatory.rates;

import java.util.concurrent.TimeUnit;

/**
 * What the rates are judged against, and how finely time is cut.
 *
 * @param lowConfidence   a span's confidence below this counts in {@code low_confidence_rate}
 * @param promptDiffMax   a prompt diff score above this counts in {@code prompt_diff_violation_rate}
 * @param maxTools        most tools with rows of their own; further tools share one overflow row
 * @param tickNanos       the width of the fine buckets and how often rates are published and alerts evaluated (5 s;
 *                        shorter only in tests: the windows are 12, 60 and 720 ticks)
 */
public record RateSettings(double lowConfidence, double promptDiffMax, int maxTools, long tickNanos) {

    public static final double DEFAULT_LOW_CONFIDENCE = 0.5;
    public static final double DEFAULT_PROMPT_DIFF_MAX = 0.2;
    public static final int DEFAULT_MAX_TOOLS = 100;
    public static final long DEFAULT_TICK_NANOS = TimeUnit.SECONDS.toNanos(5);

    public static final RateSettings DEFAULTS = new RateSettings(DEFAULT_LOW_CONFIDENCE, DEFAULT_PROMPT_DIFF_MAX,
            DEFAULT_MAX_TOOLS, DEFAULT_TICK_NANOS);

    public RateSettings {
        if (maxTools < 0 || tickNanos <= 0) {
            throw new IllegalArgumentException("maxTools >= 0 and tickNanos > 0: " + maxTools + ", " + tickNanos);
        }
    }
}
