package io.mcpobservatory.agent.config;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The typed settings the agent runs with, read from a {@link Config}; bad values already replaced by defaults. */
public final class AgentSettings {

    public static final String EXPORTER_JSONL = "jsonl";
    public static final String EXPORTER_POSTGRES = "postgres";
    public static final String EXPORTER_NONE = "none";

    public final boolean enabled;
    public final String serviceName;
    public final String exporter;
    public final Path jsonlPath;
    public final long jsonlMaxBytes;
    public final int jsonlMaxFiles;
    public final int bufferCapacity;
    public final int batchSize;
    public final long exportIntervalMillis;
    public final long shutdownTimeoutMillis;
    public final boolean summaryEnabled;
    public final String jdbcUrl;
    public final boolean debug;

    private AgentSettings(Config config, String javaCommand) {
        enabled = config.bool(ConfigKey.ENABLED);
        serviceName = config.isSet(ConfigKey.SERVICE_NAME)
                ? config.string(ConfigKey.SERVICE_NAME) : defaultServiceName(javaCommand);
        jdbcUrl = config.isSet(ConfigKey.JDBC_URL) ? config.string(ConfigKey.JDBC_URL) : null;
        exporter = config.choice(ConfigKey.EXPORTER, jdbcUrl != null ? EXPORTER_POSTGRES : EXPORTER_JSONL,
                EXPORTER_JSONL, EXPORTER_POSTGRES, EXPORTER_NONE);
        jsonlPath = Paths.get(config.string(ConfigKey.JSONL_PATH)).toAbsolutePath();
        jsonlMaxBytes = config.bytes(ConfigKey.JSONL_MAX_BYTES, 1024, Long.MAX_VALUE);
        jsonlMaxFiles = config.integer(ConfigKey.JSONL_MAX_FILES, 0, 1000);
        bufferCapacity = config.integer(ConfigKey.BUFFER_CAPACITY, 16, 1 << 24);
        batchSize = config.integer(ConfigKey.EXPORT_BATCH_SIZE, 1, 100_000);
        exportIntervalMillis = config.millis(ConfigKey.EXPORT_INTERVAL, 10, 3_600_000);
        shutdownTimeoutMillis = config.millis(ConfigKey.SHUTDOWN_TIMEOUT, 0, 600_000);
        summaryEnabled = config.bool(ConfigKey.SUMMARY_ENABLED);
        debug = config.bool(ConfigKey.DEBUG);
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
