import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Ingest benchmark for schema/: COPYs span-like rows into mcp_spans the way the exporter does (binary COPY, one
 * transaction per batch that also records the batch in mcp_export_batches), then prints rows/s and sizes.
 *
 * <pre>
 * java -cp postgresql-42.7.x.jar schema/bench/CopyBench.java JDBC_URL uuid|text ROWS BATCH
 * </pre>
 *
 * {@code uuid}: ids as uuid/bigint (the shipped schema). {@code text}: trace_id, span_id and parent_span_id as 32/16
 * hex-digit text (schema/bench/run.sh creates that variant). Rows are generated before timing (seeded, so both variants
 * get the same content), and encoded before timing: the time measured is the database's.
 *
 * <p>System properties: {@code -Dbench.agent=N} (default 1) gives the run its own agent id, so several runs can COPY
 * into one database at once; {@code -Dbench.attributes=false} sends {@code attributes} as NULL (as the agent does
 * today) instead of a ~110-byte JSON object.
 */
public final class CopyBench {

    static final String COLUMNS = "trace_id, span_id, parent_span_id, kind, name, service, mcp_method, tool_name, "
            + "prompt_name, resource_uri, jsonrpc_request_id, session_id, protocol_version, transport, client_name, "
            + "client_version, start_time, end_time, duration_ms, status, error_type, error_message, request_bytes, "
            + "response_bytes, model, prompt_tokens, completion_tokens, cost_usd, retries, fallback_used, confidence, "
            + "attributes, agent_id";
    static final int COLUMN_COUNT = 33;
    static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    static final String[] SERVICES = {"weather-demo", "billing-mcp", "search-gateway", "docs-assistant"};
    static final String[] TOOLS = {"get_forecast", "get_alerts", "search_archive", "lookup_invoice", "create_refund",
        "list_customers", "search_documents", "summarize_page", "fetch_url", "run_query", "translate_text",
        "get_weather_history"};
    static final String[] CLIENTS = {"claude-ai", "cursor-vscode", "mcp-inspector", "spring-ai-mcp-client"};

