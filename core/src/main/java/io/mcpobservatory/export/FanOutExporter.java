package io.mcpobservatory.export;

import io.mcpobservatory.alerts.AlertEvent;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.log.Log;
import io.mcpobservatory.metrics.Metric;
import io.mcpobservatory.metrics.MetricRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Several exporters behind the one drainer ({@code observatory.exporter=postgres,otlp}), or one that must not run on
 * the drainer (OTLP, which waits for a remote receiver). Each exporter has a lane: a queue of batches bounded in spans
 * and a thread of its own, so a slow or dead backend fills its own queue and drops from it (counted per exporter)
 * while the others go on. The drainer only queues a batch per lane: it never waits for any exporter.
 *
 * <p>The pipeline's counters see one outcome per batch: exported when every exporter exported it, failed (lost) when
 * one of them lost it, for whatever reason (its lane full, its backend refusing); per-exporter counters say which.
 * Spans are shared between lanes, read-only: every exporter only reads them.
 */
public final class FanOutExporter implements SpanExporter {

    private final List<Lane> lanes;

    /** @param exporters by name ({@code jsonl}, {@code postgres}, {@code otlp}), each to get its lane, in order */
    public FanOutExporter(List<String> names, List<SpanExporter> exporters, int laneCapacitySpans) {
        List<Lane> made = new ArrayList<>();
        for (int i = 0; i < exporters.size(); i++) {
            made.add(new Lane(names.get(i), exporters.get(i), laneCapacitySpans));
        }
        this.lanes = List.copyOf(made);
    }

    public List<Lane> lanes() {
        return lanes;
    }

    /** Drainer: one copy of the batch (the caller reuses its list), queued on every lane that has room. */
    @Override
    public void export(List<Span> batch, Outcome outcome) {
        List<Span> spans = List.copyOf(batch);
        Tally tally = new Tally(lanes.size(), outcome);
        for (Lane lane : lanes) {
            lane.offer(spans, tally);
        }
    }

    @Override
    public void export(List<Span> batch) throws IOException {
        throw new UnsupportedOperationException("asynchronous only: export(batch, outcome)");
    }

    /** Every lane's queue exported (or the deadline reached), then each exporter's own in-flight work. */
    @Override
    public boolean awaitIdle(long deadlineNanos) {
        for (Lane lane : lanes) {
            lane.exporter.finishBy(deadlineNanos);
        }
        boolean idle = true;
        for (Lane lane : lanes) {
            idle &= lane.awaitEmpty(deadlineNanos) && lane.exporter.awaitIdle(deadlineNanos);
        }
        return idle;
    }

    @Override
    public void heartbeat(PipelineStats stats) {
        for (Lane lane : lanes) {
            try {
                lane.exporter.heartbeat(stats);
            } catch (RuntimeException | LinkageError e) {
                Log.warnOnce("heartbeat-failed-" + lane.name, "exporter " + lane.describe() + " heartbeat failed: " + e);
            }
        }
    }

    @Override
    public void alert(AlertEvent event) {
        for (Lane lane : lanes) {
            lane.exporter.alert(event);
        }
    }

    @Override
    public long alertsDropped() {
        return lanes.stream().mapToLong(lane -> lane.exporter.alertsDropped()).sum();
    }

    @Override
    public long pendingSpans() {
        return lanes.stream().mapToLong(lane -> lane.exporter.pendingSpans()).sum();
    }

    @Override
    public long retries() {
        return lanes.stream().mapToLong(lane -> lane.exporter.retries()).sum();
    }

