package io.mcpobservatory.export.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mcpobservatory.alerts.AlertEvent;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.export.PipelineStats;
import io.mcpobservatory.export.SpanExporter;
import io.mcpobservatory.export.SpanFormat;
import io.mcpobservatory.export.SpanSchema;
import io.mcpobservatory.log.Log;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes span batches into {@code mcp_spans} with one binary {@code COPY} per batch, through a small HikariCP pool.
 *
 * <p>The drainer thread encodes each batch and hands it to one of {@code target.connections} writer threads, each
 * writing on its own pooled connection: one COPY stream keeps one server core busy (index maintenance is most of the
 * cost), so parallel streams are what reaches 100k spans/s, and the drainer forms the next batch meanwhile. At most
 * {@code connections} encoded batches wait for a writer; past that the drainer waits, and the application's spans queue
 * up in (and, when it is full, are dropped from) the pipeline's bounded queue: the application never waits.
 *
 * <p>Everything happens lazily, off application threads: the pool is created and the schema migrated on the first export,
 * so a database that is down or slow at start never delays the application. Each batch is committed together with its
 * row in {@code mcp_export_batches} (agent id, batch sequence), which is what makes a replayed batch detectable. When the
 * database fails, the exporter backs off exponentially with jitter (1 s doubling to 60 s), and batches go to the on-disk
 * {@link Spool} meanwhile, to be replayed in order once the database answers again.
 *
 * <p>Alerts become rows of {@code mcp_alerts} through {@link AlertRows}, on a thread of their own; the heartbeat's row
 * of {@code mcp_agents} (and the spool's replay and the partitions' upkeep that come with it) on another.
 *
 * <p>The agent's pgjdbc is relocated and never stays registered with {@link java.sql.DriverManager}, so the application's
 * own JDBC use never meets it.
 */
public final class PostgresExporter implements SpanExporter {

    /** The columns of {@code mcp_spans} a batch fills: the span's ({@link SpanSchema}), then the agent's id. */
    public static final String COLUMNS = SpanSchema.FIELDS.stream().map(field -> field.name)
            .collect(Collectors.joining(", ")) + ", agent_id";
    private static final int COLUMN_COUNT = SpanSchema.FIELDS.size() + 1;

    private static final long MIN_BACKOFF_MILLIS = 1_000;
    private static final long MAX_BACKOFF_MILLIS = 60_000;
    private static final long MAINTENANCE_INTERVAL_NANOS = TimeUnit.HOURS.toNanos(1);
    /** How long {@link #close} waits for the last heartbeat when no shutdown deadline was given. */
    private static final long FINAL_HEARTBEAT_MILLIS = 3_000;

    private final PostgresTarget target;
    private final Spool spool;
    private final AlertRows alerts;

    // drainer thread only
    private final BinaryCopyWriter copy = new BinaryCopyWriter();
    private long batchSeq;
    private String host;

    // writer threads, started with the first batch
    private final BlockingQueue<Job> jobs;
    private volatile Thread[] writers;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The newest counters the heartbeat thread has yet to write (null: none); cleared only once written. */
    private final AtomicReference<PipelineStats> pendingBeat = new AtomicReference<>();
    /** Started with the first heartbeat. */
    private volatile Thread beater;
    private volatile boolean closing;
    private volatile long closeDeadlineNanos;
    /** One replayer at a time: two would send the same spooled batch twice (harmless, but wasted work). */
    private final ReentrantLock replayLock = new ReentrantLock();

    // shared; guarded by this
    private HikariDataSource pool;
    private boolean schemaReady;
    /** A thread is making the first connection (and migrating the schema). */
    private boolean connectingFirst;
    private long backoffMillis;
    private long retryAtNanos;
    private volatile long nextMaintenanceNanos;

    /** An encoded batch waiting for a writer. */
    private static final class Job {
        final long seq;
        final byte[] payload;
        final int spans;
        final Outcome outcome;

