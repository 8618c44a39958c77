package io.mcpobservatory.export.postgres;

import io.mcpobservatory.alerts.AlertEvent;
import io.mcpobservatory.alerts.AlertRule;
import io.mcpobservatory.log.Log;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rows of {@code mcp_alerts}, written by a thread of their own so that the drainer, which judges the alerts, never
 * waits for the database: it only offers an event to a small queue (full: the event is dropped and counted; alerts are
 * rare, so a full queue means the database has been away for a long while). Each event is one upsert by the alert's id:
 * the firing inserts the row, the resolution completes it (or inserts it whole, if the firing was lost).
 *
 * <p>While the database is unavailable the writer keeps the event at hand and retries, backing off from 1 s to 60 s;
 * an event the database refuses for another reason (no {@code mcp_alerts}: a schema not migrated to V3) is dropped and
 * counted.
 */
final class AlertRows {

    /** Connections of the exporter's pool (failing fast while it backs off). */
    @FunctionalInterface
    interface Connections {
        Connection get() throws IOException;
    }

    static final int CAPACITY = 64;
    private static final long MIN_BACKOFF_MILLIS = 1_000;
    private static final long MAX_BACKOFF_MILLIS = 60_000;
    private static final String UPSERT = "INSERT INTO mcp_alerts (alert_id, agent_id, service, alert_name, severity, "
            + "expr, rate_window, value, threshold, fired_at, resolved_at, resolved_value) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id) DO UPDATE SET "
            + "resolved_at = coalesce(EXCLUDED.resolved_at, mcp_alerts.resolved_at), "
            + "resolved_value = coalesce(EXCLUDED.resolved_value, mcp_alerts.resolved_value)";

    private final PostgresTarget target;
    private final Connections connections;
    private final BlockingQueue<AlertEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private Thread writer;
    /** The event the writer holds (taken from the queue, not yet written); null when none. */
    private volatile AlertEvent writing;
    /** True while the writer waits for the database to come back. */
    private volatile boolean backingOff;

    AlertRows(PostgresTarget target, Connections connections) {
        this.target = target;
        this.connections = connections;
    }

    /** Drainer: queues the event for the writer (started with the first one); never waits. */
    void offer(AlertEvent event) {
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
            Log.warnOnce("pg-alerts-full", "PostgreSQL " + target.safeUrl() + ": " + CAPACITY + " alert events wait"
                    + " for the database; further ones are not stored in mcp_alerts (counted; they are on stderr)");
            return;
        }
        if (writer == null) {
            writer = new Thread(this::writeLoop, "mcp-observatory-pg-alerts");
            writer.setDaemon(true);
            writer.start();
        }
    }

    long dropped() {
        return dropped.get();
    }

    /** Whether nothing is left to write that the database could take now (at exit: waited for, unless backing off). */
    boolean idle() {
        return backingOff || (writing == null && queue.isEmpty());
    }

    /** Drainer (at close): stops the writer. */
    void close() {
        if (writer != null) {
            writer.interrupt();
        }
    }

    private void writeLoop() {
        long backoffMillis = MIN_BACKOFF_MILLIS;
        try {
            while (true) {
                if (writing == null) {
                    writing = queue.take();
                }
                if (write(writing)) {
                    writing = null;
                    backingOff = false;
                    backoffMillis = MIN_BACKOFF_MILLIS;
                } else {
                    backingOff = true;
                    TimeUnit.MILLISECONDS.sleep(backoffMillis);
                    backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
                }
            }
        } catch (InterruptedException e) {
            // close(): what is left is lost with the JVM
        }
    }

    /** True when the event is written, or dropped for good; false to try again later (the database is away). */
    private boolean write(AlertEvent event) {
        Connection connection;
        try {
            connection = connections.get();
        } catch (IOException e) {
            return false; // logged and backed off by the exporter
        }
        try (connection; PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            AlertRule rule = event.rule();
            upsert.setObject(1, event.id());
            upsert.setObject(2, target.agentId);
            upsert.setString(3, target.service);
            upsert.setString(4, rule.name());
            upsert.setString(5, rule.severity().text);
            upsert.setString(6, rule.expression().toString());
            upsert.setString(7, rule.window().text);
            upsert.setDouble(8, event.firedValue());
            upsert.setDouble(9, rule.expression().threshold());
            upsert.setObject(10, time(event.firedAtEpochNanos()));
            if (event.resolved()) {
                upsert.setObject(11, time(event.resolvedAtEpochNanos()));
            } else {
                upsert.setNull(11, Types.TIMESTAMP_WITH_TIMEZONE);
            }
            if (Double.isNaN(event.resolvedValue())) {
                upsert.setNull(12, Types.DOUBLE);
            } else {
                upsert.setDouble(12, event.resolvedValue());
            }
            upsert.executeUpdate();
            connection.commit();
            return true;
        } catch (SQLException | RuntimeException e) { // closing the connection rolled back (Hikari does)
            if (e instanceof SQLException && String.valueOf(((SQLException) e).getSQLState()).startsWith("08")) {
                return false; // the connection broke: the database may be back soon
            }
            dropped.incrementAndGet();
            Log.warnOnce("pg-alerts-refused", "PostgreSQL " + target.safeUrl() + " refused an mcp_alerts row (" + e
                    + "); is the schema at V3? Alerts not stored are counted in"
                    + " mcp_observatory_alert_events_dropped_total");
            return true;
        }
    }

    private static OffsetDateTime time(long epochNanos) {
        return OffsetDateTime.ofInstant(Instant.EPOCH.plusNanos(epochNanos), ZoneOffset.UTC);
    }
}
