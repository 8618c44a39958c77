package io.mcpobservatory.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.TraceSampling;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sampler's rules, on spans made here, with the drainer's clock in the test's hands. */
class SamplerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private long now = 1_000 * SECOND;
    private final SplittableRandom random = new SplittableRandom(42);

    @AfterEach
    void resetRate() {
        TraceSampling.rate(1); // a static of the bootstrap: other tests expect every trace sampled
    }

    private Sampler sampler(double rate, boolean pings, double maxPerSecond, double adaptive, int sessionFirst) {
        return new Sampler(new Sampler.Settings(rate, SECOND, pings, maxPerSecond, adaptive, sessionFirst),
                () -> now);
    }

    /** A finished span of a new random trace, lasting {@code millis}. */
    private Span span(McpMethod method, long millis, String errorType) {
        Span span = Span.start(Span.KIND_SERVER, method, null);
        span.traceIdLow = random.nextLong();
        span.errorType = errorType;
        span.end();
        span.endNanos = span.startNanos + TimeUnit.MILLISECONDS.toNanos(millis);
        return span;
    }

    @Test
    void aRateKeepsThatShareOfTracesAndEveryErrorAndSlowSpan() {
        Sampler sampler = sampler(0.1, true, 0, 1, 0);
        int kept = 0;
        for (int i = 0; i < 10_000; i++) {
            kept += sampler.keep(span(McpMethod.TOOLS_CALL, 2, null)) ? 1 : 0;
        }
        // binomial(10,000, 0.1): mean 1,000, standard deviation 30; 5 deviations either way
        assertTrue(kept > 850 && kept < 1150, "kept " + kept);
        assertEquals(10_000 - kept, sampler.sampledOut(Sampler.Reason.RATE));
        for (int i = 0; i < 100; i++) {
            assertTrue(sampler.keep(span(McpMethod.TOOLS_CALL, 2, "tool_error")));
            assertTrue(sampler.keep(span(McpMethod.TOOLS_CALL, 1_000, null)), "at keep-slower-than");
        }
    }

    @Test
    void aTraceIsDecidedByItsIdAndTheCallersFlagWins() {
        Sampler sampler = sampler(0.5, true, 0, 1, 0);
        for (int i = 0; i < 200; i++) {
            Span first = span(McpMethod.TOOLS_CALL, 2, null);
            Span sameTrace = span(McpMethod.RESOURCES_READ, 2, null);
            sameTrace.traceIdLow = first.traceIdLow;
            assertEquals(sampler.keep(first), sampler.keep(sameTrace), "a trace is kept or dropped whole");
            Span told = span(McpMethod.TOOLS_CALL, 2, null);
            told.callerSampled = !TraceSampling.sampledByRate(told.traceIdLow);
            assertEquals(told.callerSampled, sampler.keep(told), "the caller's decision, not the rate's");
        }
    }

    @Test
    void pingsAndNotificationsAreNotExportedUnlessAskedOrFailed() {
        Sampler sampler = sampler(1, false, 0, 1, 0);
        assertFalse(sampler.keep(span(McpMethod.PING, 1, null)));
        assertFalse(sampler.keep(span(McpMethod.NOTIFICATION_INITIALIZED, 1, null)));
        assertTrue(sampler.keep(span(McpMethod.PING, 1, "-32603")));
        assertTrue(sampler.keep(span(McpMethod.TOOLS_CALL, 1, null)));
        assertEquals(2, sampler.sampledOut(Sampler.Reason.PING));
        assertTrue(sampler(1, true, 0, 1, 0).keep(span(McpMethod.PING, 1, null)));
    }

    @Test
    void maxPerSecondIsATokenBucketOverSuccessesOnly() {
        Sampler sampler = sampler(1, true, 10, 1, 0);
        int kept = 0;
        for (int i = 0; i < 25; i++) {
            kept += sampler.keep(span(McpMethod.TOOLS_CALL, 1, null)) ? 1 : 0;
        }
        assertEquals(10, kept, "a second's worth");
        assertTrue(sampler.keep(span(McpMethod.TOOLS_CALL, 1, "timeout")), "errors are not limited");
        now += SECOND / 2;
        kept = 0;
        for (int i = 0; i < 25; i++) {
            kept += sampler.keep(span(McpMethod.TOOLS_CALL, 1, null)) ? 1 : 0;
        }
        assertEquals(5, kept, "half a second refills half the bucket");
        assertEquals(35, sampler.sampledOut(Sampler.Reason.LIMIT));
    }

    @Test
    void manyErrorsInTheLastMinuteSampleEveryTraceUntilTheyPass() {
        Sampler sampler = sampler(0, true, 0, 0.05, 0);
        assertFalse(sampler.keep(span(McpMethod.TOOLS_CALL, 1, null)));
        for (int i = 0; i < 30; i++) {
            sampler.keep(span(McpMethod.TOOLS_CALL, 1, i % 3 == 0 ? "tool_error" : null));
        }
        now += SECOND; // judged once a second
        assertTrue(sampler.keep(span(McpMethod.TOOLS_CALL, 1, null)));
        assertTrue(sampler.adaptiveOn());
        assertTrue(TraceSampling.sampledByRate(random.nextLong()), "and the flag sent downstream says so");
        now += 61 * SECOND; // the errors leave the window
        sampler.keep(span(McpMethod.TOOLS_CALL, 1, null));
        now += SECOND;
        assertFalse(sampler.keep(span(McpMethod.TOOLS_CALL, 1, null)));
        assertFalse(sampler.adaptiveOn());
    }

    @Test
    void theFirstRequestsOfEverySessionAreKept() {
        Sampler sampler = sampler(0, true, 0, 1, 3);
        for (String session : new String[] {"a", "b"}) {
            for (int i = 0; i < 5; i++) {
                Span span = span(McpMethod.TOOLS_CALL, 1, null);
                span.sessionId = session;
                assertEquals(i < 3, sampler.keep(span), session + " request " + i);
            }
        }
    }
}
