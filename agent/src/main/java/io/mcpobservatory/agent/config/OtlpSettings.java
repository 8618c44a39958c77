package io.mcpobservatory.agent.config;

import io.mcpobservatory.export.otlp.OtlpTarget;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OTLP exporter's settings, named as the OpenTelemetry agent names them ({@code otel.exporter.otlp.*}, read through
 * {@link ConfigKey#otelAlias}) with our {@code observatory.otlp.*} first; a per-signal setting
 * ({@code .traces.endpoint}) wins over the general one. Bad values are one warning each, naming the key (never a
 * header's value: headers carry API keys) and what is used instead.
 */
final class OtlpSettings {

    static final String HTTP_PROTOBUF = "http/protobuf";
    private static final String TRACES_PATH = "v1/traces";
    private static final String METRICS_PATH = "v1/metrics";

    private OtlpSettings() {
    }

    static OtlpTarget read(Config config, String serviceName, Map<String, String> resourceAttributes,
                           String agentVersion) {
        ConfigKey protocolKey = signal(config, ConfigKey.OTLP_TRACES_PROTOCOL, ConfigKey.OTLP_PROTOCOL);
        if (!HTTP_PROTOBUF.equalsIgnoreCase(config.string(protocolKey))) {
            config.rejected(protocolKey, "is not supported (only http/protobuf: gRPC would need an HTTP/2 client with"
                    + " trailers the agent does not carry, see the README)", HTTP_PROTOBUF);
        }
        URI endpoint = endpoint(config, ConfigKey.OTLP_TRACES_ENDPOINT, TRACES_PATH);
        URI metrics = config.bool(ConfigKey.OTLP_METRICS_ENABLED)
                ? endpoint(config, ConfigKey.OTLP_METRICS_ENDPOINT, METRICS_PATH) : null;
        long metricsInterval = config.millis(ConfigKey.OTLP_METRICS_INTERVAL, 1_000, 3_600_000);
        ConfigKey headersKey = signal(config, ConfigKey.OTLP_TRACES_HEADERS, ConfigKey.OTLP_HEADERS);
        Map<String, String> headers = config.isSet(headersKey)
                ? keyValues(config, headersKey, true) : Map.of();
        ConfigKey compressionKey = signal(config, ConfigKey.OTLP_TRACES_COMPRESSION, ConfigKey.OTLP_COMPRESSION);
        boolean gzip = "gzip".equals(config.choice(compressionKey, "none", "gzip", "none"));
        ConfigKey timeoutKey = signal(config, ConfigKey.OTLP_TRACES_TIMEOUT, ConfigKey.OTLP_TIMEOUT);
        long timeout = config.millis(timeoutKey, 1, 600_000);
        Map<String, String> resource = new LinkedHashMap<>();
        resource.put("service.name", serviceName);
        resource.put("telemetry.sdk.name", "mcp-observatory");
        resource.put("telemetry.sdk.language", "java");
        if (agentVersion != null) {
            resource.put("telemetry.sdk.version", agentVersion);
        }
        resourceAttributes.forEach((key, value) -> {
            if (!key.equals("service.name")) {
                resource.put(key, value);
            }
        });
        return new OtlpTarget(endpoint, metrics, metricsInterval, headers, gzip, timeout, resource, agentVersion);
    }

    /** The per-signal key when it is set, else the general one. */
    private static ConfigKey signal(Config config, ConfigKey perSignal, ConfigKey general) {
        return config.isSet(perSignal) ? perSignal : general;
    }

    /**
     * The per-signal endpoint ({@code observatory.otlp.traces.endpoint}) as it is, else {@code observatory.otlp.endpoint}
     * + {@code /v1/traces} (as OpenTelemetry's exporters do); a value that is not an http(s) URL with a host is a warning
     * and the default.
     */
    private static URI endpoint(Config config, ConfigKey perSignal, String path) {
        String defaultBase = ConfigKey.OTLP_ENDPOINT.defaultValue;
        if (config.isSet(perSignal)) {
            URI uri = url(config, perSignal, defaultBase + "/" + path);
            if (uri != null) {
                return uri;
            }
        }
        URI base = url(config, ConfigKey.OTLP_ENDPOINT, defaultBase);
        String text = base == null ? defaultBase : base.toString();
        return URI.create(text + (text.endsWith("/") ? "" : "/") + path);
    }

    /** The key's URL, or null after a warning (once: the rejected value is gone, both signals read the base URL). */
    private static URI url(Config config, ConfigKey key, String fallback) {
        String value = config.string(key);
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null) {
                uri.toURL(); // the exporter's own check
                return uri;
            }
        } catch (java.net.URISyntaxException | java.net.MalformedURLException | IllegalArgumentException e) {
            // below
        }
        config.rejected(key, "is not an http:// or https:// URL with a host", fallback);
        return null;
    }

    /**
     * {@code key=value,key2=value2} with percent-encoded values (the W3C baggage form OpenTelemetry uses for headers
     * and resource attributes). A malformed entry is one warning naming the key and the entry's position, not its text
     * when {@code secret}; the other entries are used.
     */
    static Map<String, String> keyValues(Config config, ConfigKey key, boolean secret) {
        Map<String, String> entries = new LinkedHashMap<>();
        String[] parts = config.string(key).split(",");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                continue;
            }
            int equals = part.indexOf('=');
            String name = equals <= 0 ? null : part.substring(0, equals).trim();
            String value = null;
            if (name != null && isToken(name)) {
                try {
                    value = URLDecoder.decode(part.substring(equals + 1).trim().replace("+", "%2B"),
                            StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    value = null;
                }
            }
            if (value == null || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                config.warnings().add(key.key + " (" + config.source(key) + "): entry " + (i + 1) + " of " + parts.length
                        + (secret ? "" : " ('" + part + "')")
                        + " is not name=value with a valid name and value" + (secret ? " (not shown: it may be a"
                        + " secret)" : "") + "; ignored, the other entries are used");
                continue;
            }
            entries.put(name, value);
        }
        return entries;
    }

    /** An HTTP header name (RFC 9110 token), which is also a fine attribute key. */
    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return !name.isEmpty();
    }
}
