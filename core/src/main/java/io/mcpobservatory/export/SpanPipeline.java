package io.mcpobservatory.export;

import io.mcpobservatory.alerts.AlertEvent;
import io.mcpobservatory.alerts.AlertMetrics;
import io.mcpobservatory.alerts.AlertRule;
import io.mcpobservatory.alerts.Alerting;
import io.mcpobservatory.bootstrap.SessionEnd;
import io.mcpobservatory.bootstrap.SpanSink;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.log.Log;
import io.mcpobservatory.metrics.Metric;
import io.mcpobservatory.metrics.MetricRegistry;
import io.mcpobservatory.metrics.SpanMetrics;
import io.mcpobservatory.rates.RateMetrics;
import io.mcpobservatory.rates.RateRecorder;
import io.mcpobservatory.rates.RateSettings;
import io.mcpobservatory.rates.RatesSnapshot;
import io.mcpobservatory.sampling.Sampler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * Application threads hand finished spans to a bounded multi-producer queue (the JCTools variant without Unsafe, which
 * JDK 24+ warns about) and return: they never block and never wait
 * for I/O. When the queue is full the span is dropped and counted. One daemon drainer thread takes spans in batches
 * ({@code batchSize} or every {@code interval}, whichever comes first), records their metrics and decision rates, feeds
 * the exit summary, and calls the exporter. Every tick of the rates (5 s, busy or idle) it publishes them and judges the
 * alert rules.
 */
public final class SpanPipeline implements SpanSink, SpanExporter.Outcome {

    /** How long the drainer sleeps when the queue is empty: short enough to batch promptly, long enough to cost nothing. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * The nap after a busy stretch (at least {@link #BUSY_SPANS} taken since the last nap): short, so that under a
     * sustained flow the drainer wakes on its own timer before a batch waits. An unpark from the application thread
     * costs that thread ~9 us on a VM (waking an idle vCPU); the timer costs it nothing.
     */
    private static final long BUSY_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final int BUSY_SPANS = 256;
    private static final long WAKE_CHECK_MASK = 0xff;

    private final MpscAtomicArrayQueue<Span> queue;
    /**
     * Queue depth at which a producer wakes a napping drainer: four batches (or half the queue, if smaller); more than
     * a busy nap lets in at ~10 million spans/s, so producers unpark only after an idle nap or when the drainer lags.
     */
    private final int wakeDepth;
    private final int halfFull;
    /**
     * True while the drainer naps (or is about to): producers only unpark a napping drainer. Written by the drainer twice
     * per nap, read by producers on the sampled spans only.
     */
    private volatile boolean napping;
    private final SpanExporter exporter;
    private final int batchSize;
    private final long intervalNanos;
    private final ExitSummary summary = new ExitSummary();
    /** Drainer-side work on each span before it is summarised and exported (token counting); set before start. */
    private Consumer<Span> enricher = span -> { };
    /** Recorded from every span the drainer takes, before export (which may fail, or leave it out: the sampler); set before start. */
    private SpanMetrics metrics;
    /** The decision rates, recorded from every span next to the metrics; replaced before start by {@link #watchRates}. */
    private volatile RateRecorder rates;
    private volatile Alerting alerting = Alerting.none();
    /** When the drainer next publishes the rates and judges the alerts (drainer only). */
    private long nextRatesTick;
    /** Which spans are exported, after the metrics and the summary have counted them; null: all. Set before start. */
    private Sampler sampler;

    /**
     * The byte bound without a shared counter on the common path: every queue slot is allowed {@link #SLOT_BYTES}, which
     * the count bound already caps (capacity is lowered if needed so that slots take at most half of the bytes); only
     * the excess of larger spans (long error messages, huge tool names) is counted, against the rest of the budget.
     */
    static final long SLOT_BYTES = 1024;
    private final long excessBudget;
    private final AtomicLong queuedExcess = new AtomicLong();

