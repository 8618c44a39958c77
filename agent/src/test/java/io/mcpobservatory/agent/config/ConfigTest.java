package io.mcpobservatory.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.privacy.IdHasher;
import io.mcpobservatory.privacy.Masker;
import io.mcpobservatory.privacy.PrivacyConfig;
import io.mcpobservatory.tokens.PriceTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path path = dir.resolve("observatory.properties");
        Files.writeString(path, content);
        return path;
    }

    static Properties props(String... pairs) {
        Properties properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    @Test
    void defaultsWithNothingSet() {
        Config config = Config.load(null, new Properties(), Map.of());
        AgentSettings settings = AgentSettings.from(config, "com.example.WeatherServer --port 1");
        assertTrue(settings.enabled);
        assertEquals("WeatherServer", settings.serviceName);
        assertEquals("jsonl", settings.exporter);
        assertEquals(Path.of("mcp-observatory/spans.jsonl").toAbsolutePath(), settings.jsonlPath);
        assertEquals(8192, settings.bufferCapacity);
        assertEquals(1000, settings.batchSize);
        assertEquals(1000, settings.exportIntervalMillis);
        assertEquals(5000, settings.shutdownTimeoutMillis);
        assertEquals(100L << 20, settings.jsonlMaxBytes);
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
    }

    @Test
    void serviceNameFromJar() {
        Config config = Config.load(null, new Properties(), Map.of());
        assertEquals("my-mcp-server", AgentSettings.from(config, "/opt/app/my-mcp-server.jar serve").serviceName);
    }

    @Test
    void precedenceSystemPropertyOverEnvironmentOverFileOverDefault() throws IOException {
        Path path = file("observatory.service.name=from-file\nobservatory.export.batch-size=10\n"
                + "observatory.buffer.capacity=64\nobservatory.summary.enabled=false\n");
        Config config = Config.load(path.toString(),
                props("observatory.service.name", "from-sysprop"),
                Map.of("OBSERVATORY_SERVICE_NAME", "from-env", "OBSERVATORY_EXPORT_BATCH_SIZE", "20"));
        AgentSettings settings = AgentSettings.from(config, "Main");
        assertEquals("from-sysprop", settings.serviceName);
        assertEquals(20, settings.batchSize);
        assertEquals(64, settings.bufferCapacity);
        assertFalse(settings.summaryEnabled);
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
    }

    @Test
    void configFileFromSystemPropertyOrEnvironment() throws IOException {
        Path path = file("observatory.service.name=named-in-file\n");
        Config viaProperty = Config.load(null, props("observatory.config", path.toString()), Map.of());
        assertEquals("named-in-file", AgentSettings.from(viaProperty, "Main").serviceName);
        Config viaEnv = Config.load(null, new Properties(), Map.of("OBSERVATORY_CONFIG", path.toString()));
        assertEquals("named-in-file", AgentSettings.from(viaEnv, "Main").serviceName);
    }

    @Test
    void badValuesWarnOnceNamingKeyValueAndDefault() {
        Config config = Config.load(null, props("observatory.buffer.capacity", "lots",
                "observatory.export.interval", "soon", "observatory.enabled", "yes-please",
                "observatory.exporter", "kafka"), Map.of());
        AgentSettings settings = AgentSettings.from(config, "Main");
        assertEquals(8192, settings.bufferCapacity);
        assertEquals(1000, settings.exportIntervalMillis);
        assertTrue(settings.enabled);
        assertEquals("jsonl", settings.exporter);
        List<String> warnings = config.warnings();
        assertEquals(4, warnings.size(), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("observatory.buffer.capacity='lots'")
                && w.contains("using 8192")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("observatory.exporter='kafka'") && w.contains("using jsonl")));
    }

    @Test
    void outOfRangeValueWarns() {
        Config config = Config.load(null, props("observatory.export.batch-size", "0"), Map.of());
        assertEquals(1000, AgentSettings.from(config, "Main").batchSize);
        assertEquals(1, config.warnings().size());
        assertTrue(config.warnings().get(0).contains("outside"));
    }

    @Test
    void unknownKeysWarn() throws IOException {
        Path path = file("observatory.servcie.name=typo\n");
        Config config = Config.load(path.toString(), props("observatory.nope", "1"), Map.of("OBSERVATORY_WHAT", "x"));
        AgentSettings.from(config, "Main");
        assertEquals(3, config.warnings().size(), config.warnings().toString());
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("observatory.servcie.name")));
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("OBSERVATORY_WHAT")));
    }

    @Test
    void missingFileWarnsAndDefaultsApply() {
        Config config = Config.load(dir.resolve("absent.properties").toString(), new Properties(), Map.of());
        assertEquals("jsonl", AgentSettings.from(config, "Main").exporter);
        assertEquals(1, config.warnings().size());
    }

    @Test
    void exporterDefaultsToPostgresWhenJdbcUrlIsSet() {
        Config config = Config.load(null, props("observatory.jdbc.url", "jdbc:postgresql://127.0.0.1/x"), Map.of());
        assertEquals("postgres", AgentSettings.from(config, "Main").exporter);
    }

    @Test
    void tokenAndModelDefaults() {
        Config config = Config.load(null, new Properties(), Map.of());
        AgentSettings settings = AgentSettings.from(config, "Main");
        assertEquals("o200k_base", settings.tokensEncoding);
        assertEquals(100_000, settings.tokensMaxChars);
        assertEquals("claude-sonnet-4-5", settings.model);
        assertTrue(settings.priceOverrides.isEmpty());
        // The default model must be priced by the shipped table, else every span of a default setup has no cost.
        assertNotNull(PriceTable.load(Map.of()).price(settings.model));
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
    }

    @Test
    void tokenSettings() {
        Config config = Config.load(null, props("observatory.tokens.encoding", "CL100K_BASE",
                "observatory.tokens.max-chars", "5000", "observatory.model", "gpt-4.1"), Map.of());
        AgentSettings settings = AgentSettings.from(config, "Main");
        assertEquals("cl100k_base", settings.tokensEncoding);
        assertEquals(5000, settings.tokensMaxChars);
        assertEquals("gpt-4.1", settings.model);
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
    }

    @Test
    void badTokenSettingsWarnOnceNamingKeyValueAndDefault() {
        Config config = Config.load(null, props("observatory.tokens.encoding", "p50k_base",
                "observatory.tokens.max-chars", "0"), Map.of());
        AgentSettings settings = AgentSettings.from(config, "Main");
        assertEquals("o200k_base", settings.tokensEncoding);
        assertEquals(100_000, settings.tokensMaxChars);
        List<String> warnings = config.warnings();
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("observatory.tokens.encoding='p50k_base'")
                && w.contains("using o200k_base")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("observatory.tokens.max-chars='0'")
                && w.contains("using 100000")), warnings.toString());
    }

    @Test
    void privacyKeysBuildTheMaskingSettings() throws IOException {
        Path path = file("observatory.privacy.sensitive-keys=pin, otp\n"
                + "observatory.privacy.patterns.order=ORD-[0-9]{6}\n"
                + "observatory.privacy.patterns.broken=([a-z\n");
        Config config = Config.load(path.toString(), props("observatory.privacy.max-chars", "500"), Map.of());
        Masker masker = Masker.create(config.privacy());
        assertEquals("{\"otp\":\"[REDACTED:key]\",\"password\":\"[REDACTED:key]\",\"ref\":\"[REDACTED:order]\"}",
                masker.maskJson("{\"otp\":123456,\"password\":\"x\",\"ref\":\"ORD-123456\"}"));
        assertEquals(500, config.privacy().maxChars());
        assertEquals(1, config.warnings().size(), config.warnings().toString());
        assertTrue(config.warnings().get(0).startsWith("observatory.privacy.patterns.broken="), config.warnings().toString());
    }

    @Test
    void privacyDefaultsAgreeWithTheMaskingLibrary() {
        Config config = Config.load(null, new Properties(), Map.of());
        assertEquals(PrivacyConfig.DEFAULT_MAX_CHARS, config.privacy().maxChars());
        assertEquals(PrivacyConfig.SENSITIVE_KEYS, ConfigKey.PRIVACY_SENSITIVE_KEYS.key);
        assertEquals(PrivacyConfig.MAX_CHARS, ConfigKey.PRIVACY_MAX_CHARS.key);
        assertEquals(PrivacyConfig.PATTERNS_PREFIX, ConfigKey.PRIVACY_PATTERNS_PREFIX);
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
    }

    @Test
    void idHashingIsOffByDefaultAndKeyedByTheSalt() {
        assertEquals(null, Config.load(null, new Properties(), Map.of()).idHasher());
        Config config = Config.load(null, props("observatory.privacy.hash-ids", "true"),
                Map.of("OBSERVATORY_PRIVACY_SALT", "deployment-1"));
        assertFalse(config.idHasher().randomSalt());
        assertEquals(config.idHasher().hash("session-1"), config.idHasher().hash("session-1"));
        assertEquals(IdHasher.HASH_IDS, ConfigKey.PRIVACY_HASH_IDS.key);
        assertEquals(IdHasher.SALT, ConfigKey.PRIVACY_SALT.key);
    }

    @Test
    void pricingKeysPerModelAndSide() throws IOException {
        // Model names with dots and dated suffixes; the system property wins over the file, as for every key.
        Path path = file("observatory.pricing.gpt-4.1.input-per-mtok=1.5\n"
                + "observatory.pricing.gpt-4.1.output-per-mtok=6\n"
                + "observatory.pricing.in-house-7b.output-per-mtok=0.25\n"
                + "observatory.pricing.claude-sonnet-4-5-20250929.input-per-mtok=9\n");
        Config config = Config.load(path.toString(),
                props("observatory.pricing.claude-sonnet-4-5-20250929.input-per-mtok", "2.5"), Map.of());
        AgentSettings settings = AgentSettings.from(config, "Main");
        assertEquals(Map.of(
                "gpt-4.1", new PriceTable.Price(1.5, 6.0),
                "in-house-7b", new PriceTable.Price(null, 0.25),
                "claude-sonnet-4-5-20250929", new PriceTable.Price(2.5, null)), settings.priceOverrides);
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
    }

    @Test
    void badPricesWarnOnceAndKeepTheTablePrice() {
        Config config = Config.load(null, props(
                "observatory.pricing.gpt-4o.input-per-mtok", "cheap",
                "observatory.pricing.gpt-4o.output-per-mtok", "-1",
                "observatory.pricing.gpt-4o-mini.output-per-mtok", "NaN",
                "observatory.pricing.o3.input-per-mtok", "2"), Map.of());
        AgentSettings settings = AgentSettings.from(config, "Main");
        AgentSettings.from(config, "Main"); // read twice: still one warning per key
        assertEquals(Map.of("o3", new PriceTable.Price(2.0, null)), settings.priceOverrides);
        List<String> warnings = config.warnings();
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("observatory.pricing.gpt-4o.input-per-mtok='cheap'")
                && w.contains("price table")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("observatory.pricing.gpt-4o.output-per-mtok='-1'")),
                warnings.toString());
    }

    @Test
    void pricingKeysThatAreNotQuiteRightAreUnknown() {
        Config config = Config.load(null, props("observatory.pricing.gpt-4o.input", "1",
                "observatory.pricing..input-per-mtok", "1", "observatory.pricing.input-per-mtok", "1"),
                Map.of("OBSERVATORY_PRICING_GPT_4O_INPUT_PER_MTOK", "1"));
        AgentSettings settings = AgentSettings.from(config, "Main");
        assertTrue(settings.priceOverrides.isEmpty(), settings.priceOverrides.toString());
        List<String> warnings = config.warnings();
        assertEquals(4, warnings.size(), warnings.toString());
        assertEquals(3, warnings.stream().filter(w -> w.contains("is not a known setting")).count(), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("OBSERVATORY_PRICING_GPT_4O_INPUT_PER_MTOK")
                && w.contains("cannot be set from the environment")), warnings.toString());
    }

    @Test
    void durationsAndSizes() {
        assertEquals(250L, Config.parseMillis("250ms"));
        assertEquals(5000L, Config.parseMillis("5s"));
        assertEquals(120_000L, Config.parseMillis("2m"));
        assertEquals(42L, Config.parseMillis("42"));
        assertEquals(null, Config.parseMillis("-1s"));
        assertEquals(512L << 10, Config.parseBytes("512KB"));
        assertEquals(3L << 20, Config.parseBytes("3 MB"));
        assertEquals(null, Config.parseBytes("big"));
    }

    @Test
    void prometheusEndpointIsOffByDefaultOnLoopback() {
        AgentSettings settings = AgentSettings.from(Config.load(null, new Properties(), Map.of()), "Main");
        assertEquals(null, settings.prometheusPort);
        assertEquals("127.0.0.1", settings.prometheusHost);
        assertEquals(2000, settings.metricsMaxSeries);
    }

    @Test
    void prometheusSettingsAndTheOpenTelemetryAgentsNamesAsAliases() {
        Config own = Config.load(null, props("observatory.prometheus.port", "9464", "observatory.prometheus.host",
                "0.0.0.0", "observatory.metrics.max-series", "50"), Map.of());
        AgentSettings settings = AgentSettings.from(own, "Main");
        assertEquals(9464, settings.prometheusPort);
        assertEquals("0.0.0.0", settings.prometheusHost);
        assertEquals(50, settings.metricsMaxSeries);

        Config alias = Config.load(null, props("otel.exporter.prometheus.port", "9999"),
                Map.of("OTEL_EXPORTER_PROMETHEUS_HOST", "10.0.0.1"));
        assertEquals(9999, AgentSettings.from(alias, "Main").prometheusPort);
        assertEquals("10.0.0.1", AgentSettings.from(alias, "Main").prometheusHost);
        assertTrue(alias.warnings().isEmpty(), alias.warnings().toString());

        // ours win over the alias, from any source: two agents in one JVM must be able to use two ports
        Config both = Config.load(null, props("otel.exporter.prometheus.port", "9464"),
                Map.of("OBSERVATORY_PROMETHEUS_PORT", "9470"));
        assertEquals(9470, AgentSettings.from(both, "Main").prometheusPort);
    }

    @Test
    void badPrometheusPortWarnsOnceAndLeavesTheEndpointOff() {
        Config config = Config.load(null, props("observatory.prometheus.port", "http", "observatory.metrics.max-series",
                "0"), Map.of());
        AgentSettings settings = AgentSettings.from(config, "Main");
        assertEquals(null, settings.prometheusPort);
        assertEquals(2000, settings.metricsMaxSeries);
        assertEquals(2, config.warnings().size(), config.warnings().toString());
        assertTrue(config.warnings().get(0).startsWith("observatory.prometheus.port='http' (system property) is not a"
                + " port (0..65535); no metrics endpoint"), config.warnings().toString());
        assertTrue(config.warnings().get(1).contains("observatory.metrics.max-series='0'")
                && config.warnings().get(1).contains("using 2000"), config.warnings().toString());
        Config outOfRange = Config.load(null, props("otel.exporter.prometheus.port", "70000"), Map.of());
        assertEquals(null, AgentSettings.from(outOfRange, "Main").prometheusPort);
        assertTrue(outOfRange.warnings().get(0).contains("(system property otel.exporter.prometheus.port)"),
                outOfRange.warnings().toString());
    }
}
