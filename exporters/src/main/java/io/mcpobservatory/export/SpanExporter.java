package io.mcpobservatory.export;

import io.mcpobservatory.bootstrap.TraceContext;
import java.io.IOException;
import java.util.List;

/** Writes batches of finished spans somewhere. Called only from the drainer thread, never from application threads. */
public interface SpanExporter extends AutoCloseable {

    void export(List<TraceContext> batch) throws IOException;

    /** A short description for log lines, e.g. the file written. */
    String describe();

    /**
     * Called on the drainer thread every heartbeat interval and once more at shutdown, with the pipeline's counters; the
     * PostgreSQL exporter writes them to {@code mcp_agents}. Must not throw.
     */
    default void heartbeat(PipelineStats stats) {
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
        public void export(List<TraceContext> batch) {
        }

        @Override
        public String describe() {
            return "none";
        }
    };
}
