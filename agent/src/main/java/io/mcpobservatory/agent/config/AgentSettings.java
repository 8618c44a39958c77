package io.mcpobservatory.agent.config;

import io.mcpobservatory.alerts.AlertRule;
import io.mcpobservatory.export.otlp.OtlpTarget;
import io.mcpobservatory.privacy.IdHasher;
import io.mcpobservatory.privacy.PrivacyConfig;
import io.mcpobservatory.rates.RateSettings;
import io.mcpobservatory.tokens.PriceTable;
import io.mcpobservatory.tokens.TokenCounter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The typed settings the agent runs with, read from a {@link Config}; bad values already replaced by defaults. */
public final class AgentSettings {

    public static final String EXPORTER_JSONL = "jsonl";
    public static final String EXPORTER_POSTGRES = "postgres";
    public static final String EXPORTER_NONE = "none";
    public static final String EXPORTER_OTLP = "otlp";

    public final boolean enabled;
    public final String serviceName;
    /** The exporters as a list's text ({@code postgres,otlp}), see {@link #exporters}. */
    public final String exporter;
    /** The exporters, in the order given, each once; {@code none} alone or not at all. */
    public final List<String> exporters;
    /** Spans each exporter's own queue holds (otlp, and every exporter of a list). */
    public final int exportQueueCapacity;
    /** Where and how spans go over OTLP; null unless {@code otlp} is one of the exporters. */
    public final OtlpTarget otlp;
    public final Path jsonlPath;
    public final long jsonlMaxBytes;
    public final int jsonlMaxFiles;
    public final int bufferCapacity;
    public final long bufferMaxBytes;
    public final int batchSize;
    public final long exportIntervalMillis;
    public final long shutdownTimeoutMillis;
    public final boolean summaryEnabled;
    public final String jdbcUrl;
    public final String jdbcUser;
    /** Never logged. */
    public final String jdbcPassword;
    public final boolean jdbcSchemaManage;
    public final int jdbcConnections;
    public final int retentionDays;
    public final long heartbeatIntervalMillis;
    public final Path spoolDir;
    public final long spoolMaxBytes;
    public final boolean debug;
    /** {@link TokenCounter#O200K_BASE} or {@link TokenCounter#CL100K_BASE}. */
    public final String tokensEncoding;
    public final int tokensMaxChars;
    /** The model that reads the server's results (never null). */
    public final String model;
    /** Port of the Prometheus scrape endpoint, or null: no endpoint. */
    public final Integer prometheusPort;
    public final String prometheusHost;
    public final int metricsMaxSeries;
    public final boolean captureContent;
    /** Masking ({@code observatory.privacy.*}): of error messages always, of captured content when it is on. */
    public final PrivacyConfig privacy;
    /** Null unless {@code observatory.privacy.hash-ids=true}. */
    public final IdHasher idHasher;
    public final double samplingRate;
    public final long samplingKeepSlowerThanMillis;
    public final boolean samplingPing;
    public final double samplingMaxPerSecond;
    public final double samplingAdaptiveErrorRate;
    public final int samplingSessionFirst;
    public final int captureMaxChars;
    /** Per-model prices from {@code observatory.pricing.<model>.*-per-mtok}, by model; unmodifiable, maybe empty. */
    public final Map<String, PriceTable.Price> priceOverrides;
    /** The decision rates' thresholds, tool cap and tick. */
    public final RateSettings rates;
    /** The alert rules: the defaults not switched off, then the user's, bad ones left out (with a warning). */
    public final List<AlertRule> alertRules;

