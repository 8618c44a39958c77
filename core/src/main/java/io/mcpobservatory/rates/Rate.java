package io.mcpobservatory.rates;

import java.util.Locale;

/**
 * The rates of a window, by the names used in alert rules, metrics and {@code /health}. Each is over a number of spans,
 * its basis ({@link RateValues#basis}): the calls for most, the spans that said something for the decision rates (the
 * spans with a confidence, the gated spans...). The pipeline's own counts ({@link #SPANS_DROPPED},
 * {@link #EXPORT_FAILURES}) are the service's only and have no basis.
 */
public enum Rate {
    /** Spans per second over the window. */
    CALLS_PER_SECOND(Tally.CALLS),
    /** Spans with status error / spans. */
    ERROR_RATE(Tally.CALLS),
    /** Latency percentiles in milliseconds (nearest rank; within 12.5 %, see LatencyScale). */
    P50_MS(Tally.CALLS),
    P95_MS(Tally.CALLS),
    P99_MS(Tally.CALLS),
    /** Mean cost_usd of the spans that have one. */
    AVG_COST_USD(Tally.COSTED),
    /** fallback_used true / spans. */
    FALLBACK_RATE(Tally.CALLS),
    /** retries &gt; 0 / spans. */
    RETRY_RATE(Tally.CALLS),
    /** confidence below observatory.rates.low-confidence / spans with a confidence. */
    LOW_CONFIDENCE_RATE(Tally.CONFIDENCE_KNOWN),
    /** confidence gate blocked / spans that went through a gate. */
    CONFIDENCE_GATE_BLOCK_RATE(Tally.GATED),
    /** prompt diff score above observatory.rates.prompt-diff-max / spans with a score. */
    PROMPT_DIFF_VIOLATION_RATE(Tally.PROMPT_DIFF_SCORED),
    /** shadow agreement false / spans with a shadow answer. */
    SHADOW_DISAGREEMENT_RATE(Tally.SHADOWED),
    /** deterministic fallback / spans. */
    DETERMINISTIC_FALLBACK_RATE(Tally.CALLS),
    /** high-risk path / spans. */
    HIGH_RISK_PATH_RATE(Tally.CALLS),
    /** golden scenario failed / spans that ran one. */
    GOLDEN_FINANCIAL_FAILURE_RATE(Tally.GOLDEN),
    /** Spans dropped in the window (queue full or export failed): a count. */
    SPANS_DROPPED(-1),
    /** Export batches that failed in the window: a count. */
    EXPORT_FAILURES(-1);

    /** The rule and label name: the constant in lower case. */
    public final String text;
    /** The {@link Tally} counter this rate is over; -1 for the pipeline's counts. */
    final int basisCounter;

    Rate(int basisCounter) {
        this.text = name().toLowerCase(Locale.ROOT);
        this.basisCounter = basisCounter;
    }

    /** Whether the rate is over spans, so that a window with too few of them is not judged (an alert's min-calls). */
    public boolean hasBasis() {
        return basisCounter >= 0 && this != CALLS_PER_SECOND;
    }

    /** The pipeline's counts exist for the service only, not per tool. */
    public boolean serviceOnly() {
        return basisCounter < 0;
    }

    /** The rate named {@code text} ({@code error_rate}, ...), or null. */
    public static Rate byText(String text) {
        for (Rate rate : values()) {
            if (rate.text.equals(text)) {
                return rate;
            }
        }
        return null;
    }
}
