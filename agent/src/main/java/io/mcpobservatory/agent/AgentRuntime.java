package io.mcpobservatory.agent;

import io.mcpobservatory.agent.config.AgentSettings;
import io.mcpobservatory.agent.config.ConfigKey;
import io.mcpobservatory.agent.instrument.Instrumentations;
import io.mcpobservatory.bootstrap.Bridge;
import io.mcpobservatory.bootstrap.TraceSampling;
import io.mcpobservatory.export.FanOutExporter;
import io.mcpobservatory.export.JsonLinesExporter;
import io.mcpobservatory.export.otlp.OtlpExporter;
import io.mcpobservatory.export.otlp.OtlpMetricsExporter;
import io.mcpobservatory.export.SpanExporter;
import io.mcpobservatory.capture.SpanPrivacy;
import io.mcpobservatory.export.SpanPipeline;
import io.mcpobservatory.privacy.Masker;
import io.mcpobservatory.sampling.Sampler;
import io.mcpobservatory.export.postgres.PostgresExporter;
import io.mcpobservatory.export.postgres.PostgresTarget;
import io.mcpobservatory.http.HealthReport;
import io.mcpobservatory.http.ScrapeEndpoint;
import io.mcpobservatory.log.Log;
import io.mcpobservatory.metrics.MetricRegistry;
import io.mcpobservatory.metrics.SpanMetrics;
import io.mcpobservatory.tokens.PriceTable;
import io.mcpobservatory.tokens.TokenAccounting;
import io.mcpobservatory.tokens.TokenCounter;
import io.mcpobservatory.bootstrap.Payload;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the agent runs once the MCP SDK is in the JVM: the transformer, the span pipeline and the shutdown hook
 * that flushes it and prints the summary. Created lazily, at most once; a failure disables tracing, never the application.
 * Recording can be switched off and on again on a live JVM (a later attach with {@code observatory.enabled}): the advice
 * stays in the classes, but with no sink installed in the {@link Bridge} it returns at once and records nothing.
 */
final class AgentRuntime {

    /**
     * At most this long after the first SDK class, the pipeline starts even if no span has ended yet (so that an idle
     * server still shows up, in {@code mcp_agents}, soon after it started).
     */
    private static final long PIPELINE_START_LATEST_MILLIS = 5_000;

    private final AgentSettings settings;
    private final Instrumentation instrumentation;
    private volatile ClassFileTransformer transformer;
    private volatile boolean failed;
    private volatile boolean recording = true;
    private SpanPipeline pipeline;
    private SpansBeforeStart beforeStart;
    private Thread starter;
    private McpClassWatcher watcher;
    private TokenAccounting tokens;
    private ScrapeEndpoint endpoint;
    private OtlpMetricsExporter otlpMetrics;

    AgentRuntime(AgentSettings settings, Instrumentation instrumentation) {
        this.settings = settings;
        this.instrumentation = instrumentation;
    }

    void watchedBy(McpClassWatcher classWatcher) {
        this.watcher = classWatcher;
    }

    /** The transformer if the runtime started, else null (a class that must not start it). */
    ClassFileTransformer startedTransformer() {
        return transformer;
    }

