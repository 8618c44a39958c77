package io.mcpobservatory.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The API in a JVM without the agent (this test's): every call is a no-op on one shared handle, whatever it is given, and
 * costs no allocation. With the agent, the integration tests (EnrichmentApiTest) check what lands on the spans.
 */
class McpObservatoryTest {

    private static final String HUGE = "x".repeat(1_000_000);

    /** Where every handle goes, so that the JIT cannot prove a handle stays local and elide its allocation. */
    private static volatile McpSpan escaped;

    @Test
    void withoutTheAgentTheHandleIsTheSharedNoOp() {
        McpSpan span = McpObservatory.current();
        assertSame(McpSpan.NOOP, span);
        assertSame(span, McpObservatory.current());
        assertFalse(span.isRecording());
        assertFalse(McpObservatory.isActive());
    }

    @Test
    void everyMethodReturnsTheHandleWhateverItIsGiven() {
        McpSpan span = McpObservatory.current();
        assertSame(span, chain(span));
        assertSame(span, span.confidence(Double.NaN).confidence(Double.POSITIVE_INFINITY).confidence(-3)
                .retries(-1).retries(Integer.MIN_VALUE)
                .attribute(null, "v").attribute("", "v").attribute("k", (String) null).attribute(HUGE, HUGE)
                .attribute(null, 1L).attribute(null, Double.NaN).attribute("k", Double.NEGATIVE_INFINITY)
                .attribute(null, true).confidenceGate(Double.NaN, true).promptDiffScore(Double.NaN));
    }

    @Test
    void wrapWithoutASpanIsTheTaskItself() {
        AtomicInteger runs = new AtomicInteger();
        Runnable task = runs::incrementAndGet;
        assertSame(task, McpObservatory.wrap(task));
        McpObservatory.wrap(task).run();
        assertEquals(1, runs.get());
        assertNull(McpObservatory.wrap((Runnable) null));
    }

    @Test
    void wrapOfACallableOrAnExecutorWithoutTheAgentIsItself() throws Exception {
        java.util.concurrent.Callable<String> task = () -> "done";
        assertSame(task, McpObservatory.wrap(task));
        assertEquals("done", McpObservatory.wrap(task).call());
        assertNull(McpObservatory.wrap((java.util.concurrent.Callable<String>) null));
        java.util.concurrent.Executor executor = Runnable::run;
        assertSame(executor, McpObservatory.wrap(executor));
        assertNull(McpObservatory.wrap((java.util.concurrent.Executor) null));
    }

    /**
     * A million chained calls allocate nothing on the calling thread: the bound (256 KB) leaves room for the lookup of
     * the agent that may fall inside the loop (an exception every few seconds) but is a quarter of one byte per call,
     * and any allocation per call is at least 16 bytes.
     */
    @Test
    void callsAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long thread = Thread.currentThread().getId();
        int recording = calls(100_000); // warm-up: classes loaded, code compiled
        long before = threads.getThreadAllocatedBytes(thread);
        recording += calls(1_000_000);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertEquals(0, recording);
        assertTrue(allocated < 256 * 1024, allocated + " bytes allocated by 1,000,000 calls");
    }

    private static int calls(int count) {
        int recording = 0;
        for (int i = 0; i < count; i++) {
            McpSpan span = chain(McpObservatory.current());
            escaped = span;
            if (span.isRecording() || McpObservatory.isActive()) {
                recording++;
            }
        }
        return recording;
    }

    private static McpSpan chain(McpSpan span) {
        return span.confidence(0.64).fallbackUsed(true).retries(2).attribute("customer_tier", "gold")
                .attribute("items", 3L).attribute("score", 0.5).attribute("cached", false)
                .confidenceGate(0.7, true).highRiskPath().promptDiffScore(0.12).shadowAgreement(false)
                .goldenScenario(true).deterministicFallback();
    }
}
