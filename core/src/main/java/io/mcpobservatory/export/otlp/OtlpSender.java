package io.mcpobservatory.export.otlp;

import io.mcpobservatory.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPOutputStream;

/**
 * POSTs OTLP requests ({@code http/protobuf}) to one endpoint with the JDK's {@link HttpURLConnection} (in
 * {@code java.base}: nothing to load that a jlinked runtime may lack; keep-alive connections reused), on the calling
 * thread, which is the exporter's own (never the drainer's, never the application's).
 *
 * <p>Retries as the OTLP specification says: 429, 502, 503, 504 and connection errors are retried with backoff (1 s,
 * times 1.5 up to 5 s, with jitter), or after the receiver's {@code Retry-After}; the same request, so nothing is sent
 * twice unless a receiver took it and failed to say so. A request is retried until it is delivered, or until the
 * shutdown deadline ({@link #finishBy}). Any other answer (400, 401, 404, ...) is one warning with the receiver's
 * message, and the request is lost, not retried.
 */
final class OtlpSender {

    private static final long FIRST_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The longest Retry-After honoured: a receiver's answer must not park the exporter for hours. */
    private static final long MAX_RETRY_AFTER_NANOS = TimeUnit.MINUTES.toNanos(5);
    /** Most bytes read of an answer (a status message, a partial success). */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final String PROTOBUF = "application/x-protobuf";

    private final URL url;
    /** For log lines: the endpoint without user info or query. */
    private final String target;
    /** What the requests carry, for log lines: "spans", "data points". */
    private final String items;
    private final OtlpTarget settings;
    private final String userAgent;
    private final AtomicLong retries = new AtomicLong();
    private final ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    private volatile long deadlineNanos;
    private volatile boolean deadlineSet;

    OtlpSender(URI endpoint, String items, OtlpTarget settings) throws IOException {
        this.url = endpoint.toURL();
        this.target = OtlpTarget.describe(endpoint);
        this.items = items;
        this.settings = settings;
        this.userAgent = "mcp-observatory/" + (settings.agentVersion() == null ? "dev" : settings.agentVersion());
    }

