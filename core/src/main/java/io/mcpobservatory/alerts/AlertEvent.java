package io.mcpobservatory.alerts;

import java.util.UUID;

/**
 * An alert fired, or the same alert resolved: the same {@link #id}, so an exporter can write the firing as a row and
 * complete that row when it resolves.
 *
 * @param firedAtEpochNanos    when it fired (wall clock, nanoseconds since the epoch)
 * @param firedValue           the rate's value when it fired
 * @param firedBasis           how many spans that value was over (-1 for the pipeline's counts)
 * @param resolvedAtEpochNanos when it resolved; 0 while it fires
 * @param resolvedValue        the rate's value when it resolved; NaN when too few spans were left to judge it
 */
public record AlertEvent(UUID id, AlertRule rule, long firedAtEpochNanos, double firedValue, long firedBasis,
                         long resolvedAtEpochNanos, double resolvedValue) {

    public boolean resolved() {
        return resolvedAtEpochNanos != 0;
    }

    AlertEvent resolve(long atEpochNanos, double value) {
        return new AlertEvent(id, rule, firedAtEpochNanos, firedValue, firedBasis, atEpochNanos, value);
    }

    /** The line the agent logs (stderr) when the alert fires or resolves. */
    public String describe() {
        AlertExpression expression = rule.expression();
        StringBuilder line = new StringBuilder("ALERT ").append(resolved() ? "resolved" : "firing").append(": ")
                .append(rule.name()).append(" (").append(rule.severity().text).append(") ");
        if (!resolved()) {
            line.append(expression.rate().text).append(scope()).append(" = ").append(AlertExpression.number(firedValue))
                    .append(' ').append(expression.comparison().symbol).append(' ')
                    .append(AlertExpression.number(expression.threshold())).append(" over ").append(rule.window().text);
            if (firedBasis >= 0) {
                line.append(" (").append(firedBasis).append(firedBasis == 1 ? " span)" : " spans)");
            }
        } else {
            line.append(expression).append(" no longer holds over ").append(rule.window().text).append(": ")
                    .append(Double.isNaN(resolvedValue) ? "too few spans to judge (min-calls " + rule.minCalls() + ")"
                            : expression.rate().text + scope() + " = " + AlertExpression.number(resolvedValue))
                    .append(", after ").append(Math.max(0, (resolvedAtEpochNanos - firedAtEpochNanos) / 1_000_000_000L))
                    .append(" s");
        }
        return line.toString();
    }

    private String scope() {
        String tool = rule.expression().tool();
        return tool == null ? "" : "{tool=" + tool + "}";
    }
}