    /**
     * Spans the drainer took from the queue: written by the drainer only, once per drain. {@code recorded} is {@code taken
     * + queued + dropped (queue full)}, so the application thread pays no counter on the common path, only on a drop.
     */
    private final AtomicLong taken = new AtomicLong();
    private final LongAdder droppedQueueFull = new LongAdder();
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong droppedExportFailed = new AtomicLong();
    private final AtomicLong exportFailures = new AtomicLong();
    /** The highest {@link #recorded()} the metrics have shown: a counter must never go down (see there). */
    private final AtomicLong recordedShown = new AtomicLong();
    /** Age of the oldest span of the last batch when it was handed to the exporter (end to export); drainer writes. */
    private volatile long exportLagNanos;
    /** When an exporter outcome last said exported / failed (nanoTime, 0: never), and the last failure; for /health. */
    private volatile long lastExportedNanos;
    private volatile long lastFailedNanos;
    private volatile String lastFailure;

    /**
     * Sessions that ended, for the drainer to record (the metrics have one writer, the drainer). Rare next to spans: a
     * small queue of their own; when it is full an end is dropped and counted.
     */
    static final int SESSION_QUEUE_CAPACITY = 1024;
    private final MpscAtomicArrayQueue<SessionEnd> sessionsEnded = new MpscAtomicArrayQueue<>(SESSION_QUEUE_CAPACITY);
    private final LongAdder sessionEndsDropped = new LongAdder();
    private final MessagePassingQueue.Consumer<SessionEnd> sessionRecorder = this::recordSession;

    private final long heartbeatNanos;
    private long nextHeartbeat;

    private final List<Span> batch;
    private final MessagePassingQueue.Consumer<Span> taker = this::take;
    private final Thread drainer;
    private volatile boolean running = true;
    /** Set by {@link #shutdown}: until when the drainer may wait for the exporter's batches in flight. */
    private volatile long shutdownDeadlineNanos;

    public SpanPipeline(SpanExporter exporter, int capacity, int batchSize, long intervalMillis) {
        this(exporter, capacity, Long.MAX_VALUE, batchSize, intervalMillis, 30_000);
    }

    /**
     * @param capacity most spans queued; lowered when {@code maxBytes} is small (see {@link #SLOT_BYTES})
     * @param maxBytes most heap the queued spans may hold, by {@link Span#estimatedBytes()}
     */
    public SpanPipeline(SpanExporter exporter, int capacity, long maxBytes, int batchSize, long intervalMillis,
                        long heartbeatMillis) {
        int slots = (int) Math.max(16, Math.min(capacity, maxBytes / (2 * SLOT_BYTES)));
        this.queue = new MpscAtomicArrayQueue<>(slots);
        this.halfFull = Math.max(1, queue.capacity() / 2);
        this.wakeDepth = (int) Math.max(1, Math.min(4L * batchSize, halfFull));
        this.excessBudget = Math.max(0, maxBytes - (long) slots * SLOT_BYTES);
        this.exporter = exporter;
        this.batchSize = batchSize;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
        this.batch = new ArrayList<>(batchSize);
        this.drainer = new Thread(this::drainLoop, "mcp-observatory-drainer");
        this.drainer.setDaemon(true);
        this.rates = new RateRecorder(RateSettings.DEFAULTS, System.nanoTime());
        this.metrics = observed(new SpanMetrics(new MetricRegistry(MetricRegistry.DEFAULT_MAX_SERIES)));
    }

    /** Work done on the drainer for each span before the summary and the exporter see it; call before {@link #start}. */
    public SpanPipeline enrichWith(Consumer<Span> enricher) {
        this.enricher = enricher;
        return this;
    }

    /** Exports only what the sampler keeps (the metrics and the summary still count every span); call before start. */
    public SpanPipeline sampledBy(Sampler sampler) {
        this.sampler = sampler;
        return this;
    }

    /**
     * Where the drainer records the spans' metrics (a registry with {@code observatory.metrics.max-series}); the pipeline
     * adds its own counters and gauges to its registry. Call before {@link #start}; without it, a registry of its own
     * with the default cap.
     */
    public SpanPipeline recordMetricsIn(SpanMetrics metrics) {
        this.metrics = observed(metrics);
        return this;
    }