    @Override
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (Lane lane : lanes) {
            text.append(text.length() == 0 ? "" : " and ").append(lane.describe());
        }
        return text.toString();
    }

    /** Stops the lanes' threads (after {@link #awaitIdle}) and closes the exporters. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Lane lane : lanes) {
            lane.closed = true;
            try {
                lane.exporter.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * The exporters' own counters, as metrics with an {@code exporter} attribute (the pipeline's counters are the
     * batches' overall outcome, see the class comment).
     */
    public void registerMetrics(MetricRegistry registry) {
        registry.callback("mcp.observatory.exporter.spans.exported", "{span}",
                "Spans each exporter wrote (or spooled).", Metric.Type.COUNTER,
                sink -> lanes.forEach(lane -> sink.sample(lane.exported.get(), lane.name)), "exporter");
        registry.callback("mcp.observatory.exporter.spans.dropped", "{span}",
                "Spans an exporter lost, by cause: queue_full (its own queue was full: its backend is slow or away) or"
                        + " export_failed (its backend refused the batch, or it was not delivered by the shutdown"
                        + " deadline).", Metric.Type.COUNTER,
                sink -> lanes.forEach(lane -> {
                    sink.sample(lane.droppedQueueFull.get(), lane.name, "queue_full");
                    sink.sample(lane.droppedExportFailed.get(), lane.name, "export_failed");
                }), "exporter", "cause");
        registry.callback("mcp.observatory.exporter.retries", "{request}",
                "Requests an exporter sent again after a failure that may pass (connection refused, 429, 503).",
                Metric.Type.COUNTER, sink -> lanes.forEach(lane -> sink.sample(lane.exporter.retries(), lane.name)),
                "exporter");
        registry.callback("mcp.observatory.exporter.queue.depth", "{span}",
                "Spans waiting in an exporter's own queue (bounded by observatory.export.queue-capacity).",
                Metric.Type.GAUGE, sink -> lanes.forEach(lane -> sink.sample(lane.queuedSpans.get(), lane.name)),
                "exporter");
    }

    /** One exporter, its bounded queue of batches and its thread (started at the first batch). */
    public static final class Lane {
        private final String name;
        final SpanExporter exporter;
        private final int capacitySpans;
        private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
        /** Spans queued or being exported: the bound, and the queue depth shown. */
        private final AtomicInteger queuedSpans = new AtomicInteger();
        private final AtomicLong exported = new AtomicLong();
        private final AtomicLong droppedQueueFull = new AtomicLong();
        private final AtomicLong droppedExportFailed = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private volatile String lastFailure;
        private volatile boolean closed;
        private Thread thread;

        Lane(String name, SpanExporter exporter, int capacitySpans) {
            this.name = name;
            this.exporter = exporter;
            this.capacitySpans = capacitySpans;
        }

        /** Drainer. A batch goes in when the lane is empty (whatever its size) or it fits. */
        void offer(List<Span> spans, Tally tally) {
            int size = spans.size();
            int queued = queuedSpans.get();
            if (queued > 0 && queued + size > capacitySpans) {
                droppedQueueFull.addAndGet(size);
                Log.warnOnce("lane-full-" + name, "exporter " + describe() + " is behind: its queue of "
                        + capacitySpans + " spans is full, batches for it are dropped and counted (further drops are"
                        + " not logged)");
                tally.arrive(size, new IOException("the queue of exporter " + name + " is full"));
                return;
            }
            queuedSpans.addAndGet(size);
            queue.add(new Job(this, spans, tally));
            if (thread == null) {
                thread = new Thread(this::run, "mcp-observatory-export-" + name);
                thread.setDaemon(true);
                thread.start();
            }
        }

        private void run() {
            while (!closed) {
                Job job;
                try {
                    job = queue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (job == null) {
                    continue;
                }
                try {
                    exporter.export(job.spans, job);
                } catch (RuntimeException | LinkageError e) {
                    job.failed(job.spans.size(), e); // an exporter bug: the batch is lost, the lane goes on
                } finally {
                    queuedSpans.addAndGet(-job.spans.size());
                }
            }
        }

        boolean awaitEmpty(long deadlineNanos) {
            while (queuedSpans.get() > 0) {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            return true;
        }

        public String name() {
            return name;
        }

        public String describe() {
            return exporter.describe();
        }

        public long exported() {
            return exported.get();
        }

        public long droppedQueueFull() {
            return droppedQueueFull.get();
        }

        public long droppedExportFailed() {
            return droppedExportFailed.get();
        }

        public long failures() {
            return failures.get();
        }

        public long retries() {
            return exporter.retries();
        }

        public int queueDepth() {
            return queuedSpans.get();
        }

        public String lastFailure() {
            return lastFailure;
        }
    }

    /** A batch on one lane; its outcome counts for the lane and for the batch's tally. */
    private static final class Job implements Outcome {
        final Lane lane;
        final List<Span> spans;
        final Tally tally;

        Job(Lane lane, List<Span> spans, Tally tally) {
            this.lane = lane;
            this.spans = spans;
            this.tally = tally;
        }

        @Override
        public void exported(int count) {
            lane.exported.addAndGet(count);
            tally.arrive(count, null);
        }

        @Override
        public void failed(int count, Throwable cause) {
            lane.failures.incrementAndGet();
            lane.droppedExportFailed.addAndGet(count);
            lane.lastFailure = String.valueOf(cause);
            // the pipeline's warning names the whole fan-out: say which exporter lost the batch
            tally.arrive(count, new IOException("exporter " + lane.name + " (" + lane.describe() + "): " + cause, cause));
        }
    }

    /** A batch's outcome over all lanes: reported to the pipeline once the last lane has said. */
    private static final class Tally {
        private final AtomicInteger left;
        private final Outcome outcome;
        private volatile Throwable failure;

        Tally(int lanes, Outcome outcome) {
            this.left = new AtomicInteger(lanes);
            this.outcome = outcome;
        }

        void arrive(int spans, Throwable cause) {
            if (cause != null && failure == null) {
                failure = cause;
            }
            if (left.decrementAndGet() == 0) {
                Throwable lost = failure;
                if (lost == null) {
                    outcome.exported(spans);
                } else {
                    outcome.failed(spans, lost);
                }
            }
        }
    }
}