    public static void main(String[] args) throws Exception {
        String url = args[0];
        boolean textIds = args[1].equals("text");
        int rows = Integer.parseInt(args[2]);
        int batchSize = Integer.parseInt(args[3]);

        List<Span> spans = generate(rows);
        UUID agent = new UUID(0x5eed0000_0000_4000L, 0x8000_0000_0000_0000L | Long.getLong("bench.agent", 1));
        long encodeStart = System.nanoTime();
        List<byte[]> batches = new ArrayList<>();
        for (int from = 0; from < rows; from += batchSize) {
            batches.add(encode(spans.subList(from, Math.min(rows, from + batchSize)), textIds, agent));
        }
        double encodeMs = (System.nanoTime() - encodeStart) / 1e6;
        long bytes = batches.stream().mapToLong(b -> b.length).sum();

        long[] batchNanos = new long[batches.size()];
        try (Connection c = DriverManager.getConnection(url)) {
            int backendPid;
            String walStart;
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT pg_backend_pid(), pg_current_wal_lsn()::text")) {
                r.next();
                backendPid = r.getInt(1);
                walStart = r.getString(2);
            }
            c.setAutoCommit(false);
            double cpuStart = backendCpuSeconds(backendPid);
            long start = System.nanoTime();
            for (int i = 0; i < batches.size(); i++) {
                long t0 = System.nanoTime();
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO mcp_export_batches "
                        + "(agent_id, batch_seq, spans) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                    insert.setObject(1, agent);
                    insert.setLong(2, i);
                    insert.setInt(3, Math.min(batchSize, rows - i * batchSize));
                    if (insert.executeUpdate() == 0) {
                        c.rollback();
                        continue; // already written (never happens in the benchmark)
                    }
                }
                CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY mcp_spans (" + COLUMNS + ") FROM STDIN (FORMAT binary)");
                byte[] b = batches.get(i);
                in.writeToCopy(b, 0, b.length);
                in.endCopy();
                c.commit();
                batchNanos[i] = System.nanoTime() - t0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = backendCpuSeconds(backendPid) - cpuStart;
            Arrays.sort(batchNanos);
            System.out.printf("variant=%s rows=%d batch=%d copy_bytes=%d encode_ms=%.0f seconds=%.3f rows_per_s=%.0f "
                            + "batch_ms_p50=%.2f batch_ms_p99=%.2f%n",
                    textIds ? "text" : "uuid", rows, batchSize, bytes, encodeMs, seconds, rows / seconds,
                    batchNanos[batchNanos.length / 2] / 1e6,
                    batchNanos[Math.min(batchNanos.length - 1, (int) (batchNanos.length * 0.99))] / 1e6);
            c.setAutoCommit(true);
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + walStart + "')::bigint")) {
                r.next();
                // Backend CPU per row hardly depends on what else the box runs, unlike rows/s.
                System.out.printf("backend_cpu_us_per_row=%.1f wal_bytes_per_row=%d%n",
                        cpu < 0 ? Double.NaN : cpu * 1e6 / rows, r.getLong(1) / rows);
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT count(*), avg(pg_column_size(t.*))::int FROM mcp_spans t")) {
                r.next();
                System.out.printf("rows_in_table=%d avg_row_bytes=%d%n", r.getLong(1), r.getInt(2));
            }
        }
    }

    /** User + system CPU time of a local server process (Linux /proc; clock ticks of 1/100 s), or -1. */
    static double backendCpuSeconds(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A span as the exporter sees it (only what the COPY needs). */
    static final class Span {
        long traceHigh, traceLow, spanId, parentSpanId;
        String name, service, method, tool, prompt, resourceUri, requestId, sessionId, clientName, clientVersion;
        long startMicros, endMicros;
        double durationMs;
        String status, errorType, errorMessage, model, attributes;
        long requestBytes, responseBytes, promptTokens = -1, completionTokens = -1;
        Double cost, confidence;
        int retries = -1;
        Boolean fallback;
    }

    static List<Span> generate(int rows) {
        Random random = new Random(42);
        String[] sessions = new String[500];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = new UUID(random.nextLong(), random.nextLong()).toString();
        }
        // One span every 5 ms, ending now (200,000 spans: the last 17 minutes), in time order as exporters send them.
        long nowMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        long startMicros = nowMicros - rows * 5_000L;
        List<Span> spans = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            Span s = new Span();
            s.traceHigh = random.nextLong();
            s.traceLow = random.nextLong();
            s.spanId = random.nextLong();
            s.parentSpanId = random.nextInt(5) == 0 ? random.nextLong() : 0;
            s.service = SERVICES[random.nextInt(SERVICES.length)];
            int m = random.nextInt(100);
            if (m < 70) {
                s.method = "tools/call";
                s.tool = TOOLS[random.nextInt(TOOLS.length)];
            } else if (m < 80) {
                s.method = "resources/read";
                s.resourceUri = "file:///srv/data/reports/2026/q" + (1 + random.nextInt(4)) + "/report-"
                        + random.nextInt(10_000) + ".json";
            } else if (m < 85) {
                s.method = "prompts/get";
                s.prompt = "daily_briefing";
            } else if (m < 92) {
                s.method = "tools/list";
            } else if (m < 96) {
                s.method = "initialize";
            } else {
                s.method = "notifications/initialized";
            }
            s.name = s.tool != null ? s.method + " " + s.tool : s.prompt != null ? s.method + " " + s.prompt : s.method;
            s.requestId = s.method.startsWith("notifications/") ? null : Integer.toString(random.nextInt(100_000));
            s.sessionId = sessions[random.nextInt(sessions.length)];
            int client = random.nextInt(CLIENTS.length);
            s.clientName = CLIENTS[client];
            s.clientVersion = "1." + client + "." + random.nextInt(20);
            s.startMicros = startMicros + i * 5_000L + random.nextInt(5_000);
            s.durationMs = Math.round(-Math.log(1 - random.nextDouble()) * 40_000) / 1000.0;
            s.endMicros = s.startMicros + (long) (s.durationMs * 1000);
            boolean error = random.nextInt(10) == 0;
            s.status = error ? "error" : "ok";
            if (error) {
                s.errorType = random.nextBoolean() ? "-32603" : "tool_error";
                s.errorMessage = "upstream service timed out after 30000 ms while calling " + s.name;
            }
            s.requestBytes = 150 + random.nextInt(2_000);
            s.responseBytes = 300 + random.nextInt(20_000);
            if (s.tool != null && random.nextInt(3) == 0) {
                s.model = "gpt-4o-mini-2024-07-18";
                s.promptTokens = 200 + random.nextInt(4_000);
                s.completionTokens = 20 + random.nextInt(800);
                s.cost = (s.promptTokens * 0.15 + s.completionTokens * 0.6) / 1_000_000;
                s.retries = random.nextInt(10) == 0 ? 1 : 0;
                s.fallback = s.retries > 0;
                s.confidence = random.nextDouble();
            }
            String attributes = "{\"server.address\": \"10.0.3." + random.nextInt(255) + "\", "
                    + "\"http.response.status_code\": 200, \"user_agent.original\": \"" + s.clientName + "/"
                    + s.clientVersion + " (linux; x64)\"}";
            s.attributes = Boolean.parseBoolean(System.getProperty("bench.attributes", "true")) ? attributes : null;
            spans.add(s);
        }
        return spans;
    }

    static byte[] encode(List<Span> spans, boolean textIds, UUID agent) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(spans.size() * 600);
            DataOutputStream out = new DataOutputStream(buffer);
            out.write(SIGNATURE);
            out.writeInt(0); // flags
            out.writeInt(0); // header extension length
            for (Span s : spans) {
                out.writeShort(COLUMN_COUNT);
                if (textIds) {
                    text(out, hex(s.traceHigh) + hex(s.traceLow));
                    text(out, hex(s.spanId));
                    text(out, s.parentSpanId == 0 ? null : hex(s.parentSpanId));
                } else {
                    out.writeInt(16);
                    out.writeLong(s.traceHigh);
                    out.writeLong(s.traceLow);
                    int8(out, s.spanId);
                    if (s.parentSpanId == 0) {
                        out.writeInt(-1);
                    } else {
                        int8(out, s.parentSpanId);
                    }
                }
                text(out, "server");
                text(out, s.name);
                text(out, s.service);
                text(out, s.method);
                text(out, s.tool);
                text(out, s.prompt);
                text(out, s.resourceUri);
                text(out, s.requestId);
                text(out, s.sessionId);
                text(out, "2025-06-18");
                text(out, "streamable_http");
                text(out, s.clientName);
                text(out, s.clientVersion);
                int8(out, s.startMicros - PG_EPOCH_MICROS);
                int8(out, s.endMicros - PG_EPOCH_MICROS);
                float8(out, s.durationMs);
                text(out, s.status);
                text(out, s.errorType);
                text(out, s.errorMessage);
                int8OrNull(out, s.requestBytes);
                int8OrNull(out, s.responseBytes);
                text(out, s.model);
                int8OrNull(out, s.promptTokens);
                int8OrNull(out, s.completionTokens);
                float8(out, s.cost);
                if (s.retries < 0) {
                    out.writeInt(-1);
                } else {
                    out.writeInt(4);
                    out.writeInt(s.retries);
                }
                if (s.fallback == null) {
                    out.writeInt(-1);
                } else {
                    out.writeInt(1);
                    out.writeByte(s.fallback ? 1 : 0);
                }
                float8(out, s.confidence);
                if (s.attributes == null) {
                    out.writeInt(-1);
                } else {
                    byte[] json = s.attributes.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(json.length + 1);
                    out.writeByte(1); // jsonb binary format version
                    out.write(json);
                }
                out.writeInt(16);
                out.writeLong(agent.getMostSignificantBits());
                out.writeLong(agent.getLeastSignificantBits());
            }
            out.writeShort(-1);
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String hex(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }

    static void text(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static void int8(DataOutputStream out, long value) throws IOException {
        out.writeInt(8);
        out.writeLong(value);
    }

    static void int8OrNull(DataOutputStream out, long value) throws IOException {
        if (value < 0) {
            out.writeInt(-1);
        } else {
            int8(out, value);
        }
    }

    static void float8(DataOutputStream out, double value) throws IOException {
        out.writeInt(8);
        out.writeDouble(value);
    }

    static void float8(DataOutputStream out, Double value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            float8(out, value.doubleValue());
        }
    }
}