    /**
     * The decision rates' settings and the alert rules (their events go to the log and to the exporter); call before
     * {@link #start}. Without it: the default settings and no alert.
     */
    public SpanPipeline watchRates(RateSettings settings, List<AlertRule> rules) {
        this.rates = new RateRecorder(settings, System.nanoTime());
        this.alerting = new Alerting(rules, this::alerted);
        return this;
    }

    /** Drainer: an alert fired or resolved. One stderr line, and the exporter's (never waiting: see SpanExporter). */
    private void alerted(AlertEvent event) {
        Log.info(event.describe());
        try {
            exporter.alert(event);
        } catch (RuntimeException | LinkageError e) {
            Log.warnOnce("alert-export-failed", "exporter " + exporter.describe() + " could not take an alert (" + e
                    + "); it is on stderr and on the scrape endpoint");
        }
    }

    /** Registers the pipeline's counters and gauges, read when scraped (nothing per span). */
    private SpanMetrics observed(SpanMetrics metrics) {
        MetricRegistry registry = metrics.registry();
        registry.observed("mcp.observatory.spans.recorded", "{span}",
                "Spans handed to the pipeline: queued, taken by the drainer, or dropped.", Metric.Type.COUNTER, null)
                .sample(null, this::recordedMonotonic);
        registry.observed("mcp.observatory.spans.exported", "{span}",
                "Spans the exporter wrote (or spooled for a database that is down).", Metric.Type.COUNTER, null)
                .sample(null, this::exported);
        registry.observed("mcp.observatory.spans.dropped", "{span}",
                "Spans lost, by cause: queue_full (the buffer was full; such spans are in no metric either) or"
                        + " export_failed (the exporter lost their batch; they are in the metrics).",
                Metric.Type.COUNTER, "cause")
                .sample("queue_full", this::droppedQueueFull)
                .sample("export_failed", this::droppedExportFailed);
        registry.observed("mcp.observatory.spans.sampled_out", "{span}",
                "Spans the sampler did not export, by reason: rate, ping, limit (every other metric counts them).",
                Metric.Type.COUNTER, "reason")
                .sample("rate", () -> sampledOut(Sampler.Reason.RATE))
                .sample("ping", () -> sampledOut(Sampler.Reason.PING))
                .sample("limit", () -> sampledOut(Sampler.Reason.LIMIT));
        registry.observed("mcp.observatory.session_ends.dropped", "{session}",
                "Session ends not recorded in the session-duration metrics (their queue was full).",
                Metric.Type.COUNTER, null).sample(null, sessionEndsDropped::sum);
        registry.observed("mcp.observatory.export.failures", "{batch}", "Batches the exporter failed to write.",
                Metric.Type.COUNTER, null).sample(null, this::exportFailures);
        registry.observed("mcp.observatory.queue.depth", "{span}", "Spans waiting in the queue for the drainer.",
                Metric.Type.GAUGE, null).sample(null, this::queueDepth);
        registry.observed("mcp.observatory.queue.capacity", "{span}", "Spans the queue holds at most.",
                Metric.Type.GAUGE, null).sample(null, this::queueCapacity);
        registry.observed("mcp.observatory.export.lag", "s",
                "Age of the oldest span of the latest batch when the drainer handed it to the exporter (its end to"
                        + " its export).", Metric.Type.GAUGE, null).sample(null, () -> exportLagNanos / 1e9);
        registry.observed("mcp.observatory.alert.events_dropped", "{event}",
                "Alert firings and resolutions the exporter could not store (mcp_alerts: its queue was full, or the"
                        + " database refused them); they were logged all the same.", Metric.Type.COUNTER, null)
                .sample(null, exporter::alertsDropped);
        RateMetrics.register(registry, this::rates);
        AlertMetrics.register(registry, this::alerting);
        return metrics;
    }