    /** Sends {@code body[0, length)}, a request of {@code count} items; returns when delivered, else throws. */
    void send(byte[] body, int length, int count) throws IOException {
        if (settings.gzip()) {
            gzipped.reset();
            try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped, 8192)) {
                gzip.write(body, 0, length);
            }
            body = gzipped.toByteArray();
            length = body.length;
        }
        long backoff = FIRST_BACKOFF_NANOS;
        while (true) {
            Answer answer;
            try {
                answer = post(body, length);
            } catch (IOException e) {
                answer = new Answer(-1, e.toString(), null, 0, false);
            }
            if (answer.status >= 200 && answer.status < 300) {
                partialSuccess(answer);
                return;
            }
            if (!answer.retryable()) {
                Log.warnOnce("otlp-refused-" + items + answer.status, target + " refused a request of " + count + " "
                        + items + " with HTTP " + answer.status + ": " + answer.message + " (not retried; further"
                        + " refusals with this status are counted, not logged)");
                throw new IOException("HTTP " + answer.status + " from " + target + ": " + answer.message);
            }
            long wait = answer.retryAfterNanos > 0 ? Math.min(answer.retryAfterNanos, MAX_RETRY_AFTER_NANOS)
                    : jitter(backoff);
            backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 3 / 2);
            if (deadlineSet && System.nanoTime() + wait - deadlineNanos > 0) {
                throw new IOException("not delivered before the shutdown deadline: " + answer.describe());
            }
            retries.incrementAndGet();
            Log.warnOnce("otlp-retrying-" + items, target + " not reachable or busy (" + answer.describe() + "); retrying with"
                    + " backoff (further retries are counted, not logged)");
            LockSupport.parkNanos(this, wait);
        }
    }

    /** A wait between 80 % and 120 % of {@code nanos}, so that agents restarted together do not retry together. */
    private static long jitter(long nanos) {
        return (long) (nanos * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    }

    private Answer post(byte[] body, int length) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        int timeout = (int) Math.min(Integer.MAX_VALUE, settings.timeoutMillis());
        connection.setConnectTimeout(timeout);
        connection.setReadTimeout(timeout);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setUseCaches(false);
        connection.setFixedLengthStreamingMode(length);
        connection.setRequestProperty("Content-Type", PROTOBUF);
        connection.setRequestProperty("User-Agent", userAgent);
        if (settings.gzip()) {
            connection.setRequestProperty("Content-Encoding", "gzip");
        }
        for (Map.Entry<String, String> header : settings.headers().entrySet()) {
            connection.setRequestProperty(header.getKey(), header.getValue());
        }
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body, 0, length);
        }
        int status = connection.getResponseCode();
        byte[] answer;
        // read to the end (and close) so the connection goes back to the keep-alive cache
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            answer = in == null ? new byte[0] : readAtMost(in);
        }
        String contentType = connection.getContentType();
        long retryAfter = retryAfterNanos(connection.getHeaderField("Retry-After"));
        String message = status >= 200 && status < 300 ? null : message(answer, contentType);
        return new Answer(status, message, answer, retryAfter,
                contentType != null && contentType.contains("protobuf"));
    }

    private static byte[] readAtMost(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int read;
        while ((read = in.read(chunk)) >= 0) {
            if (out.size() < MAX_ANSWER_BYTES) {
                out.write(chunk, 0, Math.min(read, MAX_ANSWER_BYTES - out.size()));
            }
        }
        return out.toByteArray();
    }

    /** A refusal's message: {@code google.rpc.Status.message} of a protobuf answer, else the body as text, cut. */
    static String message(byte[] answer, String contentType) {
        String text = null;
        if (contentType != null && contentType.contains("protobuf")) {
            text = ProtoFields.string(answer, ProtoFields.find(answer, 0, answer.length, 2));
        }
        if (text == null) {
            text = new String(answer, java.nio.charset.StandardCharsets.UTF_8).strip();
        }
        return text.isEmpty() ? "(no message)" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** {@code Retry-After}: seconds, or an HTTP date; 0 when absent or unreadable. */
    static long retryAfterNanos(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return TimeUnit.SECONDS.toNanos(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, TimeUnit.MILLISECONDS.toNanos(at.toInstant().toEpochMilli()
                        - System.currentTimeMillis()));
            } catch (RuntimeException unreadable) {
                return 0;
            }
        }
    }

    /** A 2xx may still say that the receiver rejected some spans ({@code partial_success}): one warning, counted. */
    private void partialSuccess(Answer answer) {
        if (answer.body == null || !answer.protobuf || answer.body.length == 0) {
            return;
        }
        long[] partial = ProtoFields.find(answer.body, 0, answer.body.length, 1);
        if (partial == null || partial[1] < 0) {
            return;
        }
        long[] rejected = ProtoFields.find(answer.body, (int) partial[0], (int) partial[1], 1);
        String message = ProtoFields.string(answer.body, ProtoFields.find(answer.body, (int) partial[0],
                (int) partial[1], 2));
        if ((rejected != null && rejected[0] > 0) || (message != null && !message.isEmpty())) {
            Log.warnOnce("otlp-partial-" + items, target + " accepted a request only in part: " + (rejected == null ? 0
                    : rejected[0]) + " " + items + " rejected: " + message + " (further partial successes are not logged)");
        }
    }

    void finishBy(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
        this.deadlineSet = true;
    }

    long retries() {
        return retries.get();
    }

    String target() {
        return target;
    }

    /** What the receiver answered: an HTTP status, or -1 when none (connection refused, timeout, ...). */
    private static final class Answer {
        final int status;
        final String message;
        final byte[] body;
        final long retryAfterNanos;
        final boolean protobuf;

        Answer(int status, String message, byte[] body, long retryAfterNanos, boolean protobuf) {
            this.status = status;
            this.message = message;
            this.body = body;
            this.retryAfterNanos = retryAfterNanos;
            this.protobuf = protobuf;
        }

        boolean retryable() {
            return status < 0 || status == 429 || status == 502 || status == 503 || status == 504;
        }

        String describe() {
            return status < 0 ? message : "HTTP " + status + ": " + message;
        }
    }
}
