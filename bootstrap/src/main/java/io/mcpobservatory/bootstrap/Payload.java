package io.mcpobservatory.bootstrap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What a span put into the model's context (or, for a tool's arguments, what the model generated), captured on the
 * request thread and turned into tokens later, on the drainer thread.
 *
 * <p>Capture is cheap and bounded: texts are kept by reference (no copy), except a text longer than
 * {@link #maxChars}, of which only evenly spread slices of {@code maxChars} characters in all are copied (so a 10 MB tool
 * result costs the request thread and the heap no more than the cap; the drainer extrapolates from the slices).
 * Structured parts (JSON objects such as {@code structuredContent}, a tool's schemas, arguments) are kept by reference
 * and serialized on the drainer; their retained size is estimated by a walk of at most {@link #WALK_NODES} nodes.
 * Images are priced here by a rule ({@link ImageTokens}), so their bytes are never retained.
 */
public final class Payload {

    /** Set from {@code observatory.tokens.max-chars}: the most characters of one payload that are tokenized. */
    public static volatile int maxChars = 100_000;

    /** Nodes the size walk of a structured part visits at most; past it, the part's size is extrapolated. */
    static final int WALK_NODES = 1_000;
    // Many short samples represent content that alternates between dense and sparse kinds (CJK, JSON, prose) far
    // better than a few long ones: on 5 MB payloads with runs of 0.5-5 KB of one kind, 100 slices erred by 8.6 %, 1,000
    // slices (100 chars each at the default cap, edges moved to whitespace) by 0.3 % (TokenAccountingTest).
    private static final int SLICES = 1000;

    /** One part of what the model reads: a text, pieces of a long text, a tool catalog, or a JSON value. */
    public sealed interface Part permits Text, Sliced, Catalog, Structured {
    }

    /** A text as the model sees it, kept by reference. */
    public record Text(String text) implements Part {
    }

    /** A JSON value (map, list, record, string, number), kept by reference and serialized on the drainer. */
    public record Structured(Object value) implements Part {
    }

    /**
     * The tool catalog of a tools/list result, kept by reference (the application's own, long-lived tool objects): the
     * drainer writes it as a client describes it to its model, per tool its name, description and schemas (title and
     * annotations are for humans and are left out).
     */
    public record Catalog(List<?> tools) implements Part {
    }

    public final List<Part> parts = new ArrayList<>(2);
    /** Tokens decided by rule at capture (images). */
    public long ruleTokens;
    /** Whether a rule had to guess (an image whose size could not be read). */
    public boolean ruleEstimated;
    /** Heap this payload keeps alive, estimated at capture. */
    private long retainedBytes = 64;

    /**
     * Pieces of a text too long to count whole, and the text's full length: its count is the pieces' count scaled by
     * characters. Made by {@link #slice} (evenly spread pieces), or from any kept part of a text (a JSON's beginning).
     */
    public static final class Sliced implements Part {
        public final String[] slices;
        public final long fullChars;

        public Sliced(String[] slices, long fullChars) {
            this.slices = slices;
            this.fullChars = fullChars;
        }

        public long sampledChars() {
            long chars = 0;
            for (String slice : slices) {
                chars += slice.length();
            }
            return chars;
        }

        /** At most {@code chars} characters of the pieces, still spread over the whole text: every k-th piece. */
        public Sliced within(long chars) {
            long sampled = sampledChars();
            if (sampled <= chars || slices.length == 1) {
                return this;
            }
            for (int step = (int) Math.min(slices.length, (sampled + chars - 1) / Math.max(1, chars)); ; step++) {
                String[] kept = new String[(slices.length + step - 1) / step];
                for (int i = 0; i < kept.length; i++) {
                    kept[i] = slices[i * step];
                }
                Sliced thinner = new Sliced(kept, fullChars);
                if (kept.length == 1 || thinner.sampledChars() <= chars) {
                    return thinner;
                }
            }
        }
    }

    public long estimatedBytes() {
        return retainedBytes;
    }

    public boolean isEmpty() {
        return parts.isEmpty() && ruleTokens == 0;
    }

    /** A text as the model sees it. */
    public void text(Object value) {
        if (value == null) {
            return;
        }
        String text = value.toString();
        int cap = Math.max(100, maxChars);
        if (text.length() <= cap) {
            parts.add(new Text(text));
            retainedBytes += 40 + 2L * text.length(); // conservative: two bytes per char (Latin-1 strings take one)
            return;
        }
        Sliced sliced = slice(text, cap);
        parts.add(sliced);
        retainedBytes += 64 + 16L * SLICES;
        for (String piece : sliced.slices) {
            retainedBytes += 40 + 2L * piece.length();
        }
    }

    /** A tools/list result's tools (see {@link Catalog}). */
    public void catalog(Object tools) {
        if (tools instanceof List) {
            parts.add(new Catalog((List<?>) tools));
            retainedBytes += walkSize(tools);
        }
    }

    /** A JSON value (map, list, record, string, number): serialized on the drainer. */
    public void structured(Object value) {
        if (value == null) {
            return;
        }
        parts.add(new Structured(value));
        retainedBytes += walkSize(value);
    }

    /**
     * Up to {@code SLICES} pieces of at least 100 characters spread evenly over the text, {@code cap} characters in all,
     * each edge moved to the next whitespace when one is near (no token is cut in two there).
     */
    public static Sliced slice(String text, int cap) {
        int pieces = Math.max(1, Math.min(SLICES, cap / 100)); // slices of 100 characters at least
        int each = cap / pieces;
        long stride = pieces == 1 ? 0 : (text.length() - (long) each) / (pieces - 1);
        String[] slices = new String[pieces];
        for (int i = 0; i < pieces; i++) {
            int start = (int) (i * stride);
            int end = Math.min(text.length(), start + each);
            slices[i] = text.substring(toWhitespace(text, start, end), toWhitespace(text, end, text.length()));
        }
        return new Sliced(slices, text.length());
    }

    /**
     * The first whitespace at or after {@code from} within 32 characters (a token never spans it), else {@code from},
     * never the second half of a surrogate pair (an emoji is not cut in two).
     */
    private static int toWhitespace(String text, int from, int limit) {
        int stop = Math.min(limit, from + 32);
        for (int i = from; i < stop; i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return from < text.length() && Character.isLowSurrogate(text.charAt(from)) ? from + 1 : from;
    }

    /**
     * Estimated heap of a JSON-like value: strings by length, maps and collections by entries; any other object (a
     * record, a number) counts 64 bytes. Stops after {@link #WALK_NODES} nodes and, when a top-level container was cut
     * short, assumes its unseen entries look like the ones seen.
     */
    static long walkSize(Object root) {
        long[] budget = {WALK_NODES};
        Collection<?> items = root instanceof Map ? ((Map<?, ?>) root).entrySet()
                : root instanceof Collection ? (Collection<?>) root : null;
        if (items == null) {
            return walk(root, budget);
        }
        long seen = 48;
        int visited = 0;
        for (Object item : items) {
            if (budget[0] <= 0) {
                break;
            }
            seen += item instanceof Map.Entry
                    ? 32 + walk(((Map.Entry<?, ?>) item).getKey(), budget) + walk(((Map.Entry<?, ?>) item).getValue(), budget)
                    : 8 + walk(item, budget);
            visited++;
        }
        return visited >= items.size() ? seen : seen * items.size() / Math.max(1, visited);
    }

    private static long walk(Object value, long[] budget) {
        if (value == null || budget[0] <= 0) {
            return 0;
        }
        budget[0]--;
        if (value instanceof CharSequence) {
            return 40 + ((CharSequence) value).length();
        }
        if (value instanceof Map) {
            long size = 48;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (budget[0] <= 0) {
                    break;
                }
                size += 32 + walk(entry.getKey(), budget) + walk(entry.getValue(), budget);
            }
            return size;
        }
        if (value instanceof Collection) {
            long size = 48;
            for (Object item : (Collection<?>) value) {
                if (budget[0] <= 0) {
                    break;
                }
                size += 8 + walk(item, budget);
            }
            return size;
        }
        return 64;
    }
}