    /** The metrics the drainer records into (record session durations there, on the drainer thread only). */
    public SpanMetrics metrics() {
        return metrics;
    }

    public SpanPipeline start() {
        drainer.start();
        return this;
    }

    /**
     * Called on application threads: the byte budget and one queue offer; never blocks. A span that would take the queue
     * past its count or its byte bound is dropped and counted.
     */
    @Override
    public void accept(Span span) {
        long excess = span.estimatedBytes() - SLOT_BYTES;
        if (!running) {
            droppedQueueFull.increment();
        } else if (excess <= 0) {
            if (!queue.offer(span)) {
                droppedQueueFull.increment();
            }
        } else if (queuedExcess.addAndGet(excess) > excessBudget || !queue.offer(span)) {
            queuedExcess.addAndGet(-excess);
            if (span.promptPayload != null || span.completionPayload != null) {
                // a large model payload must not cost the span itself: keep the span, without its tokens
                span.promptPayload = null;
                span.completionPayload = null;
                accept(span);
                return;
            }
            droppedQueueFull.increment();
        }
        // The drainer naps while the queue is empty; a burst that queues a few batches wakes it early, so the queue never
        // holds a backlog the GC would have to copy (queued spans survive young collections: a backlog of 10^5 spans
        // made each pause copy tens of MB and G1 grow the heap, whose fresh pages the allocating application thread
        // then faulted in). Checked for about one span in 256, picked by the span id's random low bits, and only while
        // the drainer naps: no shared counter and no unpark per span on this path.
        if ((span.spanId & WAKE_CHECK_MASK) == 0 && napping && queue.size() >= wakeDepth) {
            LockSupport.unpark(drainer);
        }
    }

    private void drainLoop() {
        List<Span> batch = this.batch;
        long firstTakenAt = 0;
        long takenSinceNap = 0;
        nextHeartbeat = System.nanoTime(); // the first heartbeat announces the agent at once
        nextRatesTick = nextHeartbeat;
        while (true) {
            heartbeatIfDue();
            ratesIfDue();
            boolean stopping = !running;
            if (!sessionsEnded.isEmpty()) { // before the stop: the exit's session ends are queued before it
                sessionsEnded.drain(sessionRecorder);
            }
            int taken = queue.drain(taker, batchSize - batch.size());
            if (taken > 0) {
                // single writer; once per drain, not per span: a counter written per span would put a cache line under
                // constant writes, next to what producers read if the GC happens to place it there
                this.taken.lazySet(this.taken.get() + taken);
                takenSinceNap += taken;
            }
            if (!batch.isEmpty() && firstTakenAt == 0) {
                firstTakenAt = System.nanoTime();
            }
            boolean due = batch.size() >= batchSize
                    || (!batch.isEmpty() && (stopping || System.nanoTime() - firstTakenAt >= intervalNanos));
            if (due) {
                exportBatch(batch);
                batch.clear();
                firstTakenAt = 0;
                continue;
            }
            if (stopping && queue.isEmpty()) {
                exporter.awaitIdle(shutdownDeadlineNanos);
                publishRates(System.nanoTime(), false); // for the exit summary; no alert fires on the way out
                heartbeat(); // the final counters
                return;
            }
            if (taken == 0) {
                napping = true;
                if (queue.isEmpty()) { // a producer that saw napping == false before it was set did not wake us
                    LockSupport.parkNanos(this, takenSinceNap >= BUSY_SPANS ? BUSY_PARK_NANOS : IDLE_PARK_NANOS);
                }
                napping = false;
                takenSinceNap = 0;
            }
        }
    }

    /** Application (or shutdown) threads: a session ended; the drainer records its duration. Never blocks. */
    @Override
    public void sessionEnded(SessionEnd end) {
        if (!running || !sessionsEnded.offer(end)) {
            sessionEndsDropped.increment();
        }
    }

