package io.mcpobservatory.tokens;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The tokens of a byte-pair encoding and their ranks, in three flat arrays: every token's bytes one after the other in
 * rank order, where each token starts, and an open-addressing hash table from a token's bytes to its rank. For
 * o200k_base (200,000 tokens, 1.4 MB of bytes) that is about 4 MB of heap in three objects, where maps of byte arrays to
 * boxed ranks take 27 MB in a million objects.
 *
 * <p>Loaded from a resource {@code <name>.bpe} next to this class, written at build time from the encoding's published
 * {@code .tiktoken} file by {@code core/src/build/VocabularyGenerator.java}: a magic number, the token count, each
 * token's length in one unsigned byte, then all the tokens' bytes, tokens in rank order (rank {@code r} is the r-th).
 */
final class Vocabulary {

    static final int MAGIC = 0x4D4F4250; // "MOBP"
    /** Bits of a table entry that hold {@code rank + 1} (0 is an empty slot); the others hold a tag of the hash. */
    private static final int RANK_BITS = 18;
    private static final int RANK_MASK = (1 << RANK_BITS) - 1;

    private final byte[] bytes;
    /** Token {@code r} is {@code bytes[starts[r]] .. bytes[starts[r + 1] - 1]}. */
    private final int[] starts;
    private final int[] table;
    private final int shift;

    private Vocabulary(byte[] bytes, int[] starts) {
        this.bytes = bytes;
        this.starts = starts;
        int size = starts.length - 1;
        // At most half full (o200k_base: 38 %), so that a miss, as most lookups of a merge are, ends within a probe or two.
        int slots = Integer.highestOneBit(2 * size - 1) << 1;
        this.table = new int[slots];
        this.shift = 64 - Integer.numberOfTrailingZeros(slots);
        for (int rank = 0; rank < size; rank++) {
            long hash = hash(bytes, starts[rank], starts[rank + 1]);
            int slot = (int) (hash >>> shift);
            while (table[slot] != 0) {
                slot = (slot + 1) & (slots - 1);
            }
            table[slot] = tag(hash) | (rank + 1);
        }
    }

    /** Reads {@code <name>.bpe} from the class path (this class's package). */
    static Vocabulary load(String name) throws IOException {
        String resource = name + ".bpe";
        try (InputStream raw = Vocabulary.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IOException("resource " + resource + " not found next to " + Vocabulary.class.getName());
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
            if (in.readInt() != MAGIC) {
                throw new IOException(resource + " is not a vocabulary file");
            }
            int size = in.readInt();
            if (size < 256 || size > RANK_MASK - 1) {
                throw new IOException(resource + ": unsupported token count " + size);
            }
            byte[] lengths = new byte[size];
            in.readFully(lengths);
            int[] starts = new int[size + 1];
            for (int rank = 0; rank < size; rank++) {
                int length = lengths[rank] & 0xFF;
                if (length == 0) {
                    throw new IOException(resource + ": token " + rank + " is empty");
                }
                starts[rank + 1] = starts[rank] + length;
            }
            byte[] bytes = new byte[starts[size]];
            in.readFully(bytes);
            if (in.read() != -1) {
                throw new IOException(resource + ": trailing bytes");
            }
            Vocabulary vocabulary = new Vocabulary(bytes, starts);
            byte[] one = new byte[1];
            for (int b = 0; b < 256; b++) { // counting relies on it: a piece of one byte is one token
                one[0] = (byte) b;
                if (vocabulary.rank(one, 0, 1) < 0) {
                    throw new IOException(resource + ": byte " + b + " is not a token");
                }
            }
            return vocabulary;
        }
    }

    int size() {
        return starts.length - 1;
    }

    /** The rank of the token {@code piece[from..to)}, or -1 when those bytes are not a token. */
    int rank(byte[] piece, int from, int to) {
        long hash = hash(piece, from, to);
        int tag = tag(hash);
        int mask = table.length - 1;
        for (int slot = (int) (hash >>> shift); ; slot = (slot + 1) & mask) {
            int entry = table[slot];
            if (entry == 0) {
                return -1;
            }
            if ((entry & ~RANK_MASK) == tag) {
                int rank = (entry & RANK_MASK) - 1;
                if (Arrays.equals(bytes, starts[rank], starts[rank + 1], piece, from, to)) {
                    return rank;
                }
            }
        }
    }

    /** FNV-1a over the bytes, then a 64-bit finalizer so that both the high bits (slot) and low bits (tag) are mixed. */
    private static long hash(byte[] b, int from, int to) {
        long h = 0xCBF29CE484222325L;
        for (int i = from; i < to; i++) {
            h = (h ^ (b[i] & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        return h ^ (h >>> 33);
    }

    private static int tag(long hash) {
        return (int) hash & ~RANK_MASK;
    }
}