        Job(long seq, byte[] payload, int spans, Outcome outcome) {
            this.seq = seq;
            this.payload = payload;
            this.spans = spans;
            this.outcome = outcome;
        }
    }

    public PostgresExporter(PostgresTarget target) {
        this.target = target;
        this.spool = new Spool(target.spoolDir, target.spoolMaxBytes);
        this.batchSeq = System.currentTimeMillis() * 1000; // increasing across restarts of the same agent id
        this.jobs = new ArrayBlockingQueue<>(target.connections);
        this.alerts = new AlertRows(target, this::connect);
    }

    /** Queues the alert's row for its own writer thread: the drainer never waits for the database. */
    @Override
    public void alert(AlertEvent event) {
        alerts.offer(event);
    }

    @Override
    public long alertsDropped() {
        return alerts.dropped();
    }

    /**
     * Encodes the batch on the calling (drainer) thread and queues it for a writer thread; the outcome is reported when
     * the batch is in PostgreSQL or safely in the spool ({@link Outcome#exported}), or lost ({@link Outcome#failed}:
     * database unavailable and the spool off or full). Waits only when every writer is busy and the queue is full.
     */
    @Override
    public void export(List<Span> batch, Outcome outcome) {
        Job job = new Job(++batchSeq, copyPayload(batch), batch.size(), outcome);
        startWriters();
        inFlight.incrementAndGet();
        try {
            jobs.put(job);
        } catch (InterruptedException e) {
            inFlight.decrementAndGet();
            Thread.currentThread().interrupt();
            outcome.failed(job.spans, e);
        }
    }

    /** The same, synchronously on the calling thread: returns when the batch is in PostgreSQL or spooled, else throws. */
    @Override
    public void export(List<Span> batch) throws IOException {
        byte[] payload = copyPayload(batch);
        IOException lost = deliver(++batchSeq, payload, batch.size());
        if (lost != null) {
            throw lost;
        }
    }

