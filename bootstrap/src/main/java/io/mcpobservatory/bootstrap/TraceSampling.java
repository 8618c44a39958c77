package io.mcpobservatory.bootstrap;

/**
 * The share of traces this agent samples ({@code observatory.sampling.rate}), decided by trace id the way the W3C trace
 * context's random trace id allows: a trace is sampled when the lowest 56 bits of its id are below rate × 2^56. Every
 * agent with the same rate makes the same decision for the same trace, so a trace is kept or dropped whole across a
 * client and its servers; and the decision travels as the {@code sampled} flag of the {@code traceparent} this agent
 * sends ({@link TraceParent#format}), which a receiving agent honours over its own rate.
 *
 * <p>The exporter's sampler (on the drainer) applies it to successful spans; errors and slow spans are kept whatever it
 * says. The rate here is the effective one: the sampler raises it to 1 while the recent error rate is high.
 */
public final class TraceSampling {

    private static final long LOW_56_BITS = (1L << 56) - 1;
    private static final long ALL = 1L << 56;

    /** Traces whose id's low 56 bits are below this are sampled; 2^56 samples every trace. */
    private static volatile long keepBelow = ALL;

    private TraceSampling() {
    }

    /** Sets the effective rate (0 to 1; other values are clamped). */
    public static void rate(double rate) {
        double clamped = Double.isNaN(rate) ? 1 : Math.max(0, Math.min(1, rate));
        keepBelow = clamped >= 1 ? ALL : (long) (clamped * ALL);
    }

    /** Whether the trace of this id is in the sampled share at the current rate. */
    public static boolean sampledByRate(long traceIdLow) {
        return (traceIdLow & LOW_56_BITS) < keepBelow;
    }

    /** The span's trace decision: its caller's {@code sampled} flag when one came with the request, else the rate's. */
    public static boolean sampled(Span span) {
        Boolean byCaller = span.callerSampled;
        return byCaller != null ? byCaller : sampledByRate(span.traceIdLow);
    }
}
