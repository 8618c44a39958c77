package io.mcpobservatory.export.otlp;

import java.net.URI;
import java.util.Map;

/**
 * Where and how the OTLP exporter sends: the traces endpoint (the full URL, {@code /v1/traces} included), the request
 * headers (API keys: never logged), gzip or not, the timeout of one request, and the resource every span is sent with.
 */
public final class OtlpTarget {

    final URI tracesEndpoint;
    /** Never logged: they carry API keys. */
    final Map<String, String> headers;
    final boolean gzip;
    final long timeoutMillis;
    final Map<String, String> resource;
    final String agentVersion;

    public OtlpTarget(URI tracesEndpoint, Map<String, String> headers, boolean gzip, long timeoutMillis,
                      Map<String, String> resource, String agentVersion) {
        this.tracesEndpoint = tracesEndpoint;
        this.headers = Map.copyOf(headers);
        this.gzip = gzip;
        this.timeoutMillis = timeoutMillis;
        this.resource = resource;
        this.agentVersion = agentVersion;
    }

    /** The endpoint without user info, query or fragment (which may carry secrets), for log lines. */
    @Override
    public String toString() {
        URI uri = tracesEndpoint;
        return "otlp " + uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
