package io.mcpobservatory.rates;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decision rates over sliding windows, recorded on the drainer from every span it takes: one row for the service
 * (every span), one for all tools (server {@code tools/call} spans) and one per tool, each a pair of bucket rings
 * ({@link RateRow}). Recording a span is a few dozen array increments per row, whatever the windows' lengths; the windows
 * are summed only when rates are published, once per tick. Memory is bounded: at most
 * {@link RateSettings#maxTools()} tool rows (further tools share one overflow row), about 64 KB each, and a tool with
 * no call in the last hour loses its row.
 *
 * <p>Time is passed in ({@link System#nanoTime()} scale), never read here, so tests drive it. Every method but
 * {@link #snapshot()} belongs to the drainer thread; the snapshot is immutable and published through a volatile field.
 */
public final class RateRecorder {

    /** Tool names are cut here, as metric label values are. */
    static final int MAX_TOOL_NAME_CHARS = 128;

    private final RateSettings settings;
    private final long originNanos;
    private final RateRow service = new RateRow();
    private RateRow allTools;
    private final Map<String, RateRow> tools = new LinkedHashMap<>();
    /** The previous tool call's name (the reference) and row: see {@link #toolRow}. */
    private String lastToolName;
    private RateRow lastToolRow;
    private RateRow otherTools;
    private final WindowTotals totals = new WindowTotals();
    private long droppedSeen;
    private long failuresSeen;
    /** The last time asked of {@link #tick} and its answer. */
    private long lastNowNanos = Long.MIN_VALUE;
    private long lastTick;
    private volatile RatesSnapshot snapshot = RatesSnapshot.EMPTY;

    /** @param originNanos the recorder's time zero ({@link System#nanoTime()} scale): ticks are counted from it */
    public RateRecorder(RateSettings settings, long originNanos) {
        this.settings = settings;
        this.originNanos = originNanos;
    }

    public RateSettings settings() {
        return settings;
    }

    /** Counts a finished span at time {@code nowNanos}, in the service's row and, for a tool call, the tools' rows. */
    public void record(Span span, long nowNanos) {
        long tick = tick(nowNanos);
        int flags = Tally.flags(span, settings);
        int latency = LatencyScale.index(span.durationNanos());
        double cost = (flags & Tally.bit(Tally.COSTED)) != 0 ? span.costUsd : 0;
        service.add(tick, flags, latency, cost);
        if (span.method == McpMethod.TOOLS_CALL && span.isServer()) {
            if (allTools == null) {
                allTools = new RateRow();
            }
            allTools.add(tick, flags, latency, cost);
            RateRow row = toolRow(span.toolName);
            if (row != null) {
                row.add(tick, flags, latency, cost);
            }
        }
    }

    private RateRow toolRow(String name) {
        if (name == null) {
            return null; // a call without a tool name counts for all tools only
        }
        if (name == lastToolName) { // consecutive calls of one tool mostly carry the very same string
            return lastToolRow;
        }
        RateRow row = toolRowLookup(name);
        lastToolName = name;
        lastToolRow = row;
        return row;
    }

    private RateRow toolRowLookup(String name) {
        RateRow row = tools.get(name);
        if (row != null) {
            return row;
        }
        String key = name.length() > MAX_TOOL_NAME_CHARS ? name.substring(0, MAX_TOOL_NAME_CHARS) : name;
        row = tools.get(key);
        if (row == null) {
            if (tools.size() >= settings.maxTools()) {
                if (otherTools == null) {
                    otherTools = new RateRow();
                }
                return otherTools;
            }
            row = new RateRow();
            tools.put(key, row);
        }
        return row;
    }

    private long tick(long nowNanos) {
        if (nowNanos != lastNowNanos) { // the drainer passes one time for a whole batch: one division per batch
            lastTick = Math.max(0, nowNanos - originNanos) / settings.tickNanos();
            lastNowNanos = nowNanos;
        }
        return lastTick;
    }

    /** When the tick after the one {@code nowNanos} is in begins: the next time to {@link #publish}. */
    public long nextTickNanos(long nowNanos) {
        return originNanos + (tick(nowNanos) + 1) * settings.tickNanos();
    }

    /**
     * Makes and publishes the snapshot as of {@code nowNanos}, after adding the pipeline's drops and export failures
     * since the last call (its cumulative counters) to the service's current bucket. Tool rows without a call in the
     * last hour are dropped here. Costs one pass over each row's windows: ~135 buckets of 127 counters.
     */
    public RatesSnapshot publish(long nowNanos, long droppedTotal, long exportFailuresTotal) {
        long tick = tick(nowNanos);
        if (droppedTotal > droppedSeen) {
            service.addCount(tick, Tally.DROPPED, droppedTotal - droppedSeen);
            droppedSeen = droppedTotal;
        }
        if (exportFailuresTotal > failuresSeen) {
            service.addCount(tick, Tally.EXPORT_FAILURES, exportFailuresTotal - failuresSeen);
            failuresSeen = exportFailuresTotal;
        }
        Map<String, Map<RateWindow, RateValues>> byTool = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, RateRow>> rows = tools.entrySet().iterator(); rows.hasNext(); ) {
            Map.Entry<String, RateRow> row = rows.next();
            if (row.getValue().idle(tick)) {
                rows.remove(); // its windows are empty: the slot goes to a tool that is called
            } else {
                byTool.put(row.getKey(), values(row.getValue(), tick, nowNanos));
            }
        }
        RatesSnapshot published = new RatesSnapshot(nowNanos, values(service, tick, nowNanos),
                allTools == null ? Map.of() : values(allTools, tick, nowNanos), byTool,
                otherTools == null ? null : values(otherTools, tick, nowNanos));
        snapshot = published;
        return published;
    }

    private Map<RateWindow, RateValues> values(RateRow row, long tick, long nowNanos) {
        Map<RateWindow, RateValues> values = new EnumMap<>(RateWindow.class);
        for (RateWindow window : RateWindow.values()) {
            row.sum(window, tick, totals);
            values.put(window, new RateValues(totals, coveredNanos(window, tick, nowNanos) / 1e9));
        }
        return values;
    }

    /** The time {@code window} covers at {@code nowNanos}: its complete buckets and the current one so far. */
    private long coveredNanos(RateWindow window, long tick, long nowNanos) {
        long bucketNanos = settings.tickNanos() * (window.coarse ? RateWindow.TICKS_PER_COARSE : 1);
        long bucket = window.coarse ? tick / RateWindow.TICKS_PER_COARSE : tick;
        long bucketStart = originNanos + bucket * bucketNanos;
        long covered = window.buckets * bucketNanos + (nowNanos - bucketStart);
        return Math.max(0, Math.min(covered, nowNanos - originNanos));
    }

    /** The latest published snapshot ({@link RatesSnapshot#EMPTY} before the first); any thread. */
    public RatesSnapshot snapshot() {
        return snapshot;
    }
}
