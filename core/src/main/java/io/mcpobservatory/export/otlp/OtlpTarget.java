package io.mcpobservatory.export.otlp;

import java.net.URI;
import java.util.Map;

/**
 * Where and how the OTLP exporter sends: the traces endpoint (the full URL, {@code /v1/traces} included), the request
 * headers (API keys: never logged, and not in {@link #toString}), gzip or not, the timeout of one request, and the
 * resource every span is sent with; the metrics endpoint ({@code /v1/metrics}, null: no metrics over OTLP) and how
 * often the metrics are sent.
 */
public record OtlpTarget(URI tracesEndpoint, URI metricsEndpoint, long metricsIntervalMillis,
                         Map<String, String> headers, boolean gzip, long timeoutMillis, Map<String, String> resource,
                         String agentVersion) {

    public OtlpTarget {
        headers = Map.copyOf(headers);
    }

    /** The traces endpoint for log lines (see {@link #describe}). */
    @Override
    public String toString() {
        return describe(tracesEndpoint);
    }

    /** An endpoint without user info, query or fragment (which may carry secrets), for log lines. */
    static String describe(URI uri) {
        return "otlp " + uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