    private AgentSettings(Config config, String javaCommand) {
        enabled = config.bool(ConfigKey.ENABLED);
        Map<String, String> resourceAttributes = config.isSet(ConfigKey.RESOURCE_ATTRIBUTES)
                ? OtlpSettings.keyValues(config, ConfigKey.RESOURCE_ATTRIBUTES, false) : Map.of();
        serviceName = config.isSet(ConfigKey.SERVICE_NAME) ? config.string(ConfigKey.SERVICE_NAME)
                : resourceAttributes.getOrDefault("service.name", defaultServiceName(javaCommand));
        jdbcUrl = config.isSet(ConfigKey.JDBC_URL) ? config.string(ConfigKey.JDBC_URL) : null;
        exporters = exporters(config, jdbcUrl != null ? EXPORTER_POSTGRES : EXPORTER_JSONL);
        exporter = String.join(",", exporters);
        exportQueueCapacity = config.integer(ConfigKey.EXPORT_QUEUE_CAPACITY, 16, 1 << 24);
        otlp = exporters.contains(EXPORTER_OTLP) ? OtlpSettings.read(config, serviceName, resourceAttributes,
                AgentSettings.class.getPackage().getImplementationVersion()) : null;
        jsonlPath = Paths.get(config.string(ConfigKey.JSONL_PATH)).toAbsolutePath();
        jsonlMaxBytes = config.bytes(ConfigKey.JSONL_MAX_BYTES, 1024, Long.MAX_VALUE);
        jsonlMaxFiles = config.integer(ConfigKey.JSONL_MAX_FILES, 0, 1000);
        bufferCapacity = config.integer(ConfigKey.BUFFER_CAPACITY, 16, 1 << 24);
        bufferMaxBytes = config.bytes(ConfigKey.BUFFER_MAX_BYTES, 64 * 1024, Long.MAX_VALUE);
        batchSize = config.integer(ConfigKey.EXPORT_BATCH_SIZE, 1, 100_000);
        exportIntervalMillis = config.millis(ConfigKey.EXPORT_INTERVAL, 10, 3_600_000);
        shutdownTimeoutMillis = config.millis(ConfigKey.SHUTDOWN_TIMEOUT, 0, 600_000);
        summaryEnabled = config.bool(ConfigKey.SUMMARY_ENABLED);
        jdbcUser = config.isSet(ConfigKey.JDBC_USER) ? config.string(ConfigKey.JDBC_USER) : null;
        jdbcPassword = password(config);
        jdbcSchemaManage = config.bool(ConfigKey.JDBC_SCHEMA_MANAGE);
        jdbcConnections = config.integer(ConfigKey.JDBC_CONNECTIONS, 1, 16);
        retentionDays = config.integer(ConfigKey.RETENTION_DAYS, 1, 36_500);
        heartbeatIntervalMillis = config.millis(ConfigKey.HEARTBEAT_INTERVAL, 1_000, 3_600_000);
        spoolDir = Paths.get(config.string(ConfigKey.SPOOL_DIR)).toAbsolutePath();
        spoolMaxBytes = config.bytes(ConfigKey.SPOOL_MAX_BYTES, 0, Long.MAX_VALUE);
        debug = config.bool(ConfigKey.DEBUG);
        tokensEncoding = config.choice(ConfigKey.TOKENS_ENCODING, ConfigKey.TOKENS_ENCODING.defaultValue,
                TokenCounter.O200K_BASE, TokenCounter.CL100K_BASE);
        tokensMaxChars = config.integer(ConfigKey.TOKENS_MAX_CHARS, 1, Integer.MAX_VALUE);
        model = config.string(ConfigKey.MODEL);
        priceOverrides = Map.copyOf(config.priceOverrides());
        prometheusPort = config.port(ConfigKey.PROMETHEUS_PORT, "no metrics endpoint");
        prometheusHost = config.string(ConfigKey.PROMETHEUS_HOST);
        metricsMaxSeries = config.integer(ConfigKey.METRICS_MAX_SERIES, 1, 1_000_000);
        rates = new RateSettings(config.decimal(ConfigKey.RATES_LOW_CONFIDENCE, 0, 1),
                config.decimal(ConfigKey.RATES_PROMPT_DIFF_MAX, 0, 1_000_000),
                config.integer(ConfigKey.RATES_MAX_TOOLS, 0, 10_000),
                TimeUnit.MILLISECONDS.toNanos(config.millis(ConfigKey.RATES_TICK, 100, 5_000)));
        alertRules = List.copyOf(AlertSettings.read(config.alertKeys(), config.warnings()));
        captureContent = config.bool(ConfigKey.CAPTURE_CONTENT);
        privacy = config.privacy();
        idHasher = config.idHasher();
        samplingRate = config.decimal(ConfigKey.SAMPLING_RATE, 0, 1);
        samplingKeepSlowerThanMillis = config.millis(ConfigKey.SAMPLING_KEEP_SLOWER_THAN, 0, Long.MAX_VALUE / 1_000_000);
        samplingPing = config.bool(ConfigKey.SAMPLING_PING);
        samplingMaxPerSecond = config.decimal(ConfigKey.SAMPLING_MAX_PER_SECOND, 0, 1e9);
        samplingAdaptiveErrorRate = config.decimal(ConfigKey.SAMPLING_ADAPTIVE_ERROR_RATE, 0, 1);
        samplingSessionFirst = config.integer(ConfigKey.SAMPLING_SESSION_FIRST, 0, 1_000_000);
        captureMaxChars = config.integer(ConfigKey.CAPTURE_MAX_CHARS, 64, 1_000_000);
    }