    @Override
    public boolean awaitIdle(long deadlineNanos) {
        closeDeadlineNanos = deadlineNanos; // the shutdown's: close() waits for the last heartbeat until then
        // alert rows and the heartbeat too, unless the database is away
        while (inFlight.get() > 0 || !alerts.idle() || !heartbeatIdle()) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /**
     * The binary COPY payload this exporter sends for {@code batch} (also for the throughput benchmark, which compares
     * the exporter with a raw COPY of the very same rows).
     */
    public byte[] copyPayload(List<Span> batch) {
        copy.start();
        for (Span span : batch) {
            writeRow(span);
        }
        copy.finish();
        return Arrays.copyOf(copy.buffer(), copy.size());
    }

    /** Drainer thread only (no lock: the monitor guards the pool's state). */
    private void startWriters() {
        if (writers != null) {
            return;
        }
        Thread[] started = new Thread[target.connections];
        for (int i = 0; i < started.length; i++) {
            started[i] = new Thread(this::writeLoop, "mcp-observatory-pg-writer-" + (i + 1));
            started[i].setDaemon(true);
            started[i].start();
        }
        writers = started;
    }

    private void writeLoop() {
        while (true) {
            Job job;
            try {
                job = jobs.take();
            } catch (InterruptedException e) {
                return; // close()
            }
            try {
                IOException lost = deliver(job.seq, job.payload, job.spans);
                if (lost == null) {
                    job.outcome.exported(job.spans);
                } else {
                    job.outcome.failed(job.spans, lost);
                }
            } catch (Throwable e) { // even an Error: a dead writer would leave the drainer waiting for it forever
                job.outcome.failed(job.spans, e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /**
     * Writes one batch, after any spooled batches (while the spool is not empty, new batches join it); null when the
     * batch is in PostgreSQL or safely in the spool, else why it is lost.
     */
    private IOException deliver(long seq, byte[] payload, int spans) {
        IOException failure = null;
        if (replaySpool()) {
            Connection connection = null;
            try {
                connection = connect();
                write(connection, payload, payload.length, target.agentId, seq, spans);
                succeeded();
                return null;
            } catch (IOException e) {
                failure = e;
            } catch (SQLException | RuntimeException e) {
                failure = failed("export of " + spans + " spans", e);
            } finally {
                closeQuietly(connection);
            }
        }
        if (spool.append(target.agentId, seq, spans, payload, payload.length)) {
            return null;
        }
        return failure != null ? failure : new IOException("PostgreSQL " + target.safeUrl()
                + " unavailable and the spool is " + (spool.enabled() ? "full" : "off"));
    }

    /**
     * One batch in one transaction: its row in {@code mcp_export_batches} first, then the COPY. A batch that was already
     * committed (a replay after a crash between commit and spool cleanup) inserts no row, and is then rolled back
     * without sending its rows again: nothing is written twice.
     */
    private void write(Connection connection, byte[] payload, int length, UUID agentId, long seq, int spans)
            throws SQLException {
        try {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mcp_export_batches (agent_id, "
                    + "batch_seq, spans) VALUES (?, ?, ?) ON CONFLICT (agent_id, batch_seq) DO NOTHING")) {
                insert.setObject(1, agentId);
                insert.setLong(2, seq);
                insert.setInt(3, spans);
                if (insert.executeUpdate() == 0) {
                    connection.rollback();
                    return;
                }
            }
            CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY mcp_spans (" + COLUMNS + ") FROM STDIN (FORMAT binary)");
            try {
                in.writeToCopy(payload, 0, length);
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
        }
    }

    /** Replays spooled batches oldest first; true when the spool is empty afterwards. */
    private boolean replaySpool() {
        if (spool.isEmpty()) {
            return true;
        }
        replayLock.lock();
        try {
            return spool.isEmpty() || replayLocked();
        } finally {
            replayLock.unlock();
        }
    }

    private boolean replayLocked() {
        Connection connection;
        try {
            connection = connect();
        } catch (IOException e) {
            return false;
        }
        try {
            Spool.Entry entry;
            while ((entry = spool.oldest()) != null) {
                byte[] payload = spool.read(entry);
                write(connection, payload, payload.length, entry.agentId, entry.seq, entry.spans);
                spool.remove(entry);
            }
            succeeded();
            return true;
        } catch (SQLException | IOException | RuntimeException e) {
            failedQuietly("replay of the spool", e);
            return false;
        } finally {
            closeQuietly(connection);
        }
    }

    /** One row: the span's fields in {@link SpanSchema}'s order, then the agent id. */
    private void writeRow(Span span) {
        BinaryCopyWriter w = copy;
        w.row(COLUMN_COUNT);
        for (SpanSchema.Field field : SpanSchema.FIELDS) {
            switch (field.type) {
                case TRACE_ID:
                    w.uuid(span.traceIdHigh, span.traceIdLow);
                    break;
                case SPAN_ID:
                    w.int8OrNullIfZero(field.longValue(span));
                    break;
                case SERVICE:
                    w.text(target.service);
                    break;
                case TIMESTAMP:
                    w.timestamptz(field.longValue(span));
                    break;
                case MILLIS:
                    w.float8(SpanFormat.millis(field.longValue(span)));
                    break;
                case COUNT:
                    w.int8OrNull(field.longValue(span));
                    break;
                case SMALL_COUNT:
                    w.int4OrNull((int) field.longValue(span));
                    break;
                case DECIMAL:
                    w.float8((Double) field.value(span));
                    break;
                case FLAG:
                    w.bool((Boolean) field.value(span));
                    break;
                case JSON_OBJECT:
                    w.jsonb((String) field.value(span));
                    break;
                default: // TEXT
                    w.text((String) field.value(span));
                    break;
            }
        }
        w.uuid(target.agentId.getMostSignificantBits(), target.agentId.getLeastSignificantBits());
    }

    /**
     * Hands the counters to the heartbeat thread, which upserts this agent's row of {@code mcp_agents}: the drainer
     * never waits for the database (a heartbeat connects, may replay the whole spool after an outage, waits for a writer
     * that is replaying it, and maintains partitions; on the drainer, any of these stalled the span queue into drops).
     * Only the newest counters are kept: a heartbeat still waiting when the next comes is replaced by it.
     */
    @Override
    public void heartbeat(PipelineStats stats) {
        pendingBeat.set(stats);
        Thread thread = beater;
        if (thread == null) {
            thread = new Thread(this::beatLoop, "mcp-observatory-pg-heartbeat");
            thread.setDaemon(true);
            beater = thread;
            thread.start();
        }
        LockSupport.unpark(thread);
    }

    private void beatLoop() {
        while (!closing) {
            PipelineStats stats = pendingBeat.get();
            if (stats == null) {
                LockSupport.park(this);
                continue;
            }
            try {
                writeHeartbeat(stats);
            } catch (Throwable e) { // never let the thread die: later heartbeats would wait for it in vain
                Log.warnOnce("pg-heartbeat-thread", "PostgreSQL heartbeat failed: " + e);
            } finally {
                pendingBeat.compareAndSet(stats, null); // newer counters that came meanwhile stay for the next turn
            }
        }
    }

    /** Whether no heartbeat waits or is being written. */
    private boolean heartbeatIdle() {
        return pendingBeat.get() == null;
    }

    /** Upserts this agent's row of {@code mcp_agents}; skipped while the database is backing off. Heartbeat thread. */
    private void writeHeartbeat(PipelineStats stats) {
        replaySpool(); // drains the spool even when no new spans arrive
        Connection connection;
        try {
            connection = connect(false);
        } catch (IOException e) {
            return; // already counted and logged by connect(); the next heartbeat tries again
        }
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO mcp_agents (agent_id, service, host, pid, agent_version, jvm_version, started_at, "
                        + "last_seen_at, spans_recorded, spans_exported, spans_dropped_queue_full, "
                        + "spans_dropped_export_failed, export_failures, queue_depth, spool_bytes, heartbeat_interval, "
                        + "spans_sampled_out) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ? * interval '1 millisecond', ?) "
                        + "ON CONFLICT (agent_id) DO UPDATE SET last_seen_at = now(), "
                        + "spans_recorded = EXCLUDED.spans_recorded, spans_exported = EXCLUDED.spans_exported, "
                        + "spans_dropped_queue_full = EXCLUDED.spans_dropped_queue_full, "
                        + "spans_dropped_export_failed = EXCLUDED.spans_dropped_export_failed, "
                        + "export_failures = EXCLUDED.export_failures, queue_depth = EXCLUDED.queue_depth, "
                        + "spool_bytes = EXCLUDED.spool_bytes, heartbeat_interval = EXCLUDED.heartbeat_interval, "
                        + "spans_sampled_out = EXCLUDED.spans_sampled_out")) {
            upsert.setObject(1, target.agentId);
            upsert.setString(2, target.service);
            upsert.setString(3, host());
            upsert.setLong(4, target.pid);
            upsert.setString(5, target.agentVersion);
            upsert.setString(6, target.jvmVersion);
            upsert.setTimestamp(7, Timestamp.from(STARTED_AT));
            upsert.setLong(8, stats.recorded());
            upsert.setLong(9, stats.exported());
            upsert.setLong(10, stats.droppedQueueFull());
            upsert.setLong(11, stats.droppedExportFailed());
            upsert.setLong(12, stats.exportFailures());
            upsert.setLong(13, stats.queueDepth());
            upsert.setLong(14, spool.bytes());
            upsert.setLong(15, stats.heartbeatIntervalMillis());
            upsert.setLong(16, stats.sampledOut());
            upsert.executeUpdate();
            connection.commit();
            maintainPartitions(connection);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            failedQuietly("heartbeat", e);
        } finally {
            closeQuietly(connection);
        }
    }

    private static final Instant STARTED_AT = Instant.now();

    /** Resolved on the drainer thread (a name lookup may block), once. */
    private String host() {
        if (host == null) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e) {
                host = "unknown";
            }
        }
        return host;
    }

    /** Hourly: daily partitions ahead, and retention by dropping whole old partitions (only if we manage the schema). */
    private void maintainPartitions(Connection connection) {
        long now = System.nanoTime();
        if (!target.manageSchema || now - nextMaintenanceNanos < 0) {
            return;
        }
        nextMaintenanceNanos = now + MAINTENANCE_INTERVAL_NANOS;
        try (Statement statement = connection.createStatement()) {
            // creating a partition waits for a lock on mcp_spans: never queue the exporter behind a long query for long
            statement.execute("SET LOCAL lock_timeout = '5s'");
            statement.execute("SELECT mcp_ensure_partitions(3)");
            statement.execute("SELECT mcp_drop_partitions_older_than(" + target.retentionDays + ")");
            statement.execute("SELECT mcp_drop_alerts_older_than(" + target.retentionDays + ")");
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            // not an outage: spans still land (the default partition takes any day); try again at the next heartbeat
            rollbackQuietly(connection);
            nextMaintenanceNanos = now;
            Log.warnOnce("pg-maintenance", "PostgreSQL partition maintenance failed (" + describe(e) + "); retrying");
        }
    }

    /** A connection that waits for a first connection another thread is making (see below). */
    private Connection connect() throws IOException {
        return connect(true);
    }

    /**
     * A pooled connection, creating the pool and migrating the schema on first use; fails fast while backing off. One
     * thread at a time makes the first connection (up to the pool's 5 s when the database does not answer); the
     * writers and the alert rows wait for it and then go on with its outcome (a failure's backoff: they spool at once,
     * rather than each wait out the timeout in turn), while the heartbeat ({@code waitForFirst} false) skips its turn.
     */
    private Connection connect(boolean waitForFirst) throws IOException {
        HikariDataSource ready;
        HikariDataSource first = null;
        synchronized (this) {
            try {
                while (waitForFirst && connectingFirst) {
                    wait(1_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // close()
                throw new BackingOff("PostgreSQL " + target.safeUrl() + ": closing");
            }
            throwIfBackingOff();
            ready = schemaReady ? pool : null;
            if (ready == null) {
                if (connectingFirst) {
                    throw new BackingOff("PostgreSQL " + target.safeUrl() + ": the first connection is being made");
                }
                connectingFirst = true;
                if (pool == null) {
                    pool = createPool();
                }
                first = pool;
            }
        }
        try {
            return ready != null ? ready.getConnection() : connectFirst(first);
        } catch (SQLException | IOException | RuntimeException e) {
            throw failed("connecting", e);
        } finally {
            if (first != null) {
                synchronized (this) {
                    connectingFirst = false;
                    notifyAll();
                }
            }
        }
    }

    /** The first connection, and the schema migrated on it; one thread at a time (see {@link #connect}). */
    private Connection connectFirst(HikariDataSource first) throws SQLException, IOException {
        Connection connection = first.getConnection();
        try {
            if (target.manageSchema) {
                SchemaMigrations.apply(connection);
            }
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
        synchronized (this) {
            if (target.manageSchema) {
                nextMaintenanceNanos = System.nanoTime(); // partitions now, then hourly
            }
            schemaReady = pool == first; // not when close() came meanwhile
        }
        return connection;
    }

    /** While a failure's backoff runs, no connection is tried. Caller holds the monitor. */
    private void throwIfBackingOff() throws BackingOff {
        if (retryAtNanos != 0 && System.nanoTime() - retryAtNanos < 0) {
            throw new BackingOff("PostgreSQL " + target.safeUrl() + " unavailable; next attempt in "
                    + TimeUnit.NANOSECONDS.toMillis(retryAtNanos - System.nanoTime()) + " ms");
        }
    }

    /** No connection tried: the database failed a moment ago. */
    private static final class BackingOff extends IOException {
        BackingOff(String message) {
            super(message);
        }
    }

    private HikariDataSource createPool() {
        forgetDriverRegistration();
        HikariConfig config = new HikariConfig();
        config.setPoolName("mcp-observatory");
        config.setDriverClassName(org.postgresql.Driver.class.getName());
        config.setJdbcUrl(target.jdbcUrl);
        if (target.user != null) {
            config.setUsername(target.user);
        }
        if (target.password != null) {
            config.setPassword(target.password);
        }
        config.setMaximumPoolSize(target.connections); // the writers; the heartbeat borrows one between batches
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        config.setInitializationFailTimeout(-1); // never connect while the pool is built
        config.addDataSourceProperty("ApplicationName", "mcp-observatory-agent");
        config.addDataSourceProperty("connectTimeout", "5");
        config.addDataSourceProperty("socketTimeout", "60");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(config);
    }

    /**
     * Loading pgjdbc's Driver class registers it with DriverManager; we take that back at once (Hikari instantiates the
     * driver itself), so an application asking DriverManager for a postgresql connection gets its own driver, not ours.
     */
    private static void forgetDriverRegistration() {
        try {
            if (org.postgresql.Driver.isRegistered()) {
                org.postgresql.Driver.deregister();
            }
        } catch (SQLException | RuntimeException e) {
            Log.warnOnce("pg-deregister", "could not deregister the agent's PostgreSQL driver: " + e);
        }
    }

    private synchronized void succeeded() {
        backoffMillis = 0;
        retryAtNanos = 0;
    }

    private IOException failed(String what, Exception cause) {
        failedQuietly(what, cause);
        return new IOException("PostgreSQL " + target.safeUrl() + ": " + what + " failed: " + cause.getMessage(), cause);
    }

    private synchronized void failedQuietly(String what, Exception cause) {
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, Math.max(MIN_BACKOFF_MILLIS, backoffMillis * 2));
        long jittered = (long) (backoffMillis * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(jittered);
        Log.warnOnce("pg-" + what, "PostgreSQL " + target.safeUrl() + ": " + what + " failed (" + describe(cause)
                + "); retrying with backoff, further failures are counted, not logged");
    }

    /** The message and the root cause's (Hikari's timeout hides the real reason, e.g. an authentication failure). */
    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? String.valueOf(error.getMessage())
                : error.getMessage() + "; cause: " + root.getMessage();
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // the connection is broken; Hikari will evict it
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // nothing more to do
        }
    }

    /** Spans accepted but still waiting in the spool for the database. */
    @Override
    public long pendingSpans() {
        return spool.spans();
    }

    @Override
    public String describe() {
        return target.toString();
    }

    /**
     * Called after {@link #awaitIdle} and the final heartbeat: gives that heartbeat until the shutdown's deadline (the one
     * {@code awaitIdle} had; else {@link #FINAL_HEARTBEAT_MILLIS}) to be written (the exit's counters, which tell a clean
     * exit from a lost agent), then stops the (idle) writers and closes the pool.
     */
    @Override
    public void close() {
        long deadline = closeDeadlineNanos != 0 ? closeDeadlineNanos
                : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FINAL_HEARTBEAT_MILLIS);
        while (beater != null && !heartbeatIdle() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        closing = true;
        Thread thread = beater;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
        closeWritersAndPool();
    }

    private synchronized void closeWritersAndPool() {
        alerts.close();
        if (writers != null) {
            for (Thread writer : writers) {
                writer.interrupt();
            }
        }
        if (pool != null) {
            pool.close();
            pool = null;
            schemaReady = false;
        }
    }
}
