package io.mcpobservatory.bootstrap;

/**
 * What the enrichment API ({@code io.mcpobservatory.api.McpObservatory}, an artifact of its own in the application's class
 * path) calls: it finds this class in the boot loader by name and calls these methods through method handles, so the
 * application never links against the agent, and works unchanged without it.
 *
 * <p>Spans travel as {@code Object}: the API hands back what {@link #current} returned. Every method validates its input
 * (non-finite numbers, negative counts, null or empty keys are ignored; confidence is clamped to [0, 1]; text is cut at
 * {@link Span#MAX_TEXT_CHARS}), stores a raw value and returns: nothing here blocks, formats or throws on bad input.
 * Values given after the span ended (the request has answered and the span is on its way to the exporter) are ignored.
 *
 * <p>The decision flags of the original MCP Observatory are attributes with the stable names below, from which the
 * rates (confidence gate blocks, prompt diff violations, shadow disagreements, high-risk paths, golden scenario failures,
 * deterministic fallbacks) are computed per tool from spans.
 */
public final class Enrichment {

    private static final String PREFIX = "mcp.observatory.";
    /** Double: the confidence a gate required. */
    public static final String CONFIDENCE_GATE_THRESHOLD = PREFIX + "confidence_gate.threshold";
    /** Boolean: whether the gate blocked the answer (confidence below the threshold). */
    public static final String CONFIDENCE_GATE_BLOCKED = PREFIX + "confidence_gate.blocked";
    /** Boolean true: the request took a path the application calls high-risk. */
    public static final String HIGH_RISK_PATH = PREFIX + "high_risk_path";
    /** Double: how far the prompt sent differed from its reviewed version. */
    public static final String PROMPT_DIFF_SCORE = PREFIX + "prompt_diff_score";
    /** Boolean: whether a shadow model's answer agreed with the one given. */
    public static final String SHADOW_AGREEMENT = PREFIX + "shadow_agreement";
    /** Boolean: whether the golden scenario this request ran passed. */
    public static final String GOLDEN_SCENARIO_PASSED = PREFIX + "golden_scenario.passed";
    /** Boolean true: the answer came from a deterministic (rule-based) fallback; {@code fallback_used} is set too. */
    public static final String DETERMINISTIC_FALLBACK = PREFIX + "fallback.deterministic";

    private Enrichment() {
    }

    /** Whether the agent records: false before its pipeline is installed and while it is switched off. */
    public static boolean active() {
        return Bridge.active();
    }

    /** The span whose handler runs on this thread, if the agent records and it has not ended; else null. */
    public static Object current() {
        Span span = Bridge.active() ? CurrentSpan.get() : null;
        return span == null || span.isEnded() ? null : span;
    }

    public static void retries(Object span, int retries) {
        Span target = open(span);
        if (target != null && retries >= 0) {
            target.retries = retries;
        }
    }

    public static void fallbackUsed(Object span, boolean used) {
        Span target = open(span);
        if (target != null) {
            target.fallbackUsed = used;
        }
    }

    /** A finite confidence, clamped to [0, 1]. */
    public static void confidence(Object span, double confidence) {
        Span target = open(span);
        if (target != null && Double.isFinite(confidence)) {
            target.confidence = Math.max(0.0, Math.min(1.0, confidence));
        }
    }

    public static void attribute(Object span, String key, String value) {
        if (value != null) {
            put(span, key, Span.limit(value));
        }
    }

    public static void attribute(Object span, String key, long value) {
        put(span, key, value);
    }

    public static void attribute(Object span, String key, double value) {
        if (Double.isFinite(value)) {
            put(span, key, value);
        }
    }

    public static void attribute(Object span, String key, boolean value) {
        put(span, key, value);
    }

    public static void confidenceGate(Object span, double threshold, boolean blocked) {
        attribute(span, CONFIDENCE_GATE_THRESHOLD, threshold);
        put(span, CONFIDENCE_GATE_BLOCKED, blocked);
    }

    public static void highRiskPath(Object span) {
        put(span, HIGH_RISK_PATH, Boolean.TRUE);
    }

    public static void promptDiffScore(Object span, double score) {
        attribute(span, PROMPT_DIFF_SCORE, score);
    }

    public static void shadowAgreement(Object span, boolean agreed) {
        put(span, SHADOW_AGREEMENT, agreed);
    }

    public static void goldenScenario(Object span, boolean passed) {
        put(span, GOLDEN_SCENARIO_PASSED, passed);
    }

    public static void deterministicFallback(Object span) {
        fallbackUsed(span, true);
        put(span, DETERMINISTIC_FALLBACK, Boolean.TRUE);
    }

    /** Makes {@code span} (from {@link #current}, maybe on another thread) current here; returns what was. */
    public static Object enter(Object span) {
        return span instanceof Span ? CurrentSpan.enter((Span) span) : CurrentSpan.get();
    }

    /** Undoes {@link #enter}: {@code previous} is current again (nothing, when it is null). */
    public static void exit(Object previous) {
        CurrentSpan.restore(previous instanceof Span ? (Span) previous : null);
    }

    /** Sets an attribute of an open span: for the agent's own attributes ({@code exception.type}) as for the API's. */
    static void put(Object span, String key, Object value) {
        Span target = open(span);
        if (target == null || key == null || key.isEmpty()) {
            return;
        }
        SpanAttributes attributes = target.attributes;
        if (attributes == null) {
            attributes = new SpanAttributes();
            target.attributes = attributes;
        }
        attributes.put(Span.limit(key), value);
    }

    /** The span, if it is one and still open to values. */
    private static Span open(Object span) {
        return span instanceof Span && !((Span) span).isEnded() ? (Span) span : null;
    }
}
