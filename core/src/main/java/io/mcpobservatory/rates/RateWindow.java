package io.mcpobservatory.rates;

/**
 * The sliding windows: 1 m and 5 m over the fine buckets (one per tick, 5 s), 1 h over the coarse ones (one per
 * {@link #TICKS_PER_COARSE} ticks, 1 m). A window at a moment is the bucket that moment is in, so far, and the
 * {@code buckets} complete ones before it: at each tick, where rates are published, exactly 60 s, 300 s, and 60 to 61
 * minutes (the current minute so far). With a shorter tick (tests only) the windows shrink with it, names unchanged.
 */
public enum RateWindow {
    ONE_MINUTE("1m", false, 12),
    FIVE_MINUTES("5m", false, 60),
    ONE_HOUR("1h", true, 60);

    /** Ticks per coarse bucket. */
    static final int TICKS_PER_COARSE = 12;

    public final String text;
    final boolean coarse;
    /** Complete buckets before the current one. */
    final int buckets;

    RateWindow(String text, boolean coarse, int buckets) {
        this.text = text;
        this.coarse = coarse;
        this.buckets = buckets;
    }

    /** The window named {@code text} ({@code 1m}, {@code 5m}, {@code 1h}), or null. */
    public static RateWindow byText(String text) {
        for (RateWindow window : values()) {
            if (window.text.equals(text)) {
                return window;
            }
        }
        return null;
    }
}
