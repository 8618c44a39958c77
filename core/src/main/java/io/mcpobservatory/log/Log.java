package io.mcpobservatory.log;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's only voice: one line per event on stderr, prefixed so users can grep it. Never stdout: on a stdio MCP
 * server stdout is the protocol. Repeated problems (an exporter failing every second) are said once per key.
 */
public final class Log {

    private static final String PREFIX = "[mcp-observatory] ";
    private static final Set<String> SAID_ONCE = ConcurrentHashMap.newKeySet();
    static final int MAX_ONCE_KEYS = 1_000;
    private static volatile PrintStream err = System.err;

    private Log() {
    }

    public static void info(String message) {
        err.println(PREFIX + message);
    }

    public static void warn(String message) {
        err.println(PREFIX + "WARN " + message);
    }

    /**
     * Warns the first time {@code key} is seen; later warnings with the same key are dropped. Keys may come from clients (an unknown model name in a sampling result), so at most
     * {@link #MAX_ONCE_KEYS} are remembered; past that, further once-only warnings are dropped rather than growing memory.
     */
    public static void warnOnce(String key, String message) {
        if (SAID_ONCE.size() < MAX_ONCE_KEYS && SAID_ONCE.add(key)) {
            warn(message);
        }
    }

    public static void warn(String message, Throwable error) {
        warn(message + ": " + error);
    }

    /** Raw output for multi-line blocks such as the exit summary. */
    public static void block(String text) {
        err.print(text);
        err.flush();
    }
}
