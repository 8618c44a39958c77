package io.mcpobservatory.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static Properties props(String... pairs) {
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
}
