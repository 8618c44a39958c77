package io.mcpobservatory.rates;

import io.mcpobservatory.bootstrap.Enrichment;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.SpanAttributes;

/**
 * The counters a bucket keeps, and which of them a span increments: read once per span, as a bit set, then applied to
 * each row the span counts in (the service, the tools, its tool). Each counter is a numerator or a denominator of a
 * {@link Rate}.
 */
final class Tally {

    static final int CALLS = 0;
    static final int ERRORS = 1;
    /** Spans with a cost (cost_usd known): the denominator of avg_cost_usd. */
    static final int COSTED = 2;
    static final int FALLBACK = 3;
    static final int RETRIED = 4;
    static final int CONFIDENCE_KNOWN = 5;
    static final int LOW_CONFIDENCE = 6;
    /** Spans that went through a confidence gate (its blocked flag set, either way). */
    static final int GATED = 7;
    static final int BLOCKED = 8;
    static final int PROMPT_DIFF_SCORED = 9;
    static final int PROMPT_DIFF_VIOLATIONS = 10;
    static final int SHADOWED = 11;
    static final int SHADOW_DISAGREED = 12;
    static final int DETERMINISTIC_FALLBACK = 13;
    static final int HIGH_RISK = 14;
    static final int GOLDEN = 15;
    static final int GOLDEN_FAILED = 16;
    /** Pipeline counters, added per tick to the service row only (not from spans). */
    static final int DROPPED = 17;
    static final int EXPORT_FAILURES = 18;
    static final int COUNTERS = 19;

    private static final String DECISION_PREFIX = "mcp.observatory.";

    private Tally() {
    }

    /** The counters {@code span} increments, as bits ({@code 1 << counter}); {@link #CALLS} always. */
    static int flags(Span span, RateSettings settings) {
        int flags = bit(CALLS);
        if (Span.STATUS_ERROR.equals(span.status)) {
            flags |= bit(ERRORS);
        }
        if (span.costUsd != null && Double.isFinite(span.costUsd)) {
            flags |= bit(COSTED);
        }
        if (Boolean.TRUE.equals(span.fallbackUsed)) {
            flags |= bit(FALLBACK);
        }
        if (span.retries > 0) {
            flags |= bit(RETRIED);
        }
        Double confidence = span.confidence;
        if (confidence != null) {
            flags |= bit(CONFIDENCE_KNOWN);
            if (confidence < settings.lowConfidence()) {
                flags |= bit(LOW_CONFIDENCE);
            }
        }
        SpanAttributes attributes = span.attributes;
        return attributes == null ? flags : flags | decisions(attributes, settings);
    }

    /**
     * The decision flags among the application's attributes ({@link Enrichment}'s names). A value of another type than
     * the API writes (an application that set the name through {@code attribute(key, "yes")}) counts as not said.
     */
    private static int decisions(SpanAttributes attributes, RateSettings settings) {
        int flags = 0;
        int size = attributes.size();
        for (int i = 0; i < size; i++) {
            String key = attributes.key(i);
            if (key == null || !key.startsWith(DECISION_PREFIX)) {
                continue;
            }
            Object value = attributes.value(i);
            switch (key) {
                case Enrichment.CONFIDENCE_GATE_BLOCKED:
                    flags |= yesNo(value, GATED, BLOCKED, true);
                    break;
                case Enrichment.SHADOW_AGREEMENT:
                    flags |= yesNo(value, SHADOWED, SHADOW_DISAGREED, false);
                    break;
                case Enrichment.GOLDEN_SCENARIO_PASSED:
                    flags |= yesNo(value, GOLDEN, GOLDEN_FAILED, false);
                    break;
                case Enrichment.HIGH_RISK_PATH:
                    flags |= Boolean.TRUE.equals(value) ? bit(HIGH_RISK) : 0;
                    break;
                case Enrichment.DETERMINISTIC_FALLBACK:
                    flags |= Boolean.TRUE.equals(value) ? bit(DETERMINISTIC_FALLBACK) : 0;
                    break;
                case Enrichment.PROMPT_DIFF_SCORE:
                    if (value instanceof Number) {
                        double score = ((Number) value).doubleValue();
                        flags |= bit(PROMPT_DIFF_SCORED)
                                | (score > settings.promptDiffMax() ? bit(PROMPT_DIFF_VIOLATIONS) : 0);
                    }
                    break;
                default:
                    break;
            }
        }
        return flags;
    }

    /** A boolean flag: {@code known} when it is one, and {@code counted} too when it equals {@code countedWhen}. */
    private static int yesNo(Object value, int known, int counted, boolean countedWhen) {
        if (!(value instanceof Boolean)) {
            return 0;
        }
        return bit(known) | ((Boolean) value == countedWhen ? bit(counted) : 0);
    }

    static int bit(int counter) {
        return 1 << counter;
    }
}
