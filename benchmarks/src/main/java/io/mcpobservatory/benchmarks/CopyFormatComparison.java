package io.mcpobservatory.benchmarks;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.export.SpanFormat;
import io.mcpobservatory.export.SpanSchema;
import io.mcpobservatory.export.postgres.PostgresExporter;
import io.mcpobservatory.export.postgres.PostgresTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * pgjdbc COPY of the exporter's rows in binary format (what {@link PostgresExporter} sends) against PostgreSQL's text
 * format, same rows, same table, same connection: COPY rows/s on the server, encoding ns/row in the JVM, payload
 * bytes/row. Not JMH: each COPY measurement is seconds of database work, timed end to end.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.mcpobservatory.benchmarks.CopyFormatComparison [jdbcUrl] [spans] [batch]</pre>
 *
 * The rows are {@link ExporterThroughput}'s. The URL defaults to the local test database; the benchmark works in schemas
 * of its own (created by the exporter's migrations, so with the shipped table and indexes) and drops them at the end.
 * Each round times the encoding of every batch in both formats (apart, best of {@value #ENCODE_PASSES} passes; each
 * payload is dropped once encoded, as the exporter drops it once sent, so the timing carries no retained heap), then
 * COPYs the pre-encoded batches in both formats, one COPY and one commit per batch, on one connection; the order alternates
 * between rounds (text first, binary first, ...) so that the growing table and indexes weigh on both alike. Last, one
 * text and one binary load of the same rows (plus a few spans with every column set and awkward text) into two fresh
 * schemas must give equal tables.
 */
public final class CopyFormatComparison {

    private static final int ROUNDS = 3;
    private static final int ENCODE_PASSES = 10;
    private static final String COPY_TEXT = "COPY mcp_spans (" + PostgresExporter.COLUMNS + ") FROM STDIN (FORMAT text)";
    private static final String COPY_BINARY =
            "COPY mcp_spans (" + PostgresExporter.COLUMNS + ") FROM STDIN (FORMAT binary)";

    private CopyFormatComparison() {
    }

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/mcp_observatory_test?user=postgres";
        int spans = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        String prefix = "copyfmt_" + UUID.randomUUID().toString().substring(0, 8);
        String measured = prefix;
        String checkText = prefix + "_check_text";
        String checkBinary = prefix + "_check_binary";
        UUID agentId = UUID.randomUUID();
        String service = "bench";
        List<PostgresExporter> exporters = new ArrayList<>();
        try (Connection admin = connect(base); Statement sql = admin.createStatement()) {
            for (String schema : List.of(measured, checkText, checkBinary)) {
                sql.execute("CREATE SCHEMA " + schema);
            }
        }
        try {
            // One exporter per schema creates the shipped schema there (an empty export: no rows). All have the same
            // agent id and service, so their payloads are the same bytes.
            for (String schema : List.of(measured, checkText, checkBinary)) {
                Path spool = Files.createTempDirectory("bench-spool");
                PostgresExporter exporter = new PostgresExporter(new PostgresTarget(schemaUrl(base, schema), null,
                        null, true, 30, agentId, service, ProcessHandle.current().pid(), "bench",
                        System.getProperty("java.runtime.version"), spool, 0, 1));
                exporters.add(exporter);
                exporter.export(List.of());
            }
            PostgresExporter binaryEncoder = exporters.get(0);
            TextCopyWriter textEncoder = new TextCopyWriter(service, agentId);
            Function<List<Span>, byte[]> text = textEncoder::payload;
            Function<List<Span>, byte[]> binary = binaryEncoder::copyPayload;

            List<List<Span>> batches = ExporterThroughput.batches(spans, batchSize);
            System.out.printf(Locale.ROOT, "%d spans per round, batches of %d, 1 connection, schema %s%n", spans,
                    batchSize, measured);

            // warm-up, not timed: the encoders' JIT and a few COPYs of each format
            for (int i = 0; i < 3; i++) {
                bestEncodeNanos(batches, text);
                bestEncodeNanos(batches, binary);
            }
            try (Connection connection = connect(schemaUrl(base, measured))) {
                connection.setAutoCommit(false);
                List<List<Span>> few = batches.subList(0, Math.min(10, batches.size()));
                copy(connection, COPY_TEXT, encode(few, text).payloads, few.size());
                copy(connection, COPY_BINARY, encode(few, binary).payloads, few.size());

                double[] textRates = new double[ROUNDS];
                double[] binaryRates = new double[ROUNDS];
                double[] textNanos = new double[ROUNDS];
                double[] binaryNanos = new double[ROUNDS];
                long textBytes = 0;
                long binaryBytes = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    boolean textFirst = round % 2 == 0;
                    if (textFirst) {
                        textNanos[round] = bestEncodeNanos(batches, text) / (double) spans;
                        binaryNanos[round] = bestEncodeNanos(batches, binary) / (double) spans;
                    } else {
                        binaryNanos[round] = bestEncodeNanos(batches, binary) / (double) spans;
                        textNanos[round] = bestEncodeNanos(batches, text) / (double) spans;
                    }
                    Encoded t = encode(batches, text);
                    Encoded b = encode(batches, binary);
                    textBytes = t.bytes;
                    binaryBytes = b.bytes;
                    if (textFirst) {
                        textRates[round] = copy(connection, COPY_TEXT, t.payloads, spans);
                        binaryRates[round] = copy(connection, COPY_BINARY, b.payloads, spans);
                    } else {
                        binaryRates[round] = copy(connection, COPY_BINARY, b.payloads, spans);
                        textRates[round] = copy(connection, COPY_TEXT, t.payloads, spans);
                    }
                    System.out.printf(Locale.ROOT, "round %d (%s first): COPY text %,.0f rows/s, binary %,.0f rows/s "
                                    + "(binary/text %.2f); encode text %.0f ns/row, binary %.0f ns/row%n", round + 1,
                            textFirst ? "text" : "binary", textRates[round], binaryRates[round],
                            binaryRates[round] / textRates[round], textNanos[round], binaryNanos[round]);
                }
                System.out.printf(Locale.ROOT, "payload: text %.1f bytes/row, binary %.1f bytes/row "
                                + "(binary/text %.2f)%n", textBytes / (double) spans, binaryBytes / (double) spans,
                        binaryBytes / (double) textBytes);
                System.out.printf(Locale.ROOT, "median of %d rounds: COPY text %,.0f rows/s, binary %,.0f rows/s "
                                + "(binary/text %.2f); encode text %.0f ns/row, binary %.0f ns/row (text/binary %.2f)%n",
                        ROUNDS, median(textRates), median(binaryRates), median(binaryRates) / median(textRates),
                        median(textNanos), median(binaryNanos), median(textNanos) / median(binaryNanos));
                System.out.printf(Locale.ROOT, "best: COPY text %,.0f rows/s, binary %,.0f rows/s; encode text %.0f "
                                + "ns/row, binary %.0f ns/row%n", max(textRates), max(binaryRates), min(textNanos),
                        min(binaryNanos));
                try (Statement sql = connection.createStatement();
                     ResultSet rs = sql.executeQuery("SELECT count(*) FROM mcp_spans")) {
                    rs.next();
                    System.out.printf(Locale.ROOT, "rows in %s.mcp_spans at the end: %,d%n", measured, rs.getLong(1));
                }
                connection.commit();
            }

            verify(base, checkText, checkBinary, batches, text, binary);
        } finally {
            for (PostgresExporter exporter : exporters) {
                exporter.close();
            }
            try (Connection admin = connect(base); Statement sql = admin.createStatement()) {
                for (String schema : List.of(measured, checkText, checkBinary)) {
                    sql.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }

    /**
     * The same rows loaded once as text and once as binary into two fresh schemas give equal tables: same count, and
     * no row of either missing from the other (EXCEPT ALL over every column, in both directions).
     */
    private static void verify(String base, String textSchema, String binarySchema, List<List<Span>> batches,
                               Function<List<Span>, byte[]> text, Function<List<Span>, byte[]> binary)
            throws SQLException {
        List<List<Span>> rows = new ArrayList<>(batches);
        rows.add(awkwardSpans());
        int count = 0;
        for (List<Span> batch : rows) {
            count += batch.size();
        }
        try (Connection t = connect(schemaUrl(base, textSchema)); Connection b = connect(schemaUrl(base, binarySchema))) {
            t.setAutoCommit(false);
            b.setAutoCommit(false);
            copy(t, COPY_TEXT, encode(rows, text).payloads, count);
            copy(b, COPY_BINARY, encode(rows, binary).payloads, count);
        }
        String tt = textSchema + ".mcp_spans";
        String bt = binarySchema + ".mcp_spans";
        String distinct = "count(DISTINCT (span_id, start_time, name, error_message, duration_ms))";
        try (Connection admin = connect(base); Statement sql = admin.createStatement();
             ResultSet rs = sql.executeQuery("SELECT (SELECT count(*) FROM " + tt + "), (SELECT count(*) FROM " + bt
                     + "), (SELECT " + distinct + " FROM " + tt + "), (SELECT " + distinct + " FROM " + bt + "), "
                     + "(SELECT count(*) FROM (SELECT * FROM " + tt + " EXCEPT ALL SELECT * FROM " + bt + ") x), "
                     + "(SELECT count(*) FROM (SELECT * FROM " + bt + " EXCEPT ALL SELECT * FROM " + tt + ") y)")) {
            rs.next();
            long textRows = rs.getLong(1);
            long binaryRows = rs.getLong(2);
            long onlyText = rs.getLong(5);
            long onlyBinary = rs.getLong(6);
            boolean equal = textRows == count && binaryRows == count && onlyText == 0 && onlyBinary == 0;
            System.out.printf(Locale.ROOT, "correctness: %d rows sent; text load %d rows (%d distinct by span_id, "
                            + "start_time, name, error_message, duration_ms), binary load %d rows (%d distinct); rows "
                            + "only in text %d, only in binary %d (EXCEPT ALL, all columns): %s%n", count, textRows,
                    rs.getLong(3), binaryRows, rs.getLong(4), onlyText, onlyBinary, equal ? "EQUAL" : "DIFFERENT");
            if (!equal) {
                throw new IllegalStateException("text and binary COPY of the same rows differ");
            }
        }
    }

    /** A few spans with every column set and text that needs escaping in text format. */
    private static List<Span> awkwardSpans() {
        List<Span> spans = new ArrayList<>();
        String[] texts = {"tab\there", "line\nbreak", "carriage\rreturn", "back\\slash \\N \\. \\t", "\\", "",
            "unicode é ü ✓ 😀 中文", "quote ' \" , ; | {json}"};
        Span parent = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        for (int i = 0; i < texts.length; i++) {
            Span span = Span.start(Span.KIND_CLIENT, McpMethod.TOOLS_CALL, parent);
            span.toolName = texts[i];
            span.promptName = texts[(i + 1) % texts.length];
            span.resourceUri = "file:///tmp/" + texts[(i + 2) % texts.length];
            span.requestId = i % 2 == 0 ? (Object) ("req-" + texts[i]) : (Object) Long.MIN_VALUE;
            span.sessionId = texts[(i + 3) % texts.length];
            span.protocolVersion = "2025-11-25";
            span.transport = "stdio";
            span.clientName = texts[(i + 4) % texts.length];
            span.clientVersion = "0.0." + i;
            span.model = texts[(i + 5) % texts.length];
            span.promptTokens = i;
            span.completionTokens = 1L << (i * 7);
            span.costUsd = i == 0 ? 0.0 : 1.0 / (3 * i) * 1e-7;
            span.retries = i;
            span.fallbackUsed = i % 2 == 0;
            span.confidence = i == 1 ? Double.MIN_VALUE : Math.PI * i;
            span.failRpc(-32000 - i, texts[(i + 6) % texts.length]);
            span.end();
            span.startEpochNanos = (i - 3) * 86_399_999_999_999L + 1_700_000_000_123_456_789L; // around midnights
            spans.add(span);
        }
        return spans;
    }

    /**
     * Nanoseconds to encode every batch, the best of {@value #ENCODE_PASSES} passes; each payload (a fresh array, as the
     * exporter makes) is dropped once its length is summed.
     */
    private static long bestEncodeNanos(List<List<Span>> batches,
                                        Function<List<Span>, byte[]> encoder) {
        long best = Long.MAX_VALUE;
        long sink = 0;
        for (int pass = 0; pass < ENCODE_PASSES; pass++) {
            long start = System.nanoTime();
            for (List<Span> batch : batches) {
                byte[] payload = encoder.apply(batch);
                sink += payload.length == 0 ? 0 : payload.length + payload[payload.length - 1];
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        if (sink == 42) {
            System.out.print(""); // keeps the payloads observable
        }
        return best;
    }

    /** Every batch encoded, kept for COPY (not timed). */
    private static Encoded encode(List<List<Span>> batches, Function<List<Span>, byte[]> encoder) {
        List<byte[]> payloads = new ArrayList<>(batches.size());
        long bytes = 0;
        for (List<Span> batch : batches) {
            byte[] payload = encoder.apply(batch);
            payloads.add(payload);
            bytes += payload.length;
        }
        return new Encoded(payloads, bytes);
    }

    /**
     * One COPY and one commit per batch, like the exporter; rows/s from the first COPY to the last commit. The JVM's
     * garbage (the encoding passes') is collected first, so that no GC work of the client shares the 2 CPUs with the
     * server during one format's COPY and not the other's.
     */
    private static double copy(Connection connection, String copySql, List<byte[]> payloads, int rows)
            throws SQLException {
        System.gc();
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long start = System.nanoTime();
        for (byte[] payload : payloads) {
            CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
            in.writeToCopy(payload, 0, payload.length);
            in.endCopy();
            connection.commit();
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    private static final class Encoded {
        final List<byte[]> payloads;
        final long bytes;

        Encoded(List<byte[]> payloads, long bytes) {
            this.payloads = payloads;
            this.bytes = bytes;
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static String schemaUrl(String base, String schema) {
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Through the driver directly: the exporter deregisters pgjdbc from DriverManager (see ExporterThroughput). */
    private static Connection connect(String url) throws SQLException {
        return new org.postgresql.Driver().connect(url, new java.util.Properties());
    }

    /**
     * The exporter's rows (the columns of {@link PostgresExporter#COLUMNS}, the values its binary writer sends) in
     * PostgreSQL's text COPY format: tab-separated, {@code \N} for null, backslash escapes for backslash, tab, newline
     * and carriage return; timestamps as ISO 8601 with offset and microseconds, uuids as their text, numbers as decimal
     * text ({@link Double#toString} for float8, which PostgreSQL reads back to the same double). Written into one
     * reusable buffer, copied out per batch, like {@code BinaryCopyWriter}.
     */
    static final class TextCopyWriter {
        private static final byte[] NULL = {'\\', 'N'};
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        private static final long MICROS_PER_DAY = 86_400_000_000L;

        private final String service;
        private final long agentIdHigh;
        private final long agentIdLow;
        private byte[] buffer = new byte[1 << 16];
        private int size;
        private long cachedDay = Long.MIN_VALUE;
        private final byte[] cachedDate = new byte[10];
        private final byte[] digits = new byte[20];

        TextCopyWriter(String service, UUID agentId) {
            this.service = service;
            this.agentIdHigh = agentId.getMostSignificantBits();
            this.agentIdLow = agentId.getLeastSignificantBits();
        }

        byte[] payload(List<Span> batch) {
            size = 0;
            for (Span span : batch) {
                row(span);
            }
            return Arrays.copyOf(buffer, size);
        }

        /** The same columns, in the same order and with the same null conventions, as PostgresExporter.writeRow. */
        private void row(Span span) {
            for (SpanSchema.Field field : SpanSchema.FIELDS) {
                switch (field.type) {
                    case TRACE_ID:
                        uuid(span.traceIdHigh, span.traceIdLow);
                        break;
                    case SPAN_ID:
                        long id = field.longValue(span);
                        if (id == 0) {
                            nullValue();
                        } else {
                            int8(id);
                        }
                        break;
                    case SERVICE:
                        text(service);
                        break;
                    case TIMESTAMP:
                        timestamptz(field.longValue(span));
                        break;
                    case MILLIS:
                        float8(SpanFormat.millis(field.longValue(span)));
                        break;
                    case COUNT:
                    case SMALL_COUNT:
                        int8OrNull(field.longValue(span));
                        break;
                    case DECIMAL:
                        float8((Double) field.value(span));
                        break;
                    case FLAG:
                        Boolean flag = (Boolean) field.value(span);
                        if (flag == null) {
                            nullValue();
                        } else {
                            byte1(flag ? (byte) 't' : (byte) 'f');
                        }
                        break;
                    default: // TEXT, JSON_OBJECT
                        text((String) field.value(span));
                        break;
                }
                tab();
            }
            uuid(agentIdHigh, agentIdLow);
            byte1((byte) '\n');
        }

        private void tab() {
            byte1((byte) '\t');
        }

        private void nullValue() {
            raw(NULL);
        }

        private void text(String value) {
            if (value == null) {
                nullValue();
                return;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            ensure(bytes.length * 2);
            for (byte c : bytes) { // UTF-8 continuation bytes are never ASCII, so escaping bytewise is safe
                switch (c) {
                    case '\\':
                        buffer[size++] = '\\';
                        buffer[size++] = '\\';
                        break;
                    case '\t':
                        buffer[size++] = '\\';
                        buffer[size++] = 't';
                        break;
                    case '\n':
                        buffer[size++] = '\\';
                        buffer[size++] = 'n';
                        break;
                    case '\r':
                        buffer[size++] = '\\';
                        buffer[size++] = 'r';
                        break;
                    default:
                        buffer[size++] = c;
                }
            }
        }

        private void int8OrNull(long value) {
            if (value < 0) {
                nullValue();
            } else {
                int8(value);
            }
        }

        private void int8(long value) {
            if (value == Long.MIN_VALUE) {
                raw(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            ensure(20);
            if (value < 0) {
                buffer[size++] = '-';
                value = -value;
            }
            int n = 0;
            do {
                digits[n++] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value != 0);
            while (n > 0) {
                buffer[size++] = digits[--n];
            }
        }

        private void float8(Double value) {
            if (value == null) {
                nullValue();
            } else {
                float8(value.doubleValue());
            }
        }

        private void float8(double value) {
            String s = Double.toString(value);
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buffer[size++] = (byte) s.charAt(i);
            }
        }

        private void uuid(long high, long low) {
            ensure(36);
            hex(high >>> 32, 8);
            buffer[size++] = '-';
            hex(high >>> 16, 4);
            buffer[size++] = '-';
            hex(high, 4);
            buffer[size++] = '-';
            hex(low >>> 48, 4);
            buffer[size++] = '-';
            hex(low, 12);
        }

        private void hex(long value, int nibbles) {
            for (int i = nibbles - 1; i >= 0; i--) {
                buffer[size++] = HEX[(int) (value >>> (i * 4)) & 0xF];
            }
        }

        /** {@code yyyy-MM-ddTHH:mm:ss.ffffff+00:00}, microseconds like the binary writer (floor of the nanoseconds). */
        private void timestamptz(long epochNanos) {
            long micros = Math.floorDiv(epochNanos, 1_000L);
            long day = Math.floorDiv(micros, MICROS_PER_DAY);
            long ofDay = micros - day * MICROS_PER_DAY;
            if (day != cachedDay) {
                byte[] date = LocalDate.ofEpochDay(day).toString().getBytes(StandardCharsets.US_ASCII);
                if (date.length != cachedDate.length) {
                    throw new IllegalArgumentException("year out of range: " + LocalDate.ofEpochDay(day));
                }
                System.arraycopy(date, 0, cachedDate, 0, date.length);
                cachedDay = day;
            }
            ensure(32);
            System.arraycopy(cachedDate, 0, buffer, size, cachedDate.length);
            size += cachedDate.length;
            buffer[size++] = 'T';
            long seconds = ofDay / 1_000_000;
            two((int) (seconds / 3600));
            buffer[size++] = ':';
            two((int) (seconds / 60 % 60));
            buffer[size++] = ':';
            two((int) (seconds % 60));
            buffer[size++] = '.';
            int fraction = (int) (ofDay % 1_000_000);
            for (int divisor = 100_000; divisor > 0; divisor /= 10) {
                buffer[size++] = (byte) ('0' + fraction / divisor % 10);
            }
            buffer[size++] = '+';
            buffer[size++] = '0';
            buffer[size++] = '0';
            buffer[size++] = ':';
            buffer[size++] = '0';
            buffer[size++] = '0';
        }

        private void two(int value) {
            buffer[size++] = (byte) ('0' + value / 10);
            buffer[size++] = (byte) ('0' + value % 10);
        }

        private void byte1(byte value) {
            ensure(1);
            buffer[size++] = value;
        }

        private void raw(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buffer, size, bytes.length);
            size += bytes.length;
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }
    }
}
