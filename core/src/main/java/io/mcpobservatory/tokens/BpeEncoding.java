package io.mcpobservatory.tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.IntConsumer;

/**
 * OpenAI's o200k_base or cl100k_base encoding, counting what JTokkit's {@code countTokensOrdinary} counts: the text is
 * split into pieces ({@link Pretokenizer}), each piece's UTF-8 bytes are merged ({@link BytePairMerge}) over the
 * encoding's {@link Vocabulary}, and the tokens of all pieces are summed. Special tokens such as {@code <|endoftext|>}
 * are ordinary text. One instance per encoding and JVM, loaded on first use and shared; safe for concurrent use.
 */
final class BpeEncoding {

    private static BpeEncoding o200k;
    private static BpeEncoding cl100k;

    private final Vocabulary vocabulary;
    private final boolean isO200k;
    /**
     * The merge's working arrays, one set per counting thread (in the agent: the drainer): allocated afresh for every
     * text they were most of what the drainer allocated (a JFR allocation profile of the loaded demo server).
     */
    private final ThreadLocal<BytePairMerge> merges;

    private BpeEncoding(Vocabulary vocabulary, boolean isO200k) {
        this.vocabulary = vocabulary;
        this.isO200k = isO200k;
        this.merges = ThreadLocal.withInitial(() -> new BytePairMerge(vocabulary, BytePairMerge.HEAP_FROM));
    }

    /**
     * The encoding, its vocabulary read on the first call for that name.
     *
     * @throws IllegalArgumentException for another name than o200k_base or cl100k_base
     * @throws UncheckedIOException     when the vocabulary cannot be read
     */
    static synchronized BpeEncoding get(String name) {
        boolean isO200k = TokenCounter.O200K_BASE.equals(name);
        if (!isO200k && !TokenCounter.CL100K_BASE.equals(name)) {
            throw new IllegalArgumentException("unknown encoding " + name);
        }
        BpeEncoding encoding = isO200k ? o200k : cl100k;
        if (encoding == null) {
            try {
                encoding = new BpeEncoding(Vocabulary.load(name), isO200k);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the " + name + " vocabulary", e);
            }
            if (isO200k) {
                o200k = encoding;
            } else {
                cl100k = encoding;
            }
        }
        return encoding;
    }

    /** Tokens of {@code text}, special tokens counted as text. */
    long count(String text) {
        BytePairMerge merge = merges.get();
        try {
            return count(text, merge);
        } finally {
            if (!merge.worthKeeping()) {
                merges.remove(); // a very long piece grew them: not kept for the thread's life
            }
        }
    }

    private long count(String text, BytePairMerge merge) {
        long tokens = 0;
        for (int i = 0, n = text.length(); i < n; ) {
            int end = isO200k ? Pretokenizer.o200k(text, i) : Pretokenizer.cl100k(text, i);
            if (end - i == 1 && text.charAt(i) < 0x80) {
                tokens++; // one byte: always a token
            } else {
                merge.set(text, i, end, isO200k);
                tokens += merge.count();
            }
            i = end;
        }
        return tokens;
    }

    /** The ranks of {@code text}'s tokens, pieces longer than {@code heapFrom} bytes merged with a heap (for tests). */
    void tokens(String text, int heapFrom, IntConsumer out) {
        BytePairMerge merge = new BytePairMerge(vocabulary, heapFrom);
        for (int i = 0, n = text.length(); i < n; ) {
            int end = isO200k ? Pretokenizer.o200k(text, i) : Pretokenizer.cl100k(text, i);
            merge.set(text, i, end, isO200k);
            merge.tokens(out);
            i = end;
        }
    }
}
