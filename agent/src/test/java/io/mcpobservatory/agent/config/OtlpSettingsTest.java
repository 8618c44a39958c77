package io.mcpobservatory.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.export.otlp.OtlpTarget;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The exporter list, and the OTLP settings under our names and the OpenTelemetry agent's. */
class OtlpSettingsTest {

    @Test
    void exporterListKeepsOrderDropsNoneAndRejectsUnknownNames() {
        assertEquals(List.of("postgres", "otlp"), settings(ConfigTest.props("observatory.exporter", " Postgres , otlp,otlp,none"),
                Map.of()).exporters);
        Config bad = Config.load(null, ConfigTest.props("observatory.exporter", "postgres,kafka"), Map.of());
        AgentSettings settings = AgentSettings.from(bad, "Main");
        assertEquals(List.of("jsonl"), settings.exporters);
        assertNull(settings.otlp, "no OTLP settings read without the otlp exporter");
        assertTrue(bad.warnings().get(0).contains("observatory.exporter='postgres,kafka'"), bad.warnings().toString());
    }

    @Test
    void openTelemetryNamesFromTheEnvironmentWhenOursAreNotSet() {
        OtlpTarget target = settings(ConfigTest.props("observatory.exporter", "otlp"), Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector.example:4318/",
                "OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%2Cb%3Dc,x-team=ops",
                "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "2500",
                "OTEL_SERVICE_NAME", "billing",
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod,service.name=not-this")).otlp;
        assertEquals("https://collector.example:4318/v1/traces", target.tracesEndpoint().toString());
        assertEquals(Map.of("api-key", "a,b=c", "x-team", "ops"), target.headers());
        assertTrue(target.gzip());
        assertEquals(2500, target.timeoutMillis());
        assertEquals("billing", target.resource().get("service.name"));
        assertEquals("prod", target.resource().get("deployment.environment"));
    }

    @Test
    void oursWinAndPerSignalWinsOverGeneral() {
        Config config = Config.load(null, ConfigTest.props("observatory.exporter", "jsonl,otlp",
                "observatory.otlp.endpoint", "http://ours:4318",
                "observatory.otlp.traces.endpoint", "http://traces.ours:9999/custom/path",
                "observatory.otlp.headers", "a=1", "observatory.otlp.traces.headers", "b=2"),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://theirs:4318",
                        "OTEL_RESOURCE_ATTRIBUTES", "service.name=from-resource"));
        AgentSettings settings = AgentSettings.from(config, "Main");
        assertEquals("http://traces.ours:9999/custom/path", settings.otlp.tracesEndpoint().toString());
        assertEquals(Map.of("b", "2"), settings.otlp.headers());
        assertFalse(settings.otlp.gzip());
        assertEquals(10_000, settings.otlp.timeoutMillis());
        assertEquals("from-resource", settings.serviceName, "service.name of the resource attributes, ours unset");
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
    }

    @Test
    void badValuesAreOneWarningEachWithoutTheSecret() {
        Config config = Config.load(null, ConfigTest.props("observatory.exporter", "otlp",
                "observatory.otlp.endpoint", "localhost:4318",
                "observatory.otlp.headers", "authorization=Bearer%20s3cret,=nokey,bad name=x",
                "observatory.otlp.compression", "zstd", "observatory.otlp.protocol", "http/json"), Map.of());
        OtlpTarget target = AgentSettings.from(config, "Main").otlp;
        assertEquals("http://localhost:4318/v1/traces", target.tracesEndpoint().toString());
        assertEquals(Map.of("authorization", "Bearer s3cret"), target.headers());
        assertFalse(target.gzip());
        List<String> warnings = config.warnings();
        assertEquals(5, warnings.size(), warnings.toString());
        assertFalse(warnings.toString().contains("s3cret"));
        assertFalse(target.toString().contains("s3cret"));
    }

    /** A bad value read under OpenTelemetry's name is warned about under ours, saying where it came from. */
    @Test
    void aWarningSaysWhereTheValueCameFrom() {
        Config config = Config.load(null, ConfigTest.props("observatory.exporter", "otlp",
                "observatory.otlp.protocol", "grpc"), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318",
                "OTEL_EXPORTER_OTLP_HEADERS", "no-equals-sign", "OTEL_RESOURCE_ATTRIBUTES", "team"));
        AgentSettings.from(config, "Main");
        assertEquals(List.of(
                "observatory.resource.attributes (environment OTEL_RESOURCE_ATTRIBUTES): entry 1 of 1 ('team') is not"
                        + " name=value with a valid name and value; ignored, the other entries are used",
                "observatory.otlp.protocol='grpc' (system property) is not supported (only http/protobuf: gRPC would"
                        + " need an HTTP/2 client with trailers the agent does not carry, see the README); using"
                        + " http/protobuf",
                "observatory.otlp.endpoint='collector:4318' (environment OTEL_EXPORTER_OTLP_ENDPOINT) is not an http://"
                        + " or https:// URL with a host; using http://localhost:4318",
                "observatory.otlp.headers (environment OTEL_EXPORTER_OTLP_HEADERS): entry 1 of 1 is not name=value with"
                        + " a valid name and value (not shown: it may be a secret); ignored, the other entries are used"),
                config.warnings());
    }

    private static AgentSettings settings(Properties properties, Map<String, String> environment) {
        Config config = Config.load(null, properties, environment);
        AgentSettings settings = AgentSettings.from(config, "Main");
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
        return settings;
    }
}
