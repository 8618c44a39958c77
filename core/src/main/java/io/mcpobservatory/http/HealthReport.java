package io.mcpobservatory.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mcpobservatory.export.SpanPipeline;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The body of {@code /health}: the agent's state, its queue, the pipeline's counters and the exporter's status. The
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
            json.writeEndObject();
            json.writeObjectFieldStart("exporter");
            json.writeStringField("target", pipeline.exporter().describe());
            json.writeStringField("status", pipeline.exporterStatus());
            json.writeNumberField("failures", pipeline.exportFailures());
            json.writeNumberField("pending_spans", pipeline.exporter().pendingSpans());
            json.writeStringField("last_error", pipeline.lastExportFailure());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString() + "\n";
    }
}
