package io.mcpobservatory.api;

/**
 * The span of the MCP request being handled, as {@link McpObservatory#current()} found it: what the application says about
 * the request lands on it, in the span's fields ({@code retries}, {@code fallback_used}, {@code confidence}) or in its
 * {@code attributes}. Every method returns this handle, so calls chain:
 *
 * <pre>{@code
 * McpObservatory.current().confidence(0.64).fallbackUsed(true).retries(2).attribute("customer_tier", "gold");
 * }</pre>
 *
 * <p><b>Never throws, never blocks.</b> Bad values are dropped, not reported: a NaN or infinite number, a negative retry
 * count, a null or empty key, a null text. A confidence is clamped to [0, 1]; texts and keys are cut at 2048 characters; a
 * span keeps at most 32 attribute keys (more are ignored; setting a key again replaces its value).
 *
 * <p><b>Without a span</b> (no agent in the JVM, the agent switched off, or no request handled on the calling thread) the
 * handle is a shared no-op instance: every method returns at once and nothing is allocated.
 *
 * <p><b>Bound to its span.</b> The handle keeps the span it was made for: values given through it later, from any thread
 * (a callback of an asynchronous handler's Mono, a task the handler started), land on that span, as long as the request
 * has not answered. After that they are ignored: the span is on its way to the exporter. Keep a handle no longer than its
 * request. Two threads writing one span at the same moment may lose one of the values, never more.
 */
public final class McpSpan {

    /** Returned whenever there is no span to record on. */
    static final McpSpan NOOP = new McpSpan(null);

    /** The agent's span, as an opaque object; null for the no-op instance. */
    private final Object span;

    McpSpan(Object span) {
        this.span = span;
    }

    /** True when values given to this handle are recorded (a span was current when it was made). */
    public boolean isRecording() {
        return span != null;
    }

    /** How many times the application retried to produce the answer (the span's {@code retries}); not negative. */
    public McpSpan retries(int retries) {
        if (span != null) {
            AgentCalls.retries(span, retries);
        }
        return this;
    }

    /** Whether the answer came from a fallback rather than the primary path (the span's {@code fallback_used}). */
    public McpSpan fallbackUsed(boolean used) {
        if (span != null) {
            AgentCalls.fallbackUsed(span, used);
        }
        return this;
    }

    /** How confident the application is in its answer, from 0 to 1 (the span's {@code confidence}). */
    public McpSpan confidence(double confidence) {
        if (span != null) {
            AgentCalls.confidence(span, confidence);
        }
        return this;
    }

    /** An attribute of the application's own, a text, in the span's {@code attributes}. */
    public McpSpan attribute(String key, String value) {
        if (span != null) {
            AgentCalls.attribute(span, key, value);
        }
        return this;
    }

    /** An attribute of the application's own, an integer (a JSON number). */
    public McpSpan attribute(String key, long value) {
        if (span != null) {
            AgentCalls.attribute(span, key, value);
        }
        return this;
    }

    /** An attribute of the application's own, a finite number. */
    public McpSpan attribute(String key, double value) {
        if (span != null) {
            AgentCalls.attribute(span, key, value);
        }
        return this;
    }

    /** An attribute of the application's own, a boolean. */
    public McpSpan attribute(String key, boolean value) {
        if (span != null) {
            AgentCalls.attribute(span, key, value);
        }
        return this;
    }

    /**
     * A confidence gate was evaluated: {@code mcp.observatory.confidence_gate.threshold} (the confidence it required) and
     * {@code mcp.observatory.confidence_gate.blocked} (whether it blocked the answer).
     */
    public McpSpan confidenceGate(double threshold, boolean blocked) {
        if (span != null) {
            AgentCalls.confidenceGate(span, threshold, blocked);
        }
        return this;
    }

    /** The request took a path the application calls high-risk: {@code mcp.observatory.high_risk_path = true}. */
    public McpSpan highRiskPath() {
        if (span != null) {
            AgentCalls.highRiskPath(span);
        }
        return this;
    }

    /** How far the prompt used differs from its reviewed version: {@code mcp.observatory.prompt_diff_score}. */
    public McpSpan promptDiffScore(double score) {
        if (span != null) {
            AgentCalls.promptDiffScore(span, score);
        }
        return this;
    }

    /** Whether a shadow model agreed with the answer given: {@code mcp.observatory.shadow_agreement}. */
    public McpSpan shadowAgreement(boolean agreed) {
        if (span != null) {
            AgentCalls.shadowAgreement(span, agreed);
        }
        return this;
    }

    /** The request ran a golden (reference) scenario, which passed or not: {@code mcp.observatory.golden_scenario.passed}. */
    public McpSpan goldenScenario(boolean passed) {
        if (span != null) {
            AgentCalls.goldenScenario(span, passed);
        }
        return this;
    }

    /**
     * The answer came from a deterministic (rule-based, not model-made) fallback: sets {@code fallback_used} and
     * {@code mcp.observatory.fallback.deterministic = true}.
     */
    public McpSpan deterministicFallback() {
        if (span != null) {
            AgentCalls.deterministicFallback(span);
        }
        return this;
    }

    /** The span, for {@link McpObservatory#wrap}. */
    Object span() {
        return span;
    }
}
