package io.mcpobservatory.privacy;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The regions of one text the detectors claimed, each with its kind. Detectors run one after the other in priority
 * order, and a region overlapping one claimed before is refused: so a card number is never also read as a phone number,
 * and a JWT after {@code Bearer } is reported once.
 */
final class Matches {

    // allocated at the first claim: most strings of a tool result have nothing to mask
    private BitSet claimed;
    private int[] starts;
    private int[] ends;
    private String[] kinds;
    private boolean[] quoted;
    private int size;

    /** Claims {@code [start, end)} for {@code kind}; false (and nothing claimed) if it overlaps an earlier claim. */
    boolean claim(int start, int end, String kind) {
        return claim(start, end, kind, false);
    }

    /** As {@link #claim(int, int, String)}; {@code quoted}: the marker is written as a JSON string (in quotes). */
    boolean claim(int start, int end, String kind, boolean quoted) {
        if (end <= start) {
            return false;
        }
        if (claimed == null) {
            claimed = new BitSet();
            starts = new int[8];
            ends = new int[8];
            kinds = new String[8];
            this.quoted = new boolean[8];
        }
        int next = claimed.nextSetBit(start);
        if (next >= 0 && next < end) {
            return false;
        }
        claimed.set(start, end);
        if (size == starts.length) {
            int capacity = size * 2;
            starts = Arrays.copyOf(starts, capacity);
            ends = Arrays.copyOf(ends, capacity);
            kinds = Arrays.copyOf(kinds, capacity);
            this.quoted = Arrays.copyOf(this.quoted, capacity);
        }
        starts[size] = start;
        ends[size] = end;
        kinds[size] = kind;
        this.quoted[size] = quoted;
        size++;
        return true;
    }

    /** Claims every part of {@code [start, end)} not claimed yet. */
    void claimFree(int start, int end, String kind) {
        int at = start;
        while (at < end) {
            int next = claimed == null ? -1 : claimed.nextSetBit(at);
            int gapEnd = next < 0 || next > end ? end : next;
            claim(at, gapEnd, kind);
            at = next < 0 || next >= end ? end : claimed.nextClearBit(next);
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * The text with every claimed region replaced by its marker, keeping only what starts before {@code limit}: a region
     * that straddles the limit is replaced whole, so a cut never leaves half of a secret.
     */
    String apply(String text, int limit, MaskCounts counts) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(starts[a], starts[b]));
        StringBuilder out = new StringBuilder(Math.min(text.length(), limit) + 16 * size);
        int at = 0;
        for (int index : order) {
            if (starts[index] >= limit) {
                break;
            }
            out.append(text, at, starts[index]);
            String marker = Masker.marker(kinds[index]);
            if (quoted[index]) {
                out.append('"').append(marker).append('"');
            } else {
                out.append(marker);
            }
            counts.add(kinds[index]);
            at = ends[index];
        }
        if (at < limit) {
            out.append(text, at, Math.min(limit, text.length()));
        }
        return out.toString();
    }
}
