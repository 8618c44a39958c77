package io.mcpobservatory.agent;

import io.mcpobservatory.agent.config.AgentSettings;
import io.mcpobservatory.alerts.Alerting;
import io.mcpobservatory.export.FanOutExporter;
import io.mcpobservatory.export.SpanPipeline;
import io.mcpobservatory.rates.Rate;
import io.mcpobservatory.rates.RateValues;
import io.mcpobservatory.rates.RateWindow;
import java.util.Locale;

/** The block printed on stderr at JVM exit: pipeline counters, the last rates and alerts, then the per-method table. */
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
        if (pipeline.sampledOut() > 0) {
            out.append(", ").append(pipeline.sampledOut()).append(" sampled out (counted above, not exported)");
        }
        long pending = pipeline.exporter().pendingSpans();
        if (pending > 0) {
            out.append(" (").append(pending).append(" of them waiting in the spool for the database)");
        }
        if (!flushed) {
            out.append(", ").append(pipeline.queueDepth())
                    .append(" still queued when observatory.shutdown.timeout ran out");
        }
        out.append(System.lineSeparator());
        lanes(out, pipeline);
        rates(out, pipeline.rates().service(RateWindow.FIVE_MINUTES));
        alerts(out, pipeline.alerting());
        if (flushed) {
            out.append(pipeline.summary().render());
        }
        return out.toString();
    }

    /** With several exporters (or OTLP), a line per exporter: what it exported, what it lost and why. */
    private static void lanes(StringBuilder out, SpanPipeline pipeline) {
        if (!(pipeline.exporter() instanceof FanOutExporter)) {
            return;
        }
        for (FanOutExporter.Lane lane : ((FanOutExporter) pipeline.exporter()).lanes()) {
            out.append("[mcp-observatory] exporter ").append(lane.name()).append(" (").append(lane.describe())
                    .append("): ").append(lane.exported()).append(" exported, ").append(lane.droppedQueueFull())
                    .append(" dropped (its queue full), ").append(lane.droppedExportFailed())
                    .append(" dropped (export failed), ").append(lane.retries()).append(" retries");
            if (lane.queueDepth() > 0) {
                out.append(", ").append(lane.queueDepth()).append(" still queued at exit");
            }
            out.append(System.lineSeparator());
        }
    }

    /** The service's rates over the last 5 minutes: those with data, decision rates included when a span said any. */
    private static void rates(StringBuilder out, RateValues values) {
        if (values == null || values.calls() == 0) {
            return;
        }
        out.append("[mcp-observatory] rates over the last ").append(RateWindow.FIVE_MINUTES.text).append(": ")
                .append(values.calls()).append(" spans");
        for (Rate rate : Rate.values()) {
            double value = values.value(rate);
            if (!Double.isNaN(value) && (rate != Rate.SPANS_DROPPED && rate != Rate.EXPORT_FAILURES || value > 0)) {
                out.append(", ").append(rate.text).append(' ').append(String.format(Locale.ROOT, "%.4g", value));
            }
        }
        out.append(System.lineSeparator());
    }

    /** Each rule that fired or was suppressed, and whether it still fired at exit. */
    private static void alerts(StringBuilder out, Alerting alerting) {
        StringBuilder line = new StringBuilder();
        for (Alerting.Status status : alerting.statuses()) {
            if (status.fired() == 0 && status.suppressed() == 0) {
                continue;
            }
            line.append(line.length() == 0 ? "" : "; ").append(status.rule().name()).append(" (")
                    .append(status.rule().severity().text).append(") fired ").append(status.fired());
            if (status.suppressed() > 0) {
                line.append(", suppressed ").append(status.suppressed()).append(" within its cooldown");
            }
            if (status.active()) {
                line.append(", firing at exit");
            }
        }
        if (line.length() > 0) {
            out.append("[mcp-observatory] alerts: ").append(line).append(System.lineSeparator());
        }
    }
}
