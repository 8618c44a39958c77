package io.mcpobservatory.privacy;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many values of each kind were masked (for a counter metric), and whether text was cut unscanned. Not thread-safe:
 * one per drainer, or per call.
 */
public final class MaskCounts {

    private final Map<String, Integer> byKind = new TreeMap<>();
    private long charsNotScanned;

    void add(String kind) {
        byKind.merge(kind, 1, Integer::sum);
    }

    void notScanned(long chars) {
        charsNotScanned += chars;
    }

    /** Masked values by kind ({@code email}, {@code card}, {@code key}, a custom pattern's name...), sorted by kind. */
    public Map<String, Integer> byKind() {
        return Collections.unmodifiableMap(byKind);
    }

    public int count(String kind) {
        return byKind.getOrDefault(kind, 0);
    }

    public int total() {
        int total = 0;
        for (int n : byKind.values()) {
            total += n;
        }
        return total;
    }

    /** Characters past the budget ({@code observatory.privacy.max-chars}) that were dropped without being scanned. */
    public long charsNotScanned() {
        return charsNotScanned;
    }

    @Override
    public String toString() {
        return byKind + (charsNotScanned > 0 ? " (" + charsNotScanned + " chars cut unscanned)" : "");
    }
}
