package io.mcpobservatory.agent;

import io.mcpobservatory.agent.config.AgentSettings;
import io.mcpobservatory.agent.instrument.Instrumentations;
import io.mcpobservatory.bootstrap.Bridge;
import io.mcpobservatory.export.JsonLinesExporter;
import io.mcpobservatory.export.SpanExporter;
import io.mcpobservatory.export.SpanPipeline;
import io.mcpobservatory.export.postgres.PostgresExporter;
import io.mcpobservatory.export.postgres.PostgresTarget;
import io.mcpobservatory.log.Log;
import io.mcpobservatory.tokens.PriceTable;
import io.mcpobservatory.tokens.TokenAccounting;
import io.mcpobservatory.tokens.TokenCounter;
import io.mcpobservatory.bootstrap.Payload;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.UUID;

/**
 * What the agent runs once the MCP SDK is in the JVM: the Byte Buddy transformer, the span pipeline and the shutdown hook
 * that flushes it and prints the summary. Created lazily, at most once; a failure disables tracing, never the application.
 */
final class AgentRuntime {

    private final AgentSettings settings;
    private final Instrumentation instrumentation;
    private volatile ClassFileTransformer transformer;
    private volatile boolean failed;
    private SpanPipeline pipeline;
    private TokenAccounting tokens;

    AgentRuntime(AgentSettings settings, Instrumentation instrumentation) {
        this.settings = settings;
        this.instrumentation = instrumentation;
    }

    /** The Byte Buddy transformer, started on first use; null if starting failed. */
    ClassFileTransformer transformer() {
        ClassFileTransformer current = transformer;
        if (current != null || failed) {
            return current;
        }
        synchronized (this) {
            if (transformer == null && !failed) {
                try {
                    startPipeline();
                    transformer = Instrumentations.transformer(settings.debug);
                } catch (Throwable t) {
                    failed = true;
                    Bridge.install(null);
                    Log.warn("tracing could not start; the application runs untraced", t);
                }
            }
            return transformer;
        }
    }

    private void startPipeline() {
        SpanExporter exporter = exporter();
        // the tokenizer's vocabulary loads lazily, on the drainer, at the first payload
        Payload.maxChars = settings.tokensMaxChars;
        tokens = new TokenAccounting(new TokenCounter(settings.tokensEncoding, settings.tokensMaxChars),
                PriceTable.load(settings.priceOverrides), settings.model);
        pipeline = new SpanPipeline(exporter, settings.bufferCapacity, settings.bufferMaxBytes, settings.batchSize,
                settings.exportIntervalMillis, settings.heartbeatIntervalMillis).enrichWith(tokens::apply).start();
        Bridge.install(pipeline);
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "mcp-observatory-shutdown"));
        Log.info("tracing MCP service '" + settings.serviceName + "', spans to " + exporter.describe());
    }

    private SpanExporter exporter() {
        switch (settings.exporter) {
            case AgentSettings.EXPORTER_NONE:
                return SpanExporter.NONE;
            case AgentSettings.EXPORTER_POSTGRES:
                if (settings.jdbcUrl == null) {
                    Log.warn("observatory.exporter=postgres needs observatory.jdbc.url; writing JSON lines to "
                            + settings.jsonlPath + " instead");
                    return jsonl();
                }
                return new PostgresExporter(new PostgresTarget(settings.jdbcUrl, settings.jdbcUser, settings.jdbcPassword,
                        settings.jdbcSchemaManage, settings.retentionDays, UUID.randomUUID(), settings.serviceName,
                        ProcessHandle.current().pid(), AgentRuntime.class.getPackage().getImplementationVersion(),
                        System.getProperty("java.runtime.version"), settings.spoolDir, settings.spoolMaxBytes,
                        settings.jdbcConnections));
            default:
                return jsonl();
        }
    }

    private SpanExporter jsonl() {
        return new JsonLinesExporter(settings.jsonlPath, settings.jsonlMaxBytes, settings.jsonlMaxFiles,
                settings.serviceName);
    }

    private void shutdown() {
        try {
            boolean flushed = pipeline.shutdown(settings.shutdownTimeoutMillis);
            Bridge.install(null);
            if (settings.summaryEnabled) {
                Log.block(ExitReport.render(settings, pipeline, flushed));
            }
            if (settings.debug) {
                Log.info("tokens were counted on threads " + tokens.countingThreads());
            }
        } catch (Throwable t) {
            Log.warn("shutdown flush failed", t);
        }
    }
}