    private void recordSession(SessionEnd end) {
        try {
            metrics.recordSessionDuration(end.isServer(), end.durationNanos(), end.transport, end.protocolVersion, null);
            summary.add(end);
        } catch (RuntimeException | LinkageError e) {
            Log.warnOnce("session-metrics-failed", "recording a session's duration failed (" + e + ")");
        }
    }

    /** Drainer side of the byte bound: a span leaves the budget as it leaves the queue. */
    private void take(Span span) {
        // Nothing over the slot allowance is queued (the common case): no span to estimate, which is most of this
        // method's cost, and the drainer must stay faster than the application threads (see accept). A span whose excess
        // was counted keeps queuedExcess above zero until it is taken here.
        if (queuedExcess.get() != 0) {
            long excess = span.estimatedBytes() - SLOT_BYTES;
            if (excess > 0) {
                queuedExcess.addAndGet(-excess);
            }
        }
        batch.add(span);
    }

    private void heartbeatIfDue() {
        long now = System.nanoTime();
        if (now - nextHeartbeat >= 0) {
            nextHeartbeat = now + heartbeatNanos;
            heartbeat();
        }
    }

    private void heartbeat() {
        try {
            exporter.heartbeat(stats());
        } catch (RuntimeException | LinkageError e) {
            Log.warnOnce("heartbeat-failed", "exporter " + exporter.describe() + " heartbeat failed: " + e);
        }
    }

    public PipelineStats stats() {
        return new PipelineStats(recorded(), exported(), droppedQueueFull(), droppedExportFailed(), exportFailures(),
                queueDepth(), TimeUnit.NANOSECONDS.toMillis(heartbeatNanos), sampledOut());
    }

    /** Every tick, busy or idle: the rates as of now, then the alerts judged on them. */
    private void ratesIfDue() {
        long now = System.nanoTime();
        if (now - nextRatesTick >= 0) {
            nextRatesTick = rates.nextTickNanos(now);
            publishRates(now, true);
        }
    }

    private void publishRates(long now, boolean judgeAlerts) {
        try {
            RatesSnapshot snapshot = rates.publish(now, droppedQueueFull() + droppedExportFailed(), exportFailures());
            if (judgeAlerts) {
                alerting.evaluate(snapshot, now);
            }
        } catch (RuntimeException | LinkageError e) {
            Log.warnOnce("rates-failed", "publishing the decision rates or judging the alerts failed (" + e + ")");
        }
    }

    private void exportBatch(List<Span> batch) {
        long oldestEnd = Long.MAX_VALUE;
        RateRecorder rates = this.rates;
        long now = System.nanoTime(); // the batch's spans count in the rates' bucket of now: taken within one interval
        for (Span span : batch) {
            try {
                enricher.accept(span);
            } catch (RuntimeException | LinkageError e) {
                Log.warnOnce("enrich-failed", "drainer-side processing of a span failed (" + e + "); spans go as they are");
            }
            try {
                metrics.record(span);
            } catch (RuntimeException | LinkageError e) {
                Log.warnOnce("metrics-failed", "recording a span's metrics failed (" + e + "); the span goes on");
            }
            try {
                rates.record(span, now);
            } catch (RuntimeException | LinkageError e) {
                Log.warnOnce("rates-record-failed", "recording a span's rates failed (" + e + "); the span goes on");
            }
            summary.add(span);
            oldestEnd = Math.min(oldestEnd, span.endNanos);
        }
        exportLagNanos = Math.max(0, System.nanoTime() - oldestEnd);
        if (sampler != null) {
            batch.removeIf(span -> !sampler.keep(span));
            if (batch.isEmpty()) {
                return;
            }
        }
        try {
            exporter.export(batch, this);
        } catch (RuntimeException | LinkageError e) {
            failed(batch.size(), e); // an exporter bug: the batch is lost, the drainer goes on
        }
    }

    /** {@link SpanExporter.Outcome}: called by the exporter, on the drainer or on the exporter's own threads. */
    @Override
    public void exported(int spans) {
        exported.addAndGet(spans);
        lastExportedNanos = System.nanoTime();
    }

