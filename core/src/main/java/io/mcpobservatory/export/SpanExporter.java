package io.mcpobservatory.export;

import io.mcpobservatory.alerts.AlertEvent;
import io.mcpobservatory.bootstrap.Span;
import java.io.IOException;
import java.util.List;

/**
 * Writes batches of finished spans somewhere. {@link #export} is called from one thread, never an application thread:
 * the drainer, or the exporter's own lane thread behind a {@link FanOutExporter} (several exporters, or OTLP); the other
 * methods from the drainer.
 */
public interface SpanExporter extends AutoCloseable {

    /** Writes the batch before returning; throws when it is lost. */
    void export(List<Span> batch) throws IOException;

    /**
     * Writes the batch and reports the outcome to {@code outcome} exactly once, before returning or later from another
     * thread (the PostgreSQL exporter writes on its own threads while the drainer forms the next batch). The list is
     * only valid during the call. By default: {@link #export(List)}, synchronously.
     */
    default void export(List<Span> batch, Outcome outcome) {
        try {
            export(batch);
        } catch (Exception | LinkageError e) {
            outcome.failed(batch.size(), e);
            return;
        }
        outcome.exported(batch.size());
    }

    /**
     * Waits until every batch handed to {@link #export(List, Outcome)} has its outcome, or until {@code deadlineNanos}
     * ({@link System#nanoTime()} scale); true when none is left in flight. Called by the drainer before its final counters.
     */
    default boolean awaitIdle(long deadlineNanos) {
        return true;
    }

    /**
     * The pipeline is shutting down: waits of this exporter's own (retries, backoff) must end by {@code deadlineNanos}
     * ({@link System#nanoTime()} scale). Called from the drainer while the exporter may be busy on another thread.
     */
    default void finishBy(long deadlineNanos) {
    }

    /** Requests sent again after a failure that may pass (the OTLP exporter's retries); 0 for most exporters. */
    default long retries() {
        return 0;
    }

    /** Where an exporter reports what became of a batch. Thread-safe. */
    interface Outcome {
        /** The batch is in the backend, or safely on its way there (the PostgreSQL spool). */
        void exported(int spans);

        /** The batch is lost. */
        void failed(int spans, Throwable cause);
    }

    /** A short description for log lines, e.g. the file written. */
    String describe();

    /**
     * Called on the drainer thread every heartbeat interval and once more at shutdown, with the pipeline's counters; the
     * PostgreSQL exporter writes them to {@code mcp_agents}. Must not throw.
     */
    default void heartbeat(PipelineStats stats) {
    }

    /**
     * An alert fired or resolved: called on the drainer, so it must not wait for anything (the PostgreSQL exporter
     * queues it for a thread of its own and writes a row of {@code mcp_alerts}). Most exporters ignore it: the alert is
     * on stderr and on the scrape endpoint already.
     */
    default void alert(AlertEvent event) {
    }

    /** Alert events this exporter could not write (its queue was full, or the database refused them). */
    default long alertsDropped() {
        return 0;
    }

    /** Spans accepted by {@link #export} that are not in the backend yet (the PostgreSQL spool); 0 for most exporters. */
    default long pendingSpans() {
        return 0;
    }

    @Override
    default void close() throws IOException {
    }

    /** The exporter of {@code observatory.exporter=none}: spans are still counted and summarised. */
    SpanExporter NONE = new SpanExporter() {
        @Override
        public void export(List<Span> batch) {
        }

        @Override
        public String describe() {
            return "none";
        }
    };
}
