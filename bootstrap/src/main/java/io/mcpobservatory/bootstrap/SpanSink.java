package io.mcpobservatory.bootstrap;

/**
 * Where finished spans go. The agent installs its pipeline here; implementations must return at once (no I/O, no locks
 * held across I/O) because they run on application threads.
 */
public interface SpanSink {

    void accept(Span span);

    /** A session ended ({@link SessionEnd}); rare next to spans. Sinks that keep no sessions ignore it. */
    default void sessionEnded(SessionEnd end) {
    }
}
