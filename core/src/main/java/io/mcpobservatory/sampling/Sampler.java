package io.mcpobservatory.sampling;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.TraceSampling;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Which finished spans are exported, decided on the drainer when a span has ended (so its outcome is known), after the
 * metrics and the summary have counted it. In order:
 * <ol>
 *   <li>a span in error (any {@code error_type}) or slower than {@code keep-slower-than} is kept;</li>
 *   <li>with {@code sampling.ping=false}, pings and notifications are not exported;</li>
 *   <li>the first {@code session-first} requests of every session are kept;</li>
 *   <li>the trace's decision ({@link TraceSampling}: the caller's {@code sampled} flag, else the trace id against the
 *   rate), the rate being raised to 1 while the error rate of the last minute is above {@code adaptive.error-rate};</li>
 *   <li>{@code max-per-second}: a token bucket over what the rules above would export for the rate, excess counted.</li>
 * </ol>
 * One thread (the drainer) decides; the counters are read by others (summary, heartbeat, metrics).
 */
public final class Sampler {

    /** Why a span was not exported. */
    public enum Reason { RATE, PING, LIMIT }

    /** Sessions whose first requests are counted; the least recently seen is forgotten past this. */
    static final int MAX_SESSIONS = 10_000;
    /** The adaptive rule judges a minute with at least this many spans (a single early error is no trend). */
    static final int ADAPTIVE_MIN_SPANS = 20;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final double rate;
    private final long keepSlowerThanNanos;
    private final boolean exportPings;
    private final double maxPerSecond;
    private final double adaptiveErrorRate;
    private final int sessionFirst;
    private final LongSupplier clock;
    /** Whether the adaptive rule can change anything (a rate below 1, a threshold below 1). */
    private final boolean adaptive;

    private final AtomicLong[] sampledOut = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    private final Map<String, int[]> sessionRequests = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
            return size() > MAX_SESSIONS;
        }
    };
    /** The last minute in seconds: spans and errors per second, a ring indexed by second. */
    private final long[] secondOf = new long[60];
    private final int[] spansIn = new int[60];
    private final int[] errorsIn = new int[60];
    /** The second whose slot was last judged: the adaptive rule is judged once a second, not per span. */
    private int lastJudged = -1;
    private volatile boolean adaptiveOn;
    private double tokens;
    private long tokensAt;

    public Sampler(Settings settings, LongSupplier nanoClock) {
        this.rate = settings.rate;
        this.keepSlowerThanNanos = settings.keepSlowerThanNanos;
        this.exportPings = settings.exportPings;
        this.maxPerSecond = settings.maxPerSecond;
        this.adaptiveErrorRate = settings.adaptiveErrorRate;
        this.sessionFirst = settings.sessionFirst;
        this.clock = nanoClock;
        this.adaptive = rate < 1 && adaptiveErrorRate < 1;
        this.tokens = maxPerSecond;
        this.tokensAt = nanoClock.getAsLong();
        TraceSampling.rate(rate);
    }

    /** The sampling settings ({@code observatory.sampling.*}). */
    public static final class Settings {
        final double rate;
        final long keepSlowerThanNanos;
        final boolean exportPings;
        final double maxPerSecond;
        final double adaptiveErrorRate;
        final int sessionFirst;

        /**
         * @param maxPerSecond 0 for no limit
         * @param adaptiveErrorRate above this error rate in the last minute every trace is sampled; 1 or more: never
         */
        public Settings(double rate, long keepSlowerThanNanos, boolean exportPings, double maxPerSecond,
                        double adaptiveErrorRate, int sessionFirst) {
            this.rate = rate;
            this.keepSlowerThanNanos = keepSlowerThanNanos;
            this.exportPings = exportPings;
            this.maxPerSecond = maxPerSecond;
            this.adaptiveErrorRate = adaptiveErrorRate;
            this.sessionFirst = sessionFirst;
        }

        /** Whether these settings export every span (then no sampler is needed at all). */
        public boolean keepsEverything() {
            return rate >= 1 && exportPings && maxPerSecond <= 0;
        }
    }

    /** Whether to export this span; drainer thread only. Counts the ones it drops. */
    public boolean keep(Span span) {
        // the clock and the last minute's counts only when a rule needs them: the default (rate 1, pings left out)
        // costs a few comparisons a span, the drainer's budget being what the application thread pays for in the end
        long now = adaptive || maxPerSecond > 0 ? clock.getAsLong() : 0;
        boolean error = span.errorType != null || Span.STATUS_ERROR.equals(span.status);
        if (adaptive) {
            observe(now, error);
        }
        if (error || span.durationNanos() >= keepSlowerThanNanos) {
            return true;
        }
        if (!exportPings && (span.method == McpMethod.PING || span.method.name.startsWith("notifications/"))) {
            return drop(Reason.PING);
        }
        if (sessionFirst > 0 && span.sessionId != null && firstOfSession(span.sessionId)) {
            return true;
        }
        if (!TraceSampling.sampled(span)) {
            return drop(Reason.RATE);
        }
        return maxPerSecond <= 0 || take(now) || drop(Reason.LIMIT);
    }

    private boolean drop(Reason reason) {
        AtomicLong counter = sampledOut[reason.ordinal()];
        counter.lazySet(counter.get() + 1); // single writer
        return false;
    }

    private boolean firstOfSession(String sessionId) {
        int[] seen = sessionRequests.computeIfAbsent(sessionId, id -> new int[1]);
        return ++seen[0] <= sessionFirst;
    }

    private boolean take(long now) {
        tokens = Math.min(maxPerSecond, tokens + (now - tokensAt) * maxPerSecond / SECOND);
        tokensAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** The last minute's spans and errors, and the effective rate they call for. */
    private void observe(long now, boolean error) {
        long second = now / SECOND;
        int slot = (int) Math.floorMod(second, 60L);
        if (secondOf[slot] != second) {
            secondOf[slot] = second;
            spansIn[slot] = 0;
            errorsIn[slot] = 0;
        }
        spansIn[slot]++;
        if (error) {
            errorsIn[slot]++;
        }
        if (slot != lastJudged) {
            lastJudged = slot;
            judge(second);
        }
    }

    private void judge(long second) {
        long spans = 0;
        long errors = 0;
        for (int i = 0; i < 60; i++) {
            if (second - secondOf[i] < 60) {
                spans += spansIn[i];
                errors += errorsIn[i];
            }
        }
        boolean on = spans >= ADAPTIVE_MIN_SPANS && errors > adaptiveErrorRate * spans;
        if (on != adaptiveOn) {
            adaptiveOn = on;
            TraceSampling.rate(on ? 1 : rate);
        }
    }

    /** Whether the rate is raised to 1 by the adaptive rule now. */
    public boolean adaptiveOn() {
        return adaptiveOn;
    }

    public long sampledOut(Reason reason) {
        return sampledOut[reason.ordinal()].get();
    }

    public long sampledOut() {
        long all = 0;
        for (AtomicLong counter : sampledOut) {
            all += counter.get();
        }
        return all;
    }
}
