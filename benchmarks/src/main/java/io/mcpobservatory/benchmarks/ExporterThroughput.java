package io.mcpobservatory.benchmarks;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.export.SpanExporter;
import io.mcpobservatory.export.postgres.PostgresExporter;
import io.mcpobservatory.export.postgres.PostgresTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Exporter throughput into PostgreSQL with the shipped schema and indexes, against a raw COPY of the same rows into the
 * same table, measured in the same run. Not JMH: each measurement is a few seconds of database work, timed end to end.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.mcpobservatory.benchmarks.ExporterThroughput [jdbcUrl] [spans] [batch] [connections]</pre>
 *
 * The URL defaults to the local test database; the benchmark works in a schema of its own and drops it at the end.
 * Rounds alternate (raw, exporter, raw, exporter, ...) so that the growing table and indexes weigh on both alike. The raw
 * COPY uses as many connections in parallel as the exporter ({@code observatory.jdbc.connections}, default 2).
 */
public final class ExporterThroughput {

    private ExporterThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/mcp_observatory_test?user=postgres";
        int spans = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int rounds = 3;
        String schema = "bench_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = connect(base); Statement sql = admin.createStatement()) {
            sql.execute("CREATE SCHEMA " + schema);
        }
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Path spool = Files.createTempDirectory("bench-spool");
        PostgresExporter exporter = new PostgresExporter(new PostgresTarget(url, null, null, true, 30,
                UUID.randomUUID(), "bench", ProcessHandle.current().pid(), "bench",
                System.getProperty("java.runtime.version"), spool, 0, connections));
        try {
            List<List<Span>> batches = batches(spans, batchSize);
            exporter.export(batches.get(0)); // creates the pool and the schema; not timed
            List<byte[]> payloads = new ArrayList<>();
            for (List<Span> batch : batches) {
                payloads.add(exporter.copyPayload(batch));
            }
            System.out.printf(Locale.ROOT, "%d spans per round, batches of %d, %d connections, schema %s%n", spans,
                    batchSize, connections, schema);
            double rawBest = 0;
            double exporterBest = 0;
            ExecutorService rawThreads = Executors.newFixedThreadPool(connections);
            try {
                for (int round = 1; round <= rounds; round++) {
                    double rawRate = timeRaw(rawThreads, connections, url, payloads, spans);
                    double exporterRate = timeExporter(exporter, batches, spans);
                    rawBest = Math.max(rawBest, rawRate);
                    exporterBest = Math.max(exporterBest, exporterRate);
                    System.out.printf(Locale.ROOT, "round %d: raw COPY %,.0f rows/s, exporter %,.0f spans/s (%.2f)%n",
                            round, rawRate, exporterRate, exporterRate / rawRate);
                }
            } finally {
                rawThreads.shutdown();
            }
            System.out.printf(Locale.ROOT, "best: raw COPY %,.0f rows/s, exporter %,.0f spans/s, ratio %.2f%n",
                    rawBest, exporterBest, exporterBest / rawBest);
        } finally {
            exporter.close();
            try (Connection admin = connect(base); Statement sql = admin.createStatement()) {
                sql.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /**
     * The exporter deregisters pgjdbc from DriverManager (so that an application never gets the agent's driver); unshaded
     * here, that is the benchmark's driver too, so it connects through the driver directly.
     */
    private static Connection connect(String url) throws java.sql.SQLException {
        return new org.postgresql.Driver().connect(url, new java.util.Properties());
    }

    /**
     * Raw COPY of pre-encoded rows on {@code connections} connections in parallel (opened before the clock starts): no
     * encoding, no batch bookkeeping, one commit per batch like the exporter.
     */
    private static double timeRaw(ExecutorService threads, int connections, String url, List<byte[]> payloads,
                                  int spans) throws Exception {
        List<Connection> open = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Connection connection = connect(url);
            connection.setAutoCommit(false);
            open.add(connection);
        }
        ConcurrentLinkedQueue<byte[]> todo = new ConcurrentLinkedQueue<>(payloads);
        long start = System.nanoTime();
        List<Future<?>> streams = new ArrayList<>();
        for (Connection connection : open) {
            streams.add(threads.submit(() -> {
                byte[] payload;
                while ((payload = todo.poll()) != null) {
                    CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI()
                            .copyIn("COPY mcp_spans (" + PostgresExporter.COLUMNS + ") FROM STDIN (FORMAT binary)");
                    in.writeToCopy(payload, 0, payload.length);
                    in.endCopy();
                    connection.commit();
                }
                return null;
            }));
        }
        for (Future<?> stream : streams) {
            stream.get();
        }
        double rate = spans / ((System.nanoTime() - start) / 1e9);
        for (Connection connection : open) {
            connection.close();
        }
        return rate;
    }

    /**
     * The exporter as the drainer calls it: encoding on this thread, then COPY, the batch's bookkeeping row and commit
     * on the exporter's writer threads; timed until every batch is committed.
     */
    private static double timeExporter(PostgresExporter exporter, List<List<Span>> batches, int spans) {
        AtomicLong lost = new AtomicLong();
        SpanExporter.Outcome outcome = new SpanExporter.Outcome() {
            @Override
            public void exported(int count) {
            }

            @Override
            public void failed(int count, Throwable cause) {
                lost.addAndGet(count);
                cause.printStackTrace();
            }
        };
        long start = System.nanoTime();
        for (List<Span> batch : batches) {
            exporter.export(batch, outcome);
        }
        if (!exporter.awaitIdle(System.nanoTime() + 600_000_000_000L) || lost.get() > 0) {
            throw new IllegalStateException("exporter lost " + lost.get() + " spans");
        }
        return spans / ((System.nanoTime() - start) / 1e9);
    }

    /** Server spans shaped like a busy MCP server's: mostly tool calls over a few tools, some errors. */
    static List<List<Span>> batches(int spans, int batchSize) {
        String[] tools = {"get_forecast", "search_archive", "book_flight", "convert_temperature", "lookup_customer"};
        String session = UUID.randomUUID().toString();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<List<Span>> batches = new ArrayList<>();
        List<Span> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < spans; i++) {
            Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
            span.toolName = tools[random.nextInt(tools.length)];
            span.requestId = i;
            span.sessionId = session;
            span.protocolVersion = "2025-11-25";
            span.transport = "streamable_http";
            span.clientName = "claude-code";
            span.clientVersion = "2.1.0";
            if (random.nextInt(20) == 0) {
                span.failRpc(-32603, "upstream weather service timed out after 30s");
            }
            span.end();
            batch.add(span);
            if (batch.size() == batchSize) {
                batches.add(batch);
                batch = new ArrayList<>(batchSize);
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }
}
