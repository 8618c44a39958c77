package io.mcpobservatory.tokens;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Byte-pair merging of one piece of text, as tiktoken does it: the piece's UTF-8 bytes start as one part each, and the
 * adjacent pair of parts whose concatenation is the token of lowest rank (the leftmost of equals) is merged, until no
 * adjacent pair is a token; the parts left are the tokens. A piece shorter than {@code heapFrom} bytes is merged with
 * arrays and a scan for the lowest pair (quadratic, fastest for the few bytes of nearly every piece); a longer one (a
 * long run of CJK characters, spaces or punctuation) keeps its pairs in a heap ordered by rank then position, so a piece
 * of a hundred kilobytes costs {@code n log n}, not {@code n²}. Both give the same tokens.
 *
 * <p>Holds the working arrays, reused from piece to piece and from text to text: one instance per thread (see
 * {@link BpeEncoding#count}), never shared by threads.
 */
final class BytePairMerge {

    /** Pieces of at least this many bytes are merged with a heap. */
    static final int HEAP_FROM = 256;
    private static final int NONE = Integer.MAX_VALUE;
    /** Working arrays for pieces up to this many bytes (at most ~300 KB, the heap merge's included) are kept between texts. */
    private static final int KEPT_BYTES = 8192;

    private final Vocabulary vocabulary;
    private final int heapFrom;
    /** The piece: {@code piece[0..length)}. */
    private byte[] piece = new byte[64];
    private int length;
    /** Array merge: part {@code k} is {@code piece[starts[k]..starts[k + 1])}; {@code ranks[k]} is its pair's rank. */
    private int[] starts = new int[65];
    private int[] ranks = new int[65];
    /** Heap merge: parts are named by where they start; the next and previous part, the rank of the pair with the next. */
    private int[] next;
    private int[] previous;
    private int[] pairRank;
    private long[] heap;
    private int parts;
    private boolean heapMerged;

    BytePairMerge(Vocabulary vocabulary, int heapFrom) {
        this.vocabulary = vocabulary;
        this.heapFrom = heapFrom;
    }

    /** Whether the working arrays are still small enough to keep for the next text (a long piece grows them). */
    boolean worthKeeping() {
        return piece.length <= KEPT_BYTES && (next == null || next.length <= KEPT_BYTES);
    }

    /**
     * Takes {@code text[from..to)} as the piece, in UTF-8. A lone surrogate becomes {@code ?} when {@code lonesAsQuestion}
     * (as {@code String.getBytes(UTF_8)}, JTokkit's o200k_base), else the three bytes of its code unit (JTokkit's
     * cl100k_base parser).
     */
    void set(String text, int from, int to, boolean lonesAsQuestion) {
        if (piece.length < 3 * (to - from)) {
            piece = new byte[Math.max(3 * (to - from), 2 * piece.length)];
        }
        byte[] b = piece;
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                b[n++] = (byte) c;
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | c >> 6);
                b[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                b[n++] = (byte) (0xF0 | cp >> 18);
                b[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c) && lonesAsQuestion) {
                b[n++] = '?';
            } else {
                b[n++] = (byte) (0xE0 | c >> 12);
                b[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
        length = n;
    }

    /** Tokens of the piece. */
    int count() {
        if (length == 1 || vocabulary.rank(piece, 0, length) >= 0) {
            heapMerged = false;
            parts = 1;
            starts[0] = 0;
            starts[1] = length;
            return 1;
        }
        heapMerged = length >= heapFrom;
        return heapMerged ? heapMerge() : arrayMerge();
    }

    /** Counts the piece and gives the ranks of its tokens in order (for tests: the counter needs only the count). */
    void tokens(IntConsumer out) {
        count();
        if (heapMerged) {
            for (int p = 0; p < length; p = next[p]) {
                out.accept(vocabulary.rank(piece, p, next[p]));
            }
        } else {
            for (int k = 0; k < parts; k++) {
                out.accept(vocabulary.rank(piece, starts[k], starts[k + 1]));
            }
        }
    }

    private int rank(int from, int to) {
        int rank = vocabulary.rank(piece, from, to);
        return rank < 0 ? NONE : rank;
    }

    private int arrayMerge() {
        int n = length;
        if (starts.length <= n) {
            starts = new int[Math.max(n + 1, 2 * starts.length)];
            ranks = new int[starts.length];
        }
        int[] s = starts;
        int[] r = ranks;
        for (int k = 0; k <= n; k++) {
            s[k] = k;
        }
        for (int k = 0; k < n - 1; k++) {
            r[k] = rank(k, k + 2);
        }
        r[n - 1] = NONE;
        int count = n;
        while (count > 2) { // with two parts left, their pair is the whole piece, known not to be a token
            int min = NONE;
            int m = -1;
            for (int k = 0; k < count - 1; k++) {
                if (r[k] < min) {
                    min = r[k];
                    m = k;
                }
            }
            if (m < 0) {
                break;
            }
            System.arraycopy(s, m + 2, s, m + 1, count - m - 1);
            System.arraycopy(r, m + 2, r, m + 1, count - m - 2);
            count--;
            r[m] = m + 1 < count ? rank(s[m], s[m + 2]) : NONE;
            if (m > 0) {
                r[m - 1] = rank(s[m - 1], s[m + 1]);
            }
        }
        parts = count;
        return count;
    }

    private int heapMerge() {
        int n = length;
        if (next == null || next.length < n) {
            int size = Math.max(n, next == null ? 0 : 2 * next.length);
            next = new int[size];
            previous = new int[size];
            pairRank = new int[size];
            heap = new long[3 * size];
        }
        int size = 0;
        for (int p = 0; p < n; p++) {
            next[p] = p + 1;
            previous[p] = p - 1;
            pairRank[p] = p + 2 <= n ? rank(p, p + 2) : NONE;
            if (pairRank[p] != NONE) {
                size = push(size, pairRank[p], p);
            }
        }
        int count = n;
        while (size > 0) {
            long top = heap[0];
            size = pop(size);
            int p = (int) top;
            if (pairRank[p] != (int) (top >>> 32)) {
                continue; // a pair that has changed since it was pushed, or a part merged away
            }
            int q = next[p];
            int after = next[q];
            next[p] = after;
            if (after < n) {
                previous[after] = p;
            }
            pairRank[q] = NONE;
            count--;
            pairRank[p] = after < n ? rank(p, next[after]) : NONE;
            if (pairRank[p] != NONE) {
                size = push(size, pairRank[p], p);
            }
            int before = previous[p];
            if (before >= 0) {
                pairRank[before] = rank(before, after);
                if (pairRank[before] != NONE) {
                    size = push(size, pairRank[before], before);
                }
            }
        }
        parts = count;
        return count;
    }

    /** Adds (rank, position) to the binary min-heap of {@code size} entries; returns the new size. */
    private int push(int size, int rank, int position) {
        long entry = (long) rank << 32 | position;
        long[] h = heap;
        if (size == h.length) {
            heap = h = Arrays.copyOf(h, 2 * size);
        }
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (h[parent] <= entry) {
                break;
            }
            h[i] = h[parent];
            i = parent;
        }
        h[i] = entry;
        return size + 1;
    }

    /** Removes the heap's least entry; returns the new size. */
    private int pop(int size) {
        long[] h = heap;
        long last = h[--size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && h[child + 1] < h[child]) {
                child++;
            }
            if (last <= h[child]) {
                break;
            }
            h[i] = h[child];
            i = child;
        }
        h[i] = last;
        return size;
    }
}
