package io.mcpobservatory.rates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.bootstrap.Enrichment;
import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The windows, with time passed in: no sleeping, no wall clock. */
class RateRecorderTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long ORIGIN = 1_000 * SECOND; // any nanoTime value
    private final RateRecorder rates = new RateRecorder(RateSettings.DEFAULTS, ORIGIN);

    static Span call(String tool, boolean failed, long durationNanos) {
        Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        span.toolName = tool;
        if (failed) {
            span.failRpc(-32603, "boom");
        }
        span.end();
        span.endNanos = span.startNanos + durationNanos;
        return span;
    }

    private static long at(long seconds) {
        return ORIGIN + seconds * SECOND;
    }

    private RatesSnapshot publish(long seconds) {
        return rates.publish(at(seconds), 0, 0);
    }

    @Test
    void spansLeaveEachWindowWhenItHasPassedThem() {
        for (int i = 0; i < 10; i++) {
            rates.record(call("search", i < 4, 2_000_000), at(2)); // 4 of 10 fail, at 2 s
        }
        for (int i = 0; i < 10; i++) {
            rates.record(call("search", false, 2_000_000), at(100)); // 10 fine ones at 100 s
        }
        RatesSnapshot at100 = publish(100);
        assertEquals(10, at100.service(RateWindow.ONE_MINUTE).calls(), "the first ten are 98 s old");
        assertEquals(0.0, at100.service(RateWindow.ONE_MINUTE).value(Rate.ERROR_RATE));
        assertEquals(20, at100.service(RateWindow.FIVE_MINUTES).calls());
        assertEquals(0.2, at100.service(RateWindow.FIVE_MINUTES).value(Rate.ERROR_RATE), 1e-12);
        assertEquals(0.2, at100.tool("search", RateWindow.ONE_HOUR).value(Rate.ERROR_RATE), 1e-12);

        RatesSnapshot at400 = publish(410);
        assertEquals(0, at400.service(RateWindow.FIVE_MINUTES).calls(), "more than 300 s ago");
        assertTrue(Double.isNaN(at400.service(RateWindow.FIVE_MINUTES).value(Rate.ERROR_RATE)), "no calls: no data");
        assertEquals(20, at400.service(RateWindow.ONE_HOUR).calls());

        RatesSnapshot later = publish(3_600 + 200);
        assertEquals(0, later.service(RateWindow.ONE_HOUR).calls(), "an hour and more ago");
        assertNull(later.tool("search", RateWindow.ONE_HOUR), "a tool with no call in the hour loses its row");
        assertEquals(List.of(), later.tools());
    }

    @Test
    void aWindowIsItsCompleteBucketsAndTheCurrentOneSoFar() {
        rates.record(call("a", false, 1_000_000), at(0));
        rates.record(call("a", false, 1_000_000), at(59)); // in the bucket of 55..60 s
        RatesSnapshot atTick = publish(60); // a tick: the 12 buckets of 0..60 s, exactly a minute
        assertEquals(60.0, atTick.service(RateWindow.ONE_MINUTE).seconds(), 1e-9);
        assertEquals(2, atTick.service(RateWindow.ONE_MINUTE).calls());
        assertEquals(2 / 60.0, atTick.service(RateWindow.ONE_MINUTE).value(Rate.CALLS_PER_SECOND), 1e-12);
        assertEquals(60.0, atTick.service(RateWindow.FIVE_MINUTES).seconds(), 1e-9, "no older than the recorder");

        RatesSnapshot between = publish(63); // 3 s into the bucket of 60 s: the window is 63 s until the next tick
        assertEquals(63.0, between.service(RateWindow.ONE_MINUTE).seconds(), 1e-9);
        assertEquals(2, between.service(RateWindow.ONE_MINUTE).calls());

        RatesSnapshot nextTick = publish(65); // 5..65 s: the bucket of 0 s has left
        assertEquals(60.0, nextTick.service(RateWindow.ONE_MINUTE).seconds(), 1e-9);
        assertEquals(1, nextTick.service(RateWindow.ONE_MINUTE).calls());

        RatesSnapshot hour = publish(3_630); // minutes 0..59 complete, and 30 s of minute 60
        assertEquals(3_630.0, hour.service(RateWindow.ONE_HOUR).seconds(), 1e-9);
        assertEquals(2, hour.service(RateWindow.ONE_HOUR).calls());
        RatesSnapshot nextMinute = publish(3_660); // minutes 1..60 complete, minute 61 just begun
        assertEquals(3_600.0, nextMinute.service(RateWindow.ONE_HOUR).seconds(), 1e-9);
        assertEquals(0, nextMinute.service(RateWindow.ONE_HOUR).calls(), "minute 0 has left the hour");
    }

    @Test
    void latencyPercentilesPerTool() {
        for (int i = 1; i <= 100; i++) {
            rates.record(call("slow", false, i * 10_000_000L), at(1)); // 10 ms .. 1 s
            rates.record(call("fast", false, 500_000), at(1));
        }
        RatesSnapshot snapshot = publish(5);
        RateValues slow = snapshot.tool("slow", RateWindow.ONE_MINUTE);
        assertEquals(500, slow.value(Rate.P50_MS), 500 * 0.125);
        assertEquals(950, slow.value(Rate.P95_MS), 950 * 0.125);
        assertEquals(990, slow.value(Rate.P99_MS), 990 * 0.125);
        assertEquals(0.5, snapshot.tool("fast", RateWindow.ONE_MINUTE).value(Rate.P99_MS), 0.5 * 0.125);
        assertEquals(200, snapshot.allTools(RateWindow.ONE_MINUTE).calls());
        assertEquals(100 / 5.0, slow.value(Rate.CALLS_PER_SECOND), 1e-9, "100 calls in the 5 s since the start");
    }

    @Test
    void decisionRatesCountTheSpansThatSaidSomething() {
        for (int i = 0; i < 20; i++) {
            Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
            span.toolName = "answer";
            if (i < 10) {
                Enrichment.confidence(span, i < 3 ? 0.2 : 0.9); // 3 low of 10 known
                Enrichment.confidenceGate(span, 0.5, i < 2); // 2 blocked of 10 gated
                Enrichment.promptDiffScore(span, i < 5 ? 0.5 : 0.1); // 5 over 0.2 of 10 scored
                Enrichment.shadowAgreement(span, i != 0); // 1 disagreement of 10
                Enrichment.goldenScenario(span, i >= 4); // 4 failures of 10
            }
            if (i % 4 == 0) {
                Enrichment.deterministicFallback(span); // 5 of 20, and a fallback each
            }
            if (i % 5 == 0) {
                Enrichment.highRiskPath(span); // 4 of 20
                Enrichment.retries(span, 2); // 4 of 20
            }
            Enrichment.attribute(span, Enrichment.HIGH_RISK_PATH + "x", true); // a different key: no effect
            span.costUsd = i < 10 ? 0.002 : null;
            span.end();
            rates.record(span, at(1));
        }
        RateValues values = publish(5).tool("answer", RateWindow.FIVE_MINUTES);
        assertEquals(0.3, values.value(Rate.LOW_CONFIDENCE_RATE), 1e-12);
        assertEquals(10, values.basis(Rate.LOW_CONFIDENCE_RATE));
        assertEquals(0.2, values.value(Rate.CONFIDENCE_GATE_BLOCK_RATE), 1e-12);
        assertEquals(0.5, values.value(Rate.PROMPT_DIFF_VIOLATION_RATE), 1e-12);
        assertEquals(0.1, values.value(Rate.SHADOW_DISAGREEMENT_RATE), 1e-12);
        assertEquals(0.4, values.value(Rate.GOLDEN_FINANCIAL_FAILURE_RATE), 1e-12);
        assertEquals(10, values.basis(Rate.GOLDEN_FINANCIAL_FAILURE_RATE));
        assertEquals(0.25, values.value(Rate.DETERMINISTIC_FALLBACK_RATE), 1e-12);
        assertEquals(0.25, values.value(Rate.FALLBACK_RATE), 1e-12);
        assertEquals(0.2, values.value(Rate.HIGH_RISK_PATH_RATE), 1e-12);
        assertEquals(0.2, values.value(Rate.RETRY_RATE), 1e-12);
        assertEquals(0.002, values.value(Rate.AVG_COST_USD), 1e-12, "over the spans with a cost");
        assertEquals(10, values.basis(Rate.AVG_COST_USD));
        assertEquals(20, values.basis(Rate.ERROR_RATE));
    }

    @Test
    void thresholdsOfLowConfidenceAndPromptDiffAreSettings() {
        RateRecorder strict = new RateRecorder(new RateSettings(0.95, 0.0, 10, SECOND), ORIGIN);
        Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        Enrichment.confidence(span, 0.9);
        Enrichment.promptDiffScore(span, 0.01);
        span.end();
        strict.record(span, at(0));
        RateValues values = strict.publish(at(1), 0, 0).service(RateWindow.ONE_MINUTE);
        assertEquals(1.0, values.value(Rate.LOW_CONFIDENCE_RATE));
        assertEquals(1.0, values.value(Rate.PROMPT_DIFF_VIOLATION_RATE));
        assertEquals(0, publish(1).service(RateWindow.ONE_MINUTE).calls(), "the other recorder saw nothing");
    }

    @Test
    void toolRowsAreCappedAndTheRestShareOneRow() {
        RateRecorder capped = new RateRecorder(new RateSettings(0.5, 0.2, 3, 5 * SECOND), ORIGIN);
        for (int i = 0; i < 50; i++) {
            capped.record(call("tool-" + i, false, 1_000), at(1));
        }
        capped.record(call("tool-1", false, 1_000), at(1));
        capped.record(call("x".repeat(1000), false, 1_000), at(1));
        RatesSnapshot snapshot = capped.publish(at(2), 0, 0);
        assertEquals(List.of("tool-0", "tool-1", "tool-2"), snapshot.tools());
        assertEquals(2, snapshot.tool("tool-1", RateWindow.ONE_MINUTE).calls());
        assertEquals(48, snapshot.otherTools(RateWindow.ONE_MINUTE).calls());
        assertEquals(52, snapshot.allTools(RateWindow.ONE_MINUTE).calls());
    }

    @Test
    void onlyServerToolCallsHaveToolRowsAndEverySpanCountsForTheService() {
        Span clientCall = call("remote", false, 1_000);
        clientCall.kind = Span.KIND_CLIENT;
        rates.record(clientCall, at(1));
        rates.record(call(null, false, 1_000), at(1)); // a call without a tool name: all tools only
        Span ping = Span.start(Span.KIND_SERVER, McpMethod.PING, null);
        ping.end();
        rates.record(ping, at(1));
        RatesSnapshot snapshot = publish(2);
        assertEquals(3, snapshot.service(RateWindow.ONE_MINUTE).calls());
        assertEquals(1, snapshot.allTools(RateWindow.ONE_MINUTE).calls());
        assertEquals(List.of(), snapshot.tools());
        assertNull(snapshot.otherTools(RateWindow.ONE_MINUTE));
    }

    @Test
    void thePipelinesDropsAndFailuresAreCountedPerWindow() {
        publish(0);
        rates.publish(at(10), 7, 1); // 7 dropped and 1 failure since start, seen at 10 s
        RatesSnapshot snapshot = rates.publish(at(100), 7 + 3, 1); // 3 more at 100 s
        assertEquals(3, snapshot.service(RateWindow.ONE_MINUTE).value(Rate.SPANS_DROPPED));
        assertEquals(0, snapshot.service(RateWindow.ONE_MINUTE).value(Rate.EXPORT_FAILURES));
        assertEquals(10, snapshot.service(RateWindow.FIVE_MINUTES).value(Rate.SPANS_DROPPED));
        assertEquals(1, snapshot.service(RateWindow.FIVE_MINUTES).value(Rate.EXPORT_FAILURES));
        assertEquals(-1, snapshot.service(RateWindow.FIVE_MINUTES).basis(Rate.SPANS_DROPPED));
    }

    @Test
    void theSnapshotIsPublishedWholeAndNextTicksAreOnTheGrid() {
        assertSame(RatesSnapshot.EMPTY, rates.snapshot());
        assertNull(rates.snapshot().service(RateWindow.ONE_MINUTE));
        RatesSnapshot published = publish(7);
        assertSame(published, rates.snapshot());
        assertEquals(at(10), rates.nextTickNanos(at(7)));
        assertEquals(at(10), rates.nextTickNanos(at(5)));
        assertEquals(at(5), rates.nextTickNanos(at(4)));
    }
}
