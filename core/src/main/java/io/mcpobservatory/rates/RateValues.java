package io.mcpobservatory.rates;

import java.util.Arrays;

/**
 * The rates of one row (the service, all tools, one tool) over one window, immutable: safe to hand to any thread. A
 * rate whose basis is empty (no span said a confidence...) is NaN: no data, never judged.
 */
public final class RateValues {

    private final double seconds;
    private final long[] counters;
    private final double[] values;

    RateValues(WindowTotals totals, double seconds) {
        this.seconds = seconds;
        this.counters = totals.counters.clone();
        this.values = new double[Rate.values().length];
        long calls = counters[Tally.CALLS];
        for (Rate rate : Rate.values()) {
            values[rate.ordinal()] = compute(rate, totals, calls);
        }
    }

    private double compute(Rate rate, WindowTotals totals, long calls) {
        switch (rate) {
            case CALLS_PER_SECOND:
                return seconds > 0 ? calls / seconds : 0;
            case ERROR_RATE:
                return ratio(Tally.ERRORS, calls);
            case P50_MS:
                return LatencyScale.quantileMillis(totals.latency, calls, 500);
            case P95_MS:
                return LatencyScale.quantileMillis(totals.latency, calls, 950);
            case P99_MS:
                return LatencyScale.quantileMillis(totals.latency, calls, 990);
            case AVG_COST_USD:
                long costed = counters[Tally.COSTED];
                return costed > 0 ? totals.costUsd / costed : Double.NaN;
            case FALLBACK_RATE:
                return ratio(Tally.FALLBACK, calls);
            case RETRY_RATE:
                return ratio(Tally.RETRIED, calls);
            case LOW_CONFIDENCE_RATE:
                return ratio(Tally.LOW_CONFIDENCE, counters[Tally.CONFIDENCE_KNOWN]);
            case CONFIDENCE_GATE_BLOCK_RATE:
                return ratio(Tally.BLOCKED, counters[Tally.GATED]);
            case PROMPT_DIFF_VIOLATION_RATE:
                return ratio(Tally.PROMPT_DIFF_VIOLATIONS, counters[Tally.PROMPT_DIFF_SCORED]);
            case SHADOW_DISAGREEMENT_RATE:
                return ratio(Tally.SHADOW_DISAGREED, counters[Tally.SHADOWED]);
            case DETERMINISTIC_FALLBACK_RATE:
                return ratio(Tally.DETERMINISTIC_FALLBACK, calls);
            case HIGH_RISK_PATH_RATE:
                return ratio(Tally.HIGH_RISK, calls);
            case GOLDEN_FINANCIAL_FAILURE_RATE:
                return ratio(Tally.GOLDEN_FAILED, counters[Tally.GOLDEN]);
            case SPANS_DROPPED:
                return counters[Tally.DROPPED];
            case EXPORT_FAILURES:
                return counters[Tally.EXPORT_FAILURES];
            default:
                throw new IllegalStateException("no computation for " + rate);
        }
    }

    private double ratio(int counter, long basis) {
        return basis > 0 ? (double) counters[counter] / basis : Double.NaN;
    }

    /** The rate's value; NaN when its basis is empty. */
    public double value(Rate rate) {
        return values[rate.ordinal()];
    }

    /** How many spans {@code rate} is over (what an alert's min-calls is compared with); -1 for the pipeline's counts. */
    public long basis(Rate rate) {
        return rate.basisCounter < 0 ? -1 : counters[rate.basisCounter];
    }

    public long calls() {
        return counters[Tally.CALLS];
    }

    /** The time the window covered, in seconds: less than its length while the agent is younger than it. */
    public double seconds() {
        return seconds;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("RateValues{calls=").append(calls()).append(", seconds=").append(seconds);
        for (Rate rate : Rate.values()) {
            if (!Double.isNaN(values[rate.ordinal()])) {
                out.append(", ").append(rate.text).append('=').append(values[rate.ordinal()]);
            }
        }
        return out.append('}').toString();
    }

    /** For tests: the raw counters. */
    long[] counters() {
        return Arrays.copyOf(counters, counters.length);
    }
}
