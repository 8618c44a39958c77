package io.mcpobservatory.alerts;

import io.mcpobservatory.rates.RateValues;
import io.mcpobservatory.rates.RateWindow;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One alert: its name (the {@code <name>} of {@code observatory.alert.<name>.*}), its condition, the window it is judged
 * over, its severity, how long after resolving it stays quiet, and the fewest spans a rate must be over to be judged.
 */
public record AlertRule(String name, AlertExpression expression, RateWindow window, Severity severity,
                        long cooldownMillis, int minCalls) {

    public static final RateWindow DEFAULT_WINDOW = RateWindow.FIVE_MINUTES;
    public static final Severity DEFAULT_SEVERITY = Severity.WARNING;
    public static final long DEFAULT_COOLDOWN_MILLIS = TimeUnit.MINUTES.toMillis(10);
    /**
     * Fewer spans than this in the window and a rate is not judged: one failed call out of three is no 33 % error rate
     * worth waking anyone for.
     */
    public static final int DEFAULT_MIN_CALLS = 20;

    /** The rules on unless switched off ({@code observatory.alert.<name>.enabled=false}), by name: their expression. */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("error_rate", "error_rate > 0.05");
        rules.put("p95_ms", "p95_ms > 5000");
        rules.put("spans_dropped", "spans_dropped > 0");
        rules.put("export_failing", "export_failures > 0");
        return java.util.Collections.unmodifiableMap(rules);
    }

    /** The rule with the default window, severity, cooldown and min-calls. */
    public static AlertRule withDefaults(String name, AlertExpression expression) {
        return new AlertRule(name, expression, DEFAULT_WINDOW, DEFAULT_SEVERITY, DEFAULT_COOLDOWN_MILLIS,
                DEFAULT_MIN_CALLS);
    }

    /**
     * Whether {@code values} are enough to judge: the row exists, the rate has data, and for a rate over spans, over at
     * least {@link #minCalls} of them (the pipeline's counts and calls_per_second are always judged).
     */
    boolean judges(RateValues values) {
        if (values == null || Double.isNaN(values.value(expression.rate()))) {
            return false;
        }
        return !expression.rate().hasBasis() || values.basis(expression.rate()) >= minCalls;
    }
}
