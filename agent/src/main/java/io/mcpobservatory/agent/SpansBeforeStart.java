package io.mcpobservatory.agent;

import io.mcpobservatory.bootstrap.SessionEnd;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.SpanSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The sink while the pipeline starts on its own thread: the first SDK class load must not wait for the exporter (a file
 * to open, a database to reach, the price table), and the first request may come before it is ready. Keeps up to
 * {@code capacity} spans, then counts the rest as dropped; {@link #handOver} passes what it kept to the pipeline and
 * forwards later ones. The lock is only taken during the start: once the pipeline is installed, advice no longer finds
 * this sink.
 */
final class SpansBeforeStart implements SpanSink {

    private final int capacity;
    private final CountDownLatch firstSpan = new CountDownLatch(1);
    private List<Span> kept = new ArrayList<>();
    /** Sessions that ended before the start (a short stdio session); few, bounded like the spans. */
    private List<SessionEnd> sessionsEnded = new ArrayList<>();
    private SpanSink started;
    private long dropped;

    SpansBeforeStart(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized void accept(Span span) {
        firstSpan.countDown();
        if (started != null) {
            started.accept(span);
        } else if (kept.size() < capacity) {
            kept.add(span);
        } else {
            dropped++;
        }
    }

    @Override
    public synchronized void sessionEnded(SessionEnd end) {
        if (started != null) {
            started.sessionEnded(end);
        } else if (sessionsEnded.size() < capacity) {
            sessionsEnded.add(end);
        }
    }

    /** Waits until a span has ended, or {@link #noMoreWaiting} was called, for at most {@code millis}. */
    void awaitFirstSpan(long millis) throws InterruptedException {
        firstSpan.await(millis, TimeUnit.MILLISECONDS);
    }

    void noMoreWaiting() {
        firstSpan.countDown();
    }

    /** Passes the spans kept to the started pipeline, in order, and forwards any later one; the number dropped. */
    synchronized long handOver(SpanSink pipeline) {
        kept.forEach(pipeline::accept);
        kept = List.of();
        sessionsEnded.forEach(pipeline::sessionEnded);
        sessionsEnded = List.of();
        started = pipeline;
        return dropped;
    }
}
