package io.mcpobservatory.agent.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every configuration key the agent knows, with its default and a one-line description. The README's configuration table
 * is this list; a key not here is reported as unknown, except the per-model pricing keys (see {@link #PRICING_PREFIX}).
 */
public enum ConfigKey {
    CONFIG("observatory.config", null, "Path of a properties file (also the agent argument, or env OBSERVATORY_CONFIG)."),
    ENABLED("observatory.enabled", "true",
            "Master switch. false: the agent installs nothing; on a running agent (a later attach), recording stops."),
    SERVICE_NAME("observatory.service.name", null,
            "Service name on every span. Default: otel.service.name (OTEL_SERVICE_NAME), service.name of"
                    + " otel.resource.attributes, else the main class's simple name, or the jar's file name without .jar.",
            "otel.service.name"),
    EXPORTER("observatory.exporter", null,
            "jsonl | postgres | otlp | none, or several comma-separated (postgres,otlp), each with its own queue."
                    + " Default: postgres when observatory.jdbc.url is set, else jsonl."),
    JSONL_PATH("observatory.jsonl.path", "mcp-observatory/spans.jsonl",
            "JSON-lines file, relative to the working directory unless absolute."),
    JSONL_MAX_BYTES("observatory.jsonl.max-bytes", "100MB",
            "Size at which the JSON-lines file rotates (B, KB, MB, GB)."),
    JSONL_MAX_FILES("observatory.jsonl.max-files", "5", "Rotated files kept (spans.jsonl.1 ... .N); older ones are deleted."),
    RESOURCE_ATTRIBUTES("observatory.resource.attributes", null,
            "Resource attributes of the OTLP export, key=value,... (percent-encoded values). Also read from"
                    + " otel.resource.attributes (OTEL_RESOURCE_ATTRIBUTES).", "otel.resource.attributes"),
    OTLP_ENDPOINT("observatory.otlp.endpoint", "http://localhost:4318",
            "OTLP/HTTP base URL; traces go to <endpoint>/v1/traces. Also read from otel.exporter.otlp.endpoint"
                    + " (OTEL_EXPORTER_OTLP_ENDPOINT).", "otel.exporter.otlp.endpoint"),
    OTLP_TRACES_ENDPOINT("observatory.otlp.traces.endpoint", null,
            "Full URL the spans are POSTed to (wins over observatory.otlp.endpoint). Also read from"
                    + " otel.exporter.otlp.traces.endpoint.", "otel.exporter.otlp.traces.endpoint"),
    OTLP_METRICS_ENDPOINT("observatory.otlp.metrics.endpoint", null,
            "Full URL the metrics are POSTed to (else <observatory.otlp.endpoint>/v1/metrics). Also read from"
                    + " otel.exporter.otlp.metrics.endpoint.", "otel.exporter.otlp.metrics.endpoint"),
    OTLP_METRICS_ENABLED("observatory.otlp.metrics.enabled", "true",
            "With the otlp exporter, also send the metrics (cumulative) over OTLP. false: spans only."),
    OTLP_METRICS_INTERVAL("observatory.otlp.metrics.interval", "60s",
            "How often the metrics are sent over OTLP (and once more at exit); a bare number is milliseconds. Also"
                    + " read from otel.metric.export.interval.", "otel.metric.export.interval"),
    OTLP_PROTOCOL("observatory.otlp.protocol", "http/protobuf",
            "http/protobuf (grpc and http/json are not supported: a warning, and http/protobuf is used). Also read"
                    + " from otel.exporter.otlp.protocol.", "otel.exporter.otlp.protocol"),
    OTLP_TRACES_PROTOCOL("observatory.otlp.traces.protocol", null,
            "The same for traces only. Also read from otel.exporter.otlp.traces.protocol.",
            "otel.exporter.otlp.traces.protocol"),
    OTLP_HEADERS("observatory.otlp.headers", null,
            "Request headers, key=value,... (percent-encoded values), e.g. API keys. Never logged. Also read from"
                    + " otel.exporter.otlp.headers.", "otel.exporter.otlp.headers"),
    OTLP_TRACES_HEADERS("observatory.otlp.traces.headers", null,
            "Headers for traces only (wins over observatory.otlp.headers). Also read from"
                    + " otel.exporter.otlp.traces.headers.", "otel.exporter.otlp.traces.headers"),
    OTLP_COMPRESSION("observatory.otlp.compression", "none",
            "gzip or none. Also read from otel.exporter.otlp.compression.", "otel.exporter.otlp.compression"),
    OTLP_TRACES_COMPRESSION("observatory.otlp.traces.compression", null,
            "The same for traces only. Also read from otel.exporter.otlp.traces.compression.",
            "otel.exporter.otlp.traces.compression"),
    OTLP_TIMEOUT("observatory.otlp.timeout", "10s",
            "Longest wait for one request (connect and answer); a bare number is milliseconds, as OpenTelemetry's."
                    + " Also read from otel.exporter.otlp.timeout.", "otel.exporter.otlp.timeout"),
    OTLP_TRACES_TIMEOUT("observatory.otlp.traces.timeout", null,
            "The same for traces only. Also read from otel.exporter.otlp.traces.timeout.",
            "otel.exporter.otlp.traces.timeout"),
    EXPORT_QUEUE_CAPACITY("observatory.export.queue-capacity", "8192",
            "Spans each exporter's own queue holds when it has one (otlp; every exporter of a list): past it a batch"
                    + " is dropped for that exporter and counted, so a slow backend holds back no other."),
    BUFFER_CAPACITY("observatory.buffer.capacity", "8192",
            "Spans the in-memory queue holds; when full, new spans are dropped and counted, never waited for."),
    BUFFER_MAX_BYTES("observatory.buffer.max-bytes", "64MB",
            "Estimated heap the queued spans may hold; past it new spans are dropped and counted, like a full queue."),
    EXPORT_BATCH_SIZE("observatory.export.batch-size", "1000", "Spans per export batch."),
    EXPORT_INTERVAL("observatory.export.interval", "1s", "Longest wait before a partial batch is exported (ms, s, m)."),
    SHUTDOWN_TIMEOUT("observatory.shutdown.timeout", "5s", "At JVM exit, how long queued spans may take to be exported."),
    SUMMARY_ENABLED("observatory.summary.enabled", "true",
            "Print the per-method and per-tool summary table on stderr at JVM exit."),
    JDBC_URL("observatory.jdbc.url", null,
            "PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/observability; setting it selects the postgres exporter."),
    JDBC_USER("observatory.jdbc.user", null, "PostgreSQL user (else the URL's or the driver's default)."),
    JDBC_PASSWORD("observatory.jdbc.password", null, "PostgreSQL password. Never logged."),
    JDBC_PASSWORD_FILE("observatory.jdbc.password-file", null,
            "File whose first line is the PostgreSQL password (wins over observatory.jdbc.password)."),
    JDBC_SCHEMA_MANAGE("observatory.jdbc.schema.manage", "true",
            "Apply the shipped schema migrations at start and manage partitions and retention. false: a DBA does it."),
    JDBC_CONNECTIONS("observatory.jdbc.connections", "2",
            "Connections of the exporter's pool: batches are written on that many connections in parallel."),
    RETENTION_DAYS("observatory.retention.days", "30", "Daily partitions of mcp_spans older than this are dropped."),
    SPOOL_DIR("observatory.spool.dir", "mcp-observatory/spool",
            "Where batches wait on disk while PostgreSQL is unavailable; replayed in order when it is back."),
    SPOOL_MAX_BYTES("observatory.spool.max-bytes", "256MB",
            "Disk the spool may use; when full, new batches are dropped and counted. 0 turns the spool off."),
    HEARTBEAT_INTERVAL("observatory.heartbeat.interval", "30s",
            "How often the agent's row in mcp_agents (counters, last_seen_at) is refreshed."),
    TOKENS_ENCODING("observatory.tokens.encoding", "o200k_base",
            "Tokenizer for prompt_tokens and completion_tokens: o200k_base or cl100k_base."),
    TOKENS_MAX_CHARS("observatory.tokens.max-chars", "100000",
            "Most characters tokenized per payload; beyond, the count is extrapolated from slices and marked estimated."),
    // The default: MCP servers are most often used from Claude clients (Claude Desktop, Claude Code), where Sonnet is the
    // usual model, and every Sonnet 4.x has had one list price ($3 in, $15 out per million tokens); see the README.
    MODEL("observatory.model", "claude-sonnet-4-5",
            "The model that reads the server's results: prices prompt_tokens and completion_tokens."),
    PROMETHEUS_PORT("observatory.prometheus.port", null,
            "Port of the Prometheus scrape endpoint (/metrics) and of /health; off when not set (9464 is the"
                    + " OpenTelemetry agent's; 0 picks a free port, logged). Also read from otel.exporter.prometheus.port.",
            "otel.exporter.prometheus.port"),
    PROMETHEUS_HOST("observatory.prometheus.host", "127.0.0.1",
            "Address the scrape endpoint listens on; the default keeps tool names on this machine (0.0.0.0: every"
                    + " interface). Also read from otel.exporter.prometheus.host.",
            "otel.exporter.prometheus.host"),
    METRICS_MAX_SERIES("observatory.metrics.max-series", "2000",
            "Most series per metric; past it, new attribute values fold into one series otel_metric_overflow=\"true\""
                    + " and are counted in mcp_observatory_metric_overflow_total."),
    RATES_LOW_CONFIDENCE("observatory.rates.low-confidence", "0.5",
            "A span's confidence below this counts in low_confidence_rate (0 to 1)."),
    RATES_PROMPT_DIFF_MAX("observatory.rates.prompt-diff-max", "0.2",
            "A prompt diff score above this counts in prompt_diff_violation_rate."),
    RATES_MAX_TOOLS("observatory.rates.max-tools", "100",
            "Most tools with rates of their own (about 64 KB each); further tools share one row, scope other_tools."),
    RATES_TICK("observatory.rates.tick", "5s",
            "Advanced, for tests: how often rates are published and alerts judged, and the fine bucket's width. The"
                    + " windows 1m, 5m and 1h are 12, 60 and 720 ticks, so a shorter tick shrinks them (names"
                    + " unchanged)."),
    PRIVACY_SENSITIVE_KEYS("observatory.privacy.sensitive-keys", null,
            "Key names (comma-separated) whose values are masked whole, added to the default list; an entry -defaults"
                    + " drops the default list. Matched on normalised names ending with an entry."),
    PRIVACY_MAX_CHARS("observatory.privacy.max-chars", "100000",
            "Most characters the masking scans per value; the rest is cut, marked [TRUNCATED:<n> chars]."),
    CAPTURE_CONTENT("observatory.capture.content", "false",
            "Store what tools are called with and return (and prompt, resource and sampling text) in tool_arguments and"
                    + " tool_result, masked (see Privacy). false: no content is stored anywhere."),
    CAPTURE_MAX_CHARS("observatory.capture.max-chars", "8192",
            "Most characters kept of each captured content (arguments, result); the rest is cut with a marker."),
    SAMPLING_RATE("observatory.sampling.rate", "1.0",
            "Share of traces whose successful spans are exported (0.0-1.0), chosen by trace id so a trace is kept or"
                    + " dropped whole across agents; a caller's traceparent sampled flag wins. Metrics count every span."),
    SAMPLING_KEEP_SLOWER_THAN("observatory.sampling.keep-slower-than", "1s",
            "Spans at least this slow are always exported (as are spans in error)."),
    SAMPLING_PING("observatory.sampling.ping", "false",
            "Export ping and notifications/* spans. false: they are counted in the metrics and the summary only."),
    SAMPLING_MAX_PER_SECOND("observatory.sampling.max-per-second", "0",
            "Most successful spans exported per second (a token bucket; excess counted as sampled out). 0: no limit."),
    SAMPLING_ADAPTIVE_ERROR_RATE("observatory.sampling.adaptive.error-rate", "0.05",
            "While more than this share of the last minute's spans failed, every trace is sampled (rate 1.0)."),
    SAMPLING_SESSION_FIRST("observatory.sampling.session-first", "0",
            "The first N requests of every session are always exported."),
    PRIVACY_HASH_IDS("observatory.privacy.hash-ids", "false",
            "true: session ids are stored as HMAC-SHA256 hashes keyed by observatory.privacy.salt."),
    PRIVACY_SALT("observatory.privacy.salt", null,
            "Key of the id hashes, one per deployment (hashes match across agents and restarts). Default: random at"
                    + " each start, said in the log (hashes then match within one run). Never logged."),
    DEBUG("observatory.debug", "false", "Log every SDK class the agent instruments (stderr).");

    /**
     * Dynamic keys, one per model and side, that are not constants here:
     * {@code observatory.pricing.<model>.input-per-mtok} and {@code .output-per-mtok}, USD per million tokens. The
     * model name may itself contain dots ({@code gpt-4.1}), so a key is recognised by its prefix and suffix.
     */
    public static final String PRICING_PREFIX = "observatory.pricing.";
    public static final String PRICING_INPUT_SUFFIX = ".input-per-mtok";
    public static final String PRICING_OUTPUT_SUFFIX = ".output-per-mtok";

    /**
     * Dynamic keys of the alert rules, {@code observatory.alert.<name>.<setting>} (expr, window, severity, cooldown,
     * min-calls, enabled): read by {@link AlertSettings} from the properties file, system properties and the agent
     * argument, like the pricing keys.
     */
    public static final String ALERT_PREFIX = "observatory.alert.";

    /**
     * Dynamic keys {@code observatory.privacy.patterns.<name>=<regex>}: extra masking patterns, each match masked as
     * {@code [REDACTED:<name>]}. Read from the properties file and system properties (a name does not survive the
     * environment variables' naming rules).
     */
    public static final String PRIVACY_PATTERNS_PREFIX = "observatory.privacy.patterns.";

    private static final Map<String, ConfigKey> BY_NAME = new LinkedHashMap<>();

    static {
        for (ConfigKey key : values()) {
            BY_NAME.put(key.key, key);
        }
    }

    public final String key;
    public final String defaultValue;
    public final String description;
    /**
     * The OpenTelemetry Java agent's name for the same setting, read (as a system property, or its environment
     * variable) when the key itself is set nowhere; null for most keys.
     */
    public final String otelAlias;

    ConfigKey(String key, String defaultValue, String description) {
        this(key, defaultValue, description, null);
    }

    ConfigKey(String key, String defaultValue, String description, String otelAlias) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
        this.otelAlias = otelAlias;
    }

    /** The environment variable for this key: upper case, {@code .} and {@code -} as {@code _}. */
    public String envName() {
        return envName(key);
    }

    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static ConfigKey byName(String name) {
        return BY_NAME.get(name);
    }
}
