package io.mcpobservatory.export.otlp;

import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.export.SpanExporter;
import java.io.IOException;
import java.util.List;

/**
 * Sends batches of spans to an OTLP receiver ({@code POST /v1/traces}, {@code http/protobuf}) in the OpenTelemetry MCP
 * conventions ({@link TraceEncoder}). Synchronous, with retries ({@link OtlpSender}): it runs on a thread of its own (an
 * export lane, see {@link io.mcpobservatory.export.FanOutExporter}), never on the drainer, so a slow receiver holds
 * back nobody else; while a batch is retried, the lane's queue fills and what does not fit is dropped and counted.
 */
public final class OtlpExporter implements SpanExporter {

    private final TraceEncoder encoder;
    private final OtlpSender sender;

    public OtlpExporter(OtlpTarget target) throws IOException {
        this.encoder = new TraceEncoder(target.resource(), target.agentVersion());
        this.sender = new OtlpSender(target.tracesEndpoint(), "spans", target);
    }

    @Override
    public void export(List<Span> batch) throws IOException {
        encoder.encode(batch);
        sender.send(encoder.buffer(), encoder.size(), batch.size());
    }

    @Override
    public void finishBy(long deadlineNanos) {
        sender.finishBy(deadlineNanos);
    }

    @Override
    public long retries() {
        return sender.retries();
    }

    @Override
    public String describe() {
        return sender.target();
    }
}
