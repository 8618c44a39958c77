package io.mcpobservatory.alerts;

import io.mcpobservatory.bootstrap.Clock;
import io.mcpobservatory.rates.RateValues;
import io.mcpobservatory.rates.RatesSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Judges the alert rules against each published {@link RatesSnapshot}, on the drainer (every tick, 5 s, also when no
 * span arrives), and tells {@code listener} when an alert fires or resolves.
 *
 * <p>An alert fires when its condition holds over its window (judged: see {@link AlertRule#judges}); it resolves at the
 * first evaluation where it no longer does, including when too few spans are left to judge it (a service that went quiet
 * resolves its alerts; the row says so with no resolved value). After resolving, an alert does not fire again within its
 * cooldown: a condition that holds again meanwhile is a suppressed repeat, counted once per stretch it holds, and the
 * alert fires at the first evaluation after the cooldown where it still holds. So a value flapping around its threshold
 * fires at most once per cooldown.
 *
 * <p>Threads: {@link #evaluate} on the drainer only; {@link #statuses} from any thread (the scrape, {@code /health}).
 */
public final class Alerting {

    private final List<RuleState> states = new ArrayList<>();
    private final Consumer<AlertEvent> listener;

    /** Alerting without rules. */
    public static Alerting none() {
        return new Alerting(List.of(), event -> { });
    }

    public Alerting(List<AlertRule> rules, Consumer<AlertEvent> listener) {
        for (AlertRule rule : rules) {
            states.add(new RuleState(rule));
        }
        this.listener = listener;
    }

    /** Judges every rule against {@code snapshot} at {@code nowNanos} ({@link System#nanoTime()} scale). Drainer only. */
    public void evaluate(RatesSnapshot snapshot, long nowNanos) {
        for (RuleState state : states) {
            AlertRule rule = state.rule;
            AlertExpression expression = rule.expression();
            RateValues values = snapshot.values(expression.tool(), rule.window());
            boolean judged = rule.judges(values);
            double value = judged ? values.value(expression.rate()) : Double.NaN;
            boolean holds = judged && expression.comparison().test(value, expression.threshold());
            if (state.event != null) {
                if (!holds) {
                    AlertEvent resolved = state.event.resolve(Clock.epochNanos(nowNanos), value);
                    state.event = null;
                    state.active = false;
                    state.resolvedAtNanos = nowNanos;
                    state.hasResolved = true;
                    listener.accept(resolved);
                }
            } else if (!holds) {
                state.suppressing = false;
            } else if (state.hasResolved
                    && nowNanos - state.resolvedAtNanos < TimeUnit.MILLISECONDS.toNanos(rule.cooldownMillis())) {
                if (!state.suppressing) {
                    state.suppressing = true;
                    state.suppressed++;
                }
            } else {
                state.suppressing = false;
                AlertEvent fired = new AlertEvent(UUID.randomUUID(), rule, Clock.epochNanos(nowNanos), value,
                        values.basis(expression.rate()), 0, Double.NaN);
                state.event = fired;
                state.active = true;
                state.fired++;
                listener.accept(fired);
            }
        }
    }

    /** Each rule's state, in the order of the rules; any thread. */
    public List<Status> statuses() {
        List<Status> statuses = new ArrayList<>(states.size());
        for (RuleState state : states) {
            statuses.add(new Status(state.rule, state.active, state.fired, state.suppressed, state.event));
        }
        return statuses;
    }

    /**
     * A rule's state as read at one moment.
     *
     * @param firing the firing alert (when it fired, its value) while {@code active}; may be null even then, when read
     *               while the drainer changes it
     */
    public record Status(AlertRule rule, boolean active, long fired, long suppressed, AlertEvent firing) {
    }

    /** Written by the drainer; the volatile fields are read by other threads. */
    private static final class RuleState {
        final AlertRule rule;
        volatile AlertEvent event;
        volatile boolean active;
        volatile long fired;
        volatile long suppressed;
        boolean hasResolved;
        long resolvedAtNanos;
        boolean suppressing;

        RuleState(AlertRule rule) {
            this.rule = rule;
        }
    }
}