    /**
     * The transformer, made on first use (cheap: it reads class files with ASM); null if that failed. The pipeline starts
     * on a thread of its own when the first span ends (or {@link #PIPELINE_START_LATEST_MILLIS} after this), not now: the
     * first SDK class loads while the application starts, and on a small machine every CPU millisecond the agent takes
     * then is one the application's start waits for. Spans that end before the pipeline is up are kept
     * ({@link SpansBeforeStart}) and handed over.
     */
    ClassFileTransformer transformer() {
        ClassFileTransformer current = transformer;
        if (current != null || failed) {
            return current;
        }
        synchronized (this) {
            if (transformer == null && !failed) {
                try {
                    long start = System.nanoTime();
                    transformer = Instrumentations.transformer(settings.debug);
                    if (settings.debug) {
                        Log.info("transformer made on thread '" + Thread.currentThread().getName() + "' in "
                                + (System.nanoTime() - start) / 1_000_000 + " ms");
                    }
                    // the rate decides the sampled flag of the first requests sent, before the pipeline is up
                    TraceSampling.rate(settings.samplingRate);
                    beforeStart = new SpansBeforeStart(settings.bufferCapacity);
                    if (recording) {
                        Bridge.install(beforeStart);
                    }
                    starter = new Thread(this::startPipeline, "mcp-observatory-start");
                    starter.setDaemon(true);
                    starter.start();
                    // registered now, not when the pipeline is up: an application that exits at once still gets its
                    // spans flushed (the hook waits for the start)
                    Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "mcp-observatory-shutdown"));
                    publishState();
                } catch (Throwable t) {
                    startFailed(t);
                }
            }
            return transformer;
        }
    }

    private void startPipeline() {
        try {
            beforeStart.awaitFirstSpan(PIPELINE_START_LATEST_MILLIS);
            long start = System.nanoTime();
            SpanExporter exporter = exporter();
            // the tokenizer's vocabulary loads lazily, on the drainer, at the first payload
            Payload.maxChars = settings.tokensMaxChars;
            TokenAccounting accounting = new TokenAccounting(
                    new TokenCounter(settings.tokensEncoding, settings.tokensMaxChars),
                    PriceTable.load(settings.priceOverrides), settings.model);
            SpanPrivacy privacy = new SpanPrivacy(Masker.create(settings.privacy), settings.captureContent,
                    settings.captureMaxChars, settings.idHasher);
            if (settings.idHasher != null && settings.idHasher.randomSalt()) {
                Log.info("observatory.privacy.hash-ids without observatory.privacy.salt: session ids are hashed with a"
                        + " random salt drawn for this run, so their hashes match only within it");
            }
            SpanPipeline started = new SpanPipeline(exporter, settings.bufferCapacity, settings.bufferMaxBytes,
                    settings.batchSize, settings.exportIntervalMillis, settings.heartbeatIntervalMillis)
                    .enrichWith(span -> {
                        privacy.accept(span); // first: capture reads the payloads that token accounting lets go
                        accounting.apply(span);
                    })
                    .recordMetricsIn(new SpanMetrics(new MetricRegistry(settings.metricsMaxSeries)))
                    .watchRates(settings.rates, settings.alertRules);
            Sampler.Settings sampling = new Sampler.Settings(settings.samplingRate,
                    TimeUnit.MILLISECONDS.toNanos(settings.samplingKeepSlowerThanMillis), settings.samplingPing,
                    settings.samplingMaxPerSecond, settings.samplingAdaptiveErrorRate, settings.samplingSessionFirst);
            if (!sampling.keepsEverything()) {
                started.sampledBy(new Sampler(sampling, System::nanoTime));
            }
            if (exporter instanceof FanOutExporter) {
                ((FanOutExporter) exporter).registerMetrics(started.metrics().registry());
            }
            accounting.whenBehind(started::fallingBehind); // estimate instead of tokenizing, rather than drop spans
            started.start();
            long dropped;
            synchronized (this) {
                tokens = accounting;
                pipeline = started;
                if (recording) {
                    Bridge.install(started);
                }
                dropped = beforeStart.handOver(started);
                started.droppedBeforeStart(dropped);
                publishState();
            }
            if (dropped > 0) {
                Log.warn(dropped + " spans ended before the pipeline had started and were dropped (counted as dropped,"
                        + " buffer full)");
            }
            Log.info("tracing MCP service '" + settings.serviceName + "', spans to " + exporter.describe());
            startEndpoint(started);
            startOtlpMetrics(started);
            if (settings.debug) {
                Log.info("pipeline started in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
        } catch (Throwable t) {
            startFailed(t);
        }
    }

    /**
     * The Prometheus scrape endpoint and /health, when {@code observatory.prometheus.port} is set. Anything that keeps it
     * from serving (the port in use, no {@code jdk.httpserver} module) is one warning; tracing goes on without it.
     */
    private void startEndpoint(SpanPipeline started) {
        Integer port = settings.prometheusPort;
        if (port == null) {
            return;
        }
        String key = ConfigKey.PROMETHEUS_PORT.key + "=" + port;
        if (ModuleLayer.boot().findModule(ScrapeEndpoint.MODULE).isEmpty()) {
            Log.warn(key + " ignored: this JVM has no module " + ScrapeEndpoint.MODULE + " (a jlinked runtime without"
                    + " it, or a modular application that does not resolve it: add --add-modules "
                    + ScrapeEndpoint.MODULE + "); no metrics endpoint");
            return;
        }
        String version = AgentRuntime.class.getPackage().getImplementationVersion();
        try {
            ScrapeEndpoint opened = ScrapeEndpoint.start(settings.prometheusHost, port,
                    started.metrics().registry(),
                    () -> HealthReport.json(state(), settings.serviceName, version, started));
            synchronized (this) {
                endpoint = opened;
            }
            Log.info("metrics on http://" + settings.prometheusHost + ":" + opened.address().getPort()
                    + "/metrics, health on /health");
        } catch (BindException e) {
            Log.warn(key + ": " + settings.prometheusHost + ":" + port + " cannot be bound (" + e.getMessage()
                    + "; in use by another process?); no metrics endpoint, tracing goes on");
        } catch (java.io.IOException | RuntimeException | LinkageError e) {
            Log.warn(key + " with " + ConfigKey.PROMETHEUS_HOST.key + "=" + settings.prometheusHost
                    + ": the endpoint could not start (" + e + "); no metrics endpoint, tracing goes on");
        }
    }

    /** The metrics over OTLP, when the otlp exporter is selected and they are not switched off. */
    private void startOtlpMetrics(SpanPipeline started) {
        if (settings.otlp == null || settings.otlp.metricsEndpoint() == null) {
            return;
        }
        try {
            OtlpMetricsExporter metrics = new OtlpMetricsExporter(settings.otlp, started.metrics().registry()).start();
            synchronized (this) {
                otlpMetrics = metrics;
            }
            Log.info("metrics to " + metrics.describe() + " every " + settings.otlp.metricsIntervalMillis() / 1000.0
                    + " s");
        } catch (java.io.IOException | RuntimeException | LinkageError e) {
            Log.warn("metrics over OTLP could not start (" + e + "); spans go on");
        }
    }

    private synchronized void startFailed(Throwable t) {
        failed = true;
        Bridge.install(null);
        publishState();
        Log.warn("tracing could not start; the application runs untraced", t);
    }

    /**
     * Switches recording on or off (a later attach). Spans already queued are still exported; spans in flight when it
     * goes off are dropped. Returns what happened, for the log.
     */
    synchronized String switchRecording(boolean on) {
        if (failed) {
            return "tracing failed to start earlier; nothing to switch";
        }
        if (on == recording) {
            return on ? "already on (" + state() + "); nothing changed" : "recording is already off; nothing changed";
        }
        recording = on;
        if (pipeline != null) {
            Bridge.install(on ? pipeline : null);
        } else if (beforeStart != null) {
            Bridge.install(on ? beforeStart : null);
        }
        publishState();
        return on ? "recording switched on again" : "recording switched off (the instrumentation stays, inactive)";
    }

    /**
     * Publishes the current state ({@link AgentStatus}). Under this object's lock, like every change of state, so a class
     * load that starts the runtime while agentmain is still installing can never leave an older state published.
     */
    synchronized void publishState() {
        AgentStatus.publish(state());
    }

    /** The state published in {@link AgentStatus#STATE_PROPERTY}. */
    synchronized String state() {
        if (failed) {
            return AgentStatus.FAILED;
        }
        if (!recording) {
            return AgentStatus.OFF;
        }
        // recording from the moment the SDK is instrumented: spans ended before the pipeline is up are kept for it
        return transformer == null ? AgentStatus.WAITING : AgentStatus.RECORDING;
    }

    /**
     * The exporter of {@code observatory.exporter}: one on the drainer as it is, or several (and OTLP, which waits for a
     * remote receiver) behind a {@link FanOutExporter}, each with its own queue and thread.
     */
    private SpanExporter exporter() throws java.io.IOException {
        List<String> names = settings.exporters;
        if (names.size() == 1 && !names.contains(AgentSettings.EXPORTER_OTLP)) {
            return exporter(names.get(0));
        }
        List<SpanExporter> exporters = new ArrayList<>();
        for (String name : names) {
            exporters.add(exporter(name));
        }
        return new FanOutExporter(names, exporters, settings.exportQueueCapacity);
    }

    private SpanExporter exporter(String name) throws java.io.IOException {
        switch (name) {
            case AgentSettings.EXPORTER_NONE:
                return SpanExporter.NONE;
            case AgentSettings.EXPORTER_OTLP:
                return new OtlpExporter(settings.otlp);
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
            beforeStart.noMoreWaiting();
            starter.join(settings.shutdownTimeoutMillis); // an application that exits while the pipeline starts
            SpanPipeline pipeline;
            TokenAccounting tokens;
            synchronized (this) {
                pipeline = this.pipeline;
                tokens = this.tokens;
            }
            if (pipeline == null) {
                return; // it failed to start, and said so
            }
            Bridge.endOpenSessions(); // sessions the exit ends: queued before the flush that follows
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.shutdownTimeoutMillis);
            boolean flushed = pipeline.shutdown(settings.shutdownTimeoutMillis);
            OtlpMetricsExporter metrics;
            synchronized (this) {
                metrics = otlpMetrics;
            }
            if (metrics != null) {
                metrics.shutdown(deadline); // the final counts, within what is left of the timeout
            }
            Bridge.install(null);
            ScrapeEndpoint open;
            synchronized (this) {
                open = endpoint;
                endpoint = null;
            }
            if (open != null) {
                open.close();
            }
            if (settings.summaryEnabled) {
                Log.block(ExitReport.render(settings, pipeline, flushed));
            }
            if (settings.debug) {
                Log.info("tokens were counted on threads " + tokens.countingThreads());
                if (watcher != null) {
                    Log.info(watcher.cost());
                }
            }
        } catch (Throwable t) {
            Log.warn("shutdown flush failed", t);
        }
    }
}
