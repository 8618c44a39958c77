package io.mcpobservatory.rates;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rates as the drainer last published them (every tick, 5 s): per window, for the service (every span), for all
 * tools (server {@code tools/call} spans) and for each tool. Immutable, so any thread may read it: the scrape endpoint,
 * {@code /health}, the exit summary, the alerts, and later the query tools.
 */
public final class RatesSnapshot {

    /** The snapshot before anything was published: every row empty. */
    public static final RatesSnapshot EMPTY = new RatesSnapshot(0, Map.of(), Map.of(), Map.of(), null);

    private final long atNanos;
    private final Map<RateWindow, RateValues> service;
    private final Map<RateWindow, RateValues> allTools;
    private final Map<String, Map<RateWindow, RateValues>> tools;
    private final Map<RateWindow, RateValues> otherTools;

    RatesSnapshot(long atNanos, Map<RateWindow, RateValues> service, Map<RateWindow, RateValues> allTools,
                  Map<String, Map<RateWindow, RateValues>> tools, Map<RateWindow, RateValues> otherTools) {
        this.atNanos = atNanos;
        this.service = immutable(service);
        this.allTools = immutable(allTools);
        Map<String, Map<RateWindow, RateValues>> copy = new LinkedHashMap<>();
        tools.forEach((tool, values) -> copy.put(tool, immutable(values)));
        this.tools = Collections.unmodifiableMap(copy);
        this.otherTools = otherTools == null ? null : immutable(otherTools);
    }

    private static Map<RateWindow, RateValues> immutable(Map<RateWindow, RateValues> values) {
        return values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(values));
    }

    /** When it was published ({@link System#nanoTime()} scale); 0 for {@link #EMPTY}. */
    public long atNanos() {
        return atNanos;
    }

    /** Every span of the service over {@code window}; null before the first publication. */
    public RateValues service(RateWindow window) {
        return service.get(window);
    }

    /** Every server {@code tools/call} span over {@code window}; null before the first publication. */
    public RateValues allTools(RateWindow window) {
        return allTools.get(window);
    }

    /**
     * The server {@code tools/call} spans of {@code tool} over {@code window}; null for a tool with no call in the last
     * hour, or past {@code observatory.rates.max-tools} (then in {@link #otherTools}).
     */
    public RateValues tool(String tool, RateWindow window) {
        Map<RateWindow, RateValues> values = tools.get(tool);
        return values == null ? null : values.get(window);
    }

    /** The tools with rows, in the order they were first called. */
    public List<String> tools() {
        return List.copyOf(tools.keySet());
    }

    /** The tools past the cap, together; null when there were none. */
    public RateValues otherTools(RateWindow window) {
        return otherTools == null ? null : otherTools.get(window);
    }

    /**
     * The values a rule names: {@code tool} null for the service, {@code "*"} for all tools, else a tool's (null when
     * unknown).
     */
    public RateValues values(String tool, RateWindow window) {
        if (tool == null) {
            return service(window);
        }
        return tool.equals(ALL_TOOLS) ? allTools(window) : tool(tool, window);
    }

    /** The scope of all tools in a rule ({@code error_rate{tool=*}}). */
    public static final String ALL_TOOLS = "*";
}
