package io.mcpobservatory.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mcpobservatory.alerts.AlertEvent;
import io.mcpobservatory.alerts.Alerting;
import io.mcpobservatory.export.FanOutExporter;
import io.mcpobservatory.export.SpanPipeline;
import io.mcpobservatory.rates.Rate;
import io.mcpobservatory.rates.RateValues;
import io.mcpobservatory.rates.RateWindow;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The body of {@code /health}: the agent's state, its queue, the pipeline's counters, the exporter's status, the
 * service's rates over the last 5 minutes and the alerts that fire. The
 * endpoint answers 200 whatever they say (an exporter that fails is no reason for an orchestrator to restart the
 * application); a probe reads {@code exporter.status} and the counters.
 */
public final class HealthReport {

    private static final JsonFactory JSON = new JsonFactory();

    private HealthReport() {
    }

    /**
     * @param state the agent's state as published in {@code mcp.observatory.agent.state} ({@code recording}, {@code off},
     *              ...)
     */
    public static String json(String state, String service, String agentVersion, SpanPipeline pipeline) {
        StringWriter text = new StringWriter(512);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("state", state);
            json.writeStringField("service", service);
            json.writeStringField("agent_version", agentVersion);
            json.writeNumberField("pid", ProcessHandle.current().pid());
            json.writeObjectFieldStart("queue");
            json.writeNumberField("depth", pipeline.queueDepth());
            json.writeNumberField("capacity", pipeline.queueCapacity());
            json.writeEndObject();
            json.writeObjectFieldStart("spans");
            json.writeNumberField("recorded", pipeline.recorded());
            json.writeNumberField("exported", pipeline.exported());
            json.writeNumberField("dropped_queue_full", pipeline.droppedQueueFull());
            json.writeNumberField("dropped_export_failed", pipeline.droppedExportFailed());
            json.writeNumberField("sampled_out", pipeline.sampledOut());
            json.writeEndObject();
            json.writeObjectFieldStart("exporter");
            json.writeStringField("target", pipeline.exporter().describe());
            json.writeStringField("status", pipeline.exporterStatus());
            json.writeNumberField("failures", pipeline.exportFailures());
            json.writeNumberField("pending_spans", pipeline.exporter().pendingSpans());
            json.writeStringField("last_error", pipeline.lastExportFailure());
            json.writeEndObject();
            writeLanes(json, pipeline);
            writeRates(json, pipeline.rates().service(RateWindow.FIVE_MINUTES));
            writeAlerts(json, pipeline.alerting());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString() + "\n";
    }

    /** With several exporters (or OTLP): each one's own counters, under {@code exporters}. */
    private static void writeLanes(JsonGenerator json, SpanPipeline pipeline) throws IOException {
        if (!(pipeline.exporter() instanceof FanOutExporter)) {
            return;
        }
        json.writeArrayFieldStart("exporters");
        for (FanOutExporter.Lane lane : ((FanOutExporter) pipeline.exporter()).lanes()) {
            json.writeStartObject();
            json.writeStringField("name", lane.name());
            json.writeStringField("target", lane.describe());
            json.writeNumberField("exported", lane.exported());
            json.writeNumberField("dropped_queue_full", lane.droppedQueueFull());
            json.writeNumberField("dropped_export_failed", lane.droppedExportFailed());
            json.writeNumberField("failures", lane.failures());
            json.writeNumberField("retries", lane.retries());
            json.writeNumberField("queue_depth", lane.queueDepth());
            json.writeStringField("last_error", lane.lastFailure());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** The service's rates over 5 minutes, by rate name; a rate without data is null; {@code calls} and the seconds. */
    private static void writeRates(JsonGenerator json, RateValues values) throws IOException {
        json.writeObjectFieldStart("rates");
        json.writeStringField("window", RateWindow.FIVE_MINUTES.text);
        if (values != null) {
            json.writeNumberField("calls", values.calls());
            json.writeNumberField("seconds", values.seconds());
            for (Rate rate : Rate.values()) {
                double value = values.value(rate);
                if (Double.isNaN(value)) {
                    json.writeNullField(rate.text);
                } else {
                    json.writeNumberField(rate.text, value);
                }
            }
        }
        json.writeEndObject();
    }

    /** The alerts that fire (name, severity, expression, value, since when), and how many rules there are. */
    private static void writeAlerts(JsonGenerator json, Alerting alerting) throws IOException {
        json.writeObjectFieldStart("alerts");
        json.writeArrayFieldStart("active");
        int rules = 0;
        for (Alerting.Status status : alerting.statuses()) {
            rules++;
            AlertEvent firing = status.firing();
            if (!status.active() || firing == null) {
                continue;
            }
            json.writeStartObject();
            json.writeStringField("alert", status.rule().name());
            json.writeStringField("severity", status.rule().severity().text);
            json.writeStringField("expr", status.rule().expression().toString());
            json.writeStringField("window", status.rule().window().text);
            json.writeNumberField("value", firing.firedValue());
            json.writeStringField("since", Instant.EPOCH.plusNanos(firing.firedAtEpochNanos()).toString());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeNumberField("rules", rules);
        json.writeEndObject();
    }
}
