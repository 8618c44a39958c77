package io.mcpobservatory.export.otlp;

import io.mcpobservatory.bootstrap.Clock;
import io.mcpobservatory.log.Log;
import io.mcpobservatory.metrics.MetricRegistry;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends the agent's metrics (the registry the Prometheus endpoint shows) to an OTLP receiver ({@code POST /v1/metrics})
 * every {@code observatory.otlp.metrics.interval}, cumulative since the start, from a daemon thread of its own, and
 * once more at shutdown with the final counts. A request that fails is retried like the spans' ({@link OtlpSender});
 * one that is lost is not repeated: the next one carries the same cumulative values, newer.
 */
public final class OtlpMetricsExporter {

    private final MetricRegistry registry;
    private final MetricsEncoder encoder;
    private final OtlpSender sender;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean stopping;
    /** Held while a request is encoded and sent: the final export waits for the periodic one. */
    private final Object sending = new Object();
    private long exportedRequests;

    public OtlpMetricsExporter(OtlpTarget target, MetricRegistry registry) throws IOException {
        this.registry = registry;
        this.encoder = new MetricsEncoder(target.resource(), target.agentVersion(), Clock.epochNanos(System.nanoTime()));
        this.sender = new OtlpSender(target.metricsEndpoint(), "data points", target);
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(target.metricsIntervalMillis());
        this.thread = new Thread(this::run, "mcp-observatory-otlp-metrics");
        this.thread.setDaemon(true);
    }

    public OtlpMetricsExporter start() {
        thread.start();
        return this;
    }

    private void run() {
        long next = System.nanoTime() + intervalNanos;
        while (!stopping) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            next += intervalNanos;
            exportNow();
        }
    }

    /** Encodes and sends the current values; false when the request was lost (one warning per cause, in the sender). */
    private boolean exportNow() {
        synchronized (sending) {
            try {
                int points = encoder.encode(registry, Clock.epochNanos(System.nanoTime()));
                sender.send(encoder.buffer(), encoder.size(), points);
                exportedRequests++;
                return true;
            } catch (IOException | RuntimeException e) {
                Log.warnOnce("otlp-metrics-lost", "metrics not delivered to " + sender.target() + " (" + e
                        + "); the next export carries the same cumulative values (further losses are not logged)");
                return false;
            }
        }
    }

    /** At JVM exit, after the pipeline has drained: one last export with the final counts, by {@code deadlineNanos}. */
    public boolean shutdown(long deadlineNanos) {
        stopping = true;
        LockSupport.unpark(thread);
        sender.finishBy(deadlineNanos);
        return exportNow();
    }

    public String describe() {
        return sender.target();
    }

    /** Requests delivered so far (for the exit summary). */
    public long exportedRequests() {
        synchronized (sending) {
            return exportedRequests;
        }
    }
}