    @Override
    public void failed(int spans, Throwable cause) {
        exportFailures.incrementAndGet();
        droppedExportFailed.addAndGet(spans);
        lastFailure = String.valueOf(cause);
        lastFailedNanos = System.nanoTime();
        Log.warnOnce("export-failed", "exporter " + exporter.describe() + " failed, batch of " + spans
                + " spans dropped (further failures are counted, not logged): " + cause);
    }

    /**
     * Stops taking spans, exports what is queued within {@code timeoutMillis}, closes the exporter. Returns false when the
     * drainer did not finish in time (the rest is lost, and counted as such in the summary line).
     */
    public boolean shutdown(long timeoutMillis) {
        shutdownDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMillis));
        running = false;
        LockSupport.unpark(drainer);
        try {
            drainer.join(Math.max(1, timeoutMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean finished = !drainer.isAlive();
        if (finished) {
            try {
                exporter.close();
            } catch (Exception e) {
                Log.warn("closing exporter " + exporter.describe() + " failed", e);
            }
        }
        return finished;
    }

    /**
     * Spans handed to {@link #accept}: queued, taken by the drainer, or dropped. Exact once the pipeline has stopped;
     * while spans flow it may be low by up to one batch (the drainer counts what it took after each drain).
     */
    public long recorded() {
        int queued = queue.size();
        return taken.get() + queued + droppedQueueFull.sum();
    }

    /**
     * {@link #recorded()} as a counter: never lower than a value shown before. {@code recorded()} can dip for an instant
     * (the drainer empties the queue before it adds to {@code taken}), which a scraper would take for a counter reset.
     */
    private long recordedMonotonic() {
        long now = recorded();
        return recordedShown.accumulateAndGet(now, Math::max);
    }

    public long exported() {
        return exported.get();
    }

    /**
     * Counts spans the agent had to drop before this pipeline was up (its start-up buffer was full) with those the full
     * queue dropped: they were handed to the agent, so {@code recorded} and the drop counters must include them.
     */
    public void droppedBeforeStart(long spans) {
        if (spans > 0) {
            droppedQueueFull.add(spans);
        }
    }

    public long droppedQueueFull() {
        return droppedQueueFull.sum();
    }

    /** Spans the sampler did not export (counted in the metrics and the summary all the same). */
    public long sampledOut() {
        return sampler == null ? 0 : sampler.sampledOut();
    }

    private long sampledOut(Sampler.Reason reason) {
        return sampler == null ? 0 : sampler.sampledOut(reason);
    }

    public long droppedExportFailed() {
        return droppedExportFailed.get();
    }

    public long exportFailures() {
        return exportFailures.get();
    }

    public int queueDepth() {
        return queue.size();
    }

    public int queueCapacity() {
        return queue.capacity();
    }

    /**
     * The exporter's state for the health endpoint: {@code failing} when its latest outcome was a lost batch,
     * {@code spooling} when batches wait on disk for the database, else {@code ok}.
     */
    public String exporterStatus() {
        long failedAt = lastFailedNanos;
        if (failedAt != 0 && (lastExportedNanos == 0 || failedAt - lastExportedNanos > 0)) {
            return "failing";
        }
        return exporter.pendingSpans() > 0 ? "spooling" : "ok";
    }

    /** The latest export failure's cause, or null. */
    public String lastExportFailure() {
        return lastFailure;
    }

    /** The decision rates as the drainer last published them (every tick); immutable, any thread. */
    public RatesSnapshot rates() {
        return rates.snapshot();
    }

    /** The alert rules and their states (read {@link Alerting#statuses} from any thread). */
    public Alerting alerting() {
        return alerting;
    }

    /** Whether the queue is more than half full: the drainer is falling behind the application. */
    public boolean fallingBehind() {
        return queue.size() > halfFull;
    }

    public SpanExporter exporter() {
        return exporter;
    }

    /** The summary; read it only after {@link #shutdown} returned true (it belongs to the drainer thread until then). */
    public ExitSummary summary() {
        return summary;
    }
}