    /**
     * {@code observatory.exporter}: one name or a comma-separated list, each once; {@code none} with others is left
     * out. An unknown name is one warning naming the key, and the default is used instead of the whole value.
     */
    private static List<String> exporters(Config config, String fallback) {
        if (!config.isSet(ConfigKey.EXPORTER)) {
            return List.of(fallback);
        }
        String value = config.string(ConfigKey.EXPORTER);
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (String part : value.split(",")) {
            String name = part.trim().toLowerCase(java.util.Locale.ROOT);
            if (!List.of(EXPORTER_JSONL, EXPORTER_POSTGRES, EXPORTER_OTLP, EXPORTER_NONE).contains(name)) {
                config.warnings().add(ConfigKey.EXPORTER.key + "='" + value + "' is not one of jsonl, postgres, otlp,"
                        + " none (or a comma-separated list of them); using " + fallback);
                return List.of(fallback);
            }
            names.add(name);
        }
        if (names.size() > 1) {
            names.remove(EXPORTER_NONE);
        }
        return List.copyOf(names);
    }

    /** The password file wins over the plain setting; an unreadable file is a warning naming the key, not the value. */
    private static String password(Config config) {
        if (config.isSet(ConfigKey.JDBC_PASSWORD_FILE)) {
            String file = config.string(ConfigKey.JDBC_PASSWORD_FILE);
            try {
                List<String> lines = Files.readAllLines(Paths.get(file));
                return lines.isEmpty() ? "" : lines.get(0).trim();
            } catch (IOException | RuntimeException e) {
                config.warnings().add(ConfigKey.JDBC_PASSWORD_FILE.key + "='" + file + "' could not be read (" + e
                        + "); using observatory.jdbc.password if set");
            }
        }
        return config.isSet(ConfigKey.JDBC_PASSWORD) ? config.string(ConfigKey.JDBC_PASSWORD) : null;
    }

    public static AgentSettings from(Config config) {
        return new AgentSettings(config, System.getProperty("sun.java.command"));
    }

    static AgentSettings from(Config config, String javaCommand) {
        return new AgentSettings(config, javaCommand);
    }

    /**
     * {@code sun.java.command} is the main class or the jar path followed by the arguments: a jar gives its file name
     * without {@code .jar}, a class its simple name.
     */
    static String defaultServiceName(String javaCommand) {
        if (javaCommand == null || javaCommand.isBlank()) {
            return "mcp-server";
        }
        String main = javaCommand.trim().split("\\s+")[0];
        if (main.endsWith(".jar")) {
            String file = Paths.get(main).getFileName().toString();
            return file.substring(0, file.length() - ".jar".length());
        }
        int dot = main.lastIndexOf('.');
        return dot >= 0 ? main.substring(dot + 1) : main;
    }
}
