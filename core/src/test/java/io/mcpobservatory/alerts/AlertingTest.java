package io.mcpobservatory.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.rates.RateRecorder;
import io.mcpobservatory.rates.RateSettings;
import io.mcpobservatory.rates.RateWindow;
import io.mcpobservatory.rates.RatesSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Alerts judged on real rate windows, time passed in: firing, resolving, the cooldown, flapping, min-calls. The ticks are
 * 1 s, so the 1m window is 12 s.
 */
class AlertingTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final RateRecorder rates = new RateRecorder(new RateSettings(0.5, 0.2, 10, SECOND), 0);
    private final List<AlertEvent> events = new ArrayList<>();
    private long now;

    private Alerting alerting(String name, String expression, long cooldownSeconds, int minCalls) {
        AlertRule rule = new AlertRule(name, AlertExpression.parse(expression), RateWindow.ONE_MINUTE,
                Severity.CRITICAL, TimeUnit.SECONDS.toMillis(cooldownSeconds), minCalls);
        return new Alerting(List.of(rule), events::add);
    }

    /** One second of calls of {@code tool} ({@code failing} of them failing), then a tick: publish and judge. */
    private void second(Alerting alerting, String tool, int calls, int failing) {
        for (int i = 0; i < calls; i++) {
            Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
            span.toolName = tool;
            if (i < failing) {
                span.failRpc(-32603, "boom");
            }
            span.end();
            rates.record(span, now);
        }
        now += SECOND;
        RatesSnapshot snapshot = rates.publish(now, 0, 0);
        alerting.evaluate(snapshot, now);
    }

    @Test
    void firesOnceWhileItHoldsAndResolvesWhenItNoLongerDoes() {
        Alerting alerting = alerting("search_errors", "error_rate{tool=search} > 0.5", 60, 5);
        for (int s = 0; s < 5; s++) {
            second(alerting, "search", 2, 2); // 100 % errors, but fewer than 5 calls until the third second
        }
        assertEquals(1, events.size(), events.toString());
        AlertEvent fired = events.get(0);
        assertFalse(fired.resolved());
        assertEquals(1.0, fired.firedValue());
        assertEquals(6, fired.firedBasis(), "judged at the third second, over 6 calls");
        Alerting.Status status = alerting.statuses().get(0);
        assertTrue(status.active());
        assertEquals(1, status.fired());
        assertTrue(fired.describe().startsWith("ALERT firing: search_errors (critical) error_rate{tool=search} = 1 > 0.5"
                + " over 1m (6 spans)"), fired.describe());

        for (int s = 0; s < 12; s++) {
            second(alerting, "search", 10, 0); // the failures thin out, then leave the window
        }
        assertEquals(2, events.size(), events.toString());
        AlertEvent resolved = events.get(1);
        assertTrue(resolved.resolved());
        assertEquals(fired.id(), resolved.id(), "the resolution completes the firing's row");
        assertTrue(resolved.resolvedValue() <= 0.5, resolved.toString());
        assertFalse(alerting.statuses().get(0).active());
        assertTrue(resolved.describe().startsWith("ALERT resolved: search_errors (critical) error_rate{tool=search} >"
                + " 0.5 no longer holds over 1m: error_rate{tool=search} = "), resolved.describe());
    }

    @Test
    void withinTheCooldownARepeatIsSuppressedAndCountedOnce() {
        Alerting alerting = alerting("errors", "error_rate > 0.5", 30, 1);
        second(alerting, "a", 4, 4); // 1 s: all failed, fires
        second(alerting, "a", 4, 0); // 2 s: 4 of 8 failed, 0.5 is not > 0.5: resolves; quiet until 32 s
        assertEquals(2, events.size(), events.toString());
        assertTrue(events.get(1).resolved());
        while (now < 14 * SECOND) {
            second(alerting, "a", 4, 0); // the failures leave the window
        }
        while (now < 31 * SECOND) {
            second(alerting, "a", 4, 4); // failing again: from 21 s the rate is above 0.5, within the cooldown
        }
        assertEquals(2, events.size(), "no firing within the cooldown: " + events);
        Alerting.Status status = alerting.statuses().get(0);
        assertEquals(1, status.suppressed(), "one suppressed stretch, counted once");
        assertFalse(status.active());

        second(alerting, "a", 4, 4); // 32 s: the cooldown is over and it still holds
        assertEquals(3, events.size(), events.toString());
        assertFalse(events.get(2).resolved());
        assertEquals(32 * SECOND, now);
        assertEquals(1, alerting.statuses().get(0).suppressed());
        assertEquals(2, alerting.statuses().get(0).fired());
    }

    @Test
    void aValueFlappingAroundItsThresholdFiresAtMostOncePerCooldown() {
        long cooldownSeconds = 20;
        Alerting alerting = alerting("flappy", "error_rate > 0.5", cooldownSeconds, 1);
        List<Long> firedAt = new ArrayList<>();
        List<Long> resolvedAt = new ArrayList<>();
        for (int s = 0; s < 300; s++) {
            // 4 s all failing, 4 s all fine: over the 12 s window the rate swings from 1/3 to 2/3 and back
            int before = events.size();
            second(alerting, "a", 6, (s / 4) % 2 == 0 ? 6 : 0);
            for (AlertEvent event : events.subList(before, events.size())) {
                (event.resolved() ? resolvedAt : firedAt).add(now);
            }
        }
        assertTrue(firedAt.size() >= 5, "it flaps, and fires again after each cooldown: " + firedAt);
        assertTrue(resolvedAt.size() >= firedAt.size() - 1, "and resolves in between: " + resolvedAt);
        for (int i = 1; i < firedAt.size(); i++) {
            assertTrue(firedAt.get(i) - firedAt.get(i - 1) >= cooldownSeconds * SECOND,
                    "two firings closer than the cooldown: " + firedAt);
        }
        assertTrue(alerting.statuses().get(0).suppressed() > 0, "the repeats in between were suppressed");
    }

    @Test
    void tooFewCallsAreNotJudgedAndAQuietServiceResolves() {
        Alerting alerting = alerting("errors", "error_rate > 0.1", 60, 20);
        for (int s = 0; s < 12; s++) {
            second(alerting, "a", 1, 1); // 100 % errors, never 20 calls in the window
        }
        assertTrue(events.isEmpty(), events.toString());
        second(alerting, "a", 30, 30);
        assertEquals(1, events.size());
        for (int s = 0; s < 14; s++) {
            second(alerting, "a", 0, 0); // nobody calls: nothing to judge, so it no longer holds
        }
        assertEquals(2, events.size());
        assertTrue(Double.isNaN(events.get(1).resolvedValue()), "resolved for lack of calls: " + events.get(1));
        assertTrue(events.get(1).describe().contains("too few spans to judge (min-calls 20)"), events.get(1).describe());
    }

    @Test
    void pipelineCountsAndCallsPerSecondIgnoreMinCalls() {
        AlertRule dropped = new AlertRule("spans_dropped", AlertExpression.parse("spans_dropped > 0"),
                RateWindow.FIVE_MINUTES, Severity.WARNING, 600_000, 20);
        AlertRule quiet = new AlertRule("quiet", AlertExpression.parse("calls_per_second < 1"),
                RateWindow.ONE_MINUTE, Severity.INFO, 600_000, 20);
        Alerting alerting = new Alerting(List.of(dropped, quiet), events::add);
        alerting.evaluate(rates.publish(SECOND, 3, 0), SECOND);
        assertEquals(2, events.size(), events.toString());
        assertEquals(3.0, events.get(0).firedValue());
        assertEquals("ALERT firing: spans_dropped (warning) spans_dropped = 3 > 0 over 5m", events.get(0).describe());
        assertEquals("quiet", events.get(1).rule().name());
    }

    @Test
    void aRuleForAToolNeverCalledIsNeverJudged() {
        Alerting alerting = alerting("ghost", "error_rate{tool=ghost} >= 0", 60, 0);
        for (int s = 0; s < 5; s++) {
            second(alerting, "a", 5, 5);
        }
        assertTrue(events.isEmpty(), events.toString());
        assertFalse(Alerting.none().statuses().iterator().hasNext());
    }
}
