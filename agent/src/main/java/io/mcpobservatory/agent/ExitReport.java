package io.mcpobservatory.agent;

import io.mcpobservatory.agent.config.AgentSettings;
import io.mcpobservatory.export.SpanPipeline;

/** The block printed on stderr at JVM exit: pipeline counters, then the per-method and per-tool table. */
final class ExitReport {

    private ExitReport() {
    }

    static String render(AgentSettings settings, SpanPipeline pipeline, boolean flushed) {
        StringBuilder out = new StringBuilder();
        out.append("[mcp-observatory] summary for service '").append(settings.serviceName).append("': ")
                .append(pipeline.recorded()).append(" spans recorded, ")
                .append(pipeline.exported()).append(" exported to ").append(pipeline.exporter().describe()).append(", ")
                .append(pipeline.droppedQueueFull()).append(" dropped (buffer full), ")
                .append(pipeline.droppedExportFailed()).append(" dropped (export failed)");
        long pending = pipeline.exporter().pendingSpans();
        if (pending > 0) {
            out.append(" (").append(pending).append(" of them waiting in the spool for the database)");
        }
        if (!flushed) {
            out.append(", ").append(pipeline.queueDepth())
                    .append(" still queued when observatory.shutdown.timeout ran out");
        }
        out.append(System.lineSeparator());
        if (flushed) {
            out.append(pipeline.summary().render());
        }
        return out.toString();
    }
}
