package io.mcpobservatory.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.mcpobservatory.bootstrap.Payload;
import io.mcpobservatory.log.Log;

/**
 * Counts the tokens a model sees for a text, with JTokkit's BPE encodings. Meant for the drainer thread: the vocabulary
 * is loaded on the first count, not at construction (o200k_base takes about a second and keeps 30 MB of heap), and the
 * work per text is bounded by {@code maxChars} whatever the text's length.
 *
 * <p>Up to {@code maxChars} characters the count is exact. A longer text is sampled with {@link Payload#slice}, the one
 * sampling the agent has (the request thread uses it too, to keep a bounded copy of a huge payload): short slices of
 * {@code maxChars} characters in all, spread evenly so that every kind of content in a mixed payload (JSON, prose, CJK)
 * is represented in proportion to its length, are tokenized and the count is scaled to the whole length by characters;
 * the result is marked estimated.
 *
 * <p>Never throws: if the encoding cannot be loaded or JTokkit fails on a text, the count is {@code chars / 4}, marked
 * estimated, and the problem is said once on stderr.
 */
public final class TokenCounter {

    public static final String O200K_BASE = "o200k_base";
    public static final String CL100K_BASE = "cl100k_base";
    public static final int DEFAULT_MAX_CHARS = 100_000;

    /** A token count, and whether it was extrapolated or guessed rather than counted exactly. */
    public record Count(long tokens, boolean estimated) {
        static final Count ZERO = new Count(0, false);
    }

    /** The lazy registry loads only the vocabularies asked for, once per JVM, and is safe to share between threads. */
    private static final class Registry {
        static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
    }

    private final EncodingType type;
    private final int maxChars;
    /** Set on the first count; {@link #loadFailed} stops retrying a vocabulary that cannot be loaded. */
    private volatile Encoding encoding;
    private volatile boolean loadFailed;

    public TokenCounter(String encodingName) {
        this(encodingName, DEFAULT_MAX_CHARS);
    }

    /**
     * @param encodingName {@value #O200K_BASE} or {@value #CL100K_BASE} (the agent's configuration admits only these)
     * @param maxChars     most characters tokenized per text, positive
     * @throws IllegalArgumentException for another encoding name or a maxChars below 1
     */
    public TokenCounter(String encodingName, int maxChars) {
        if (O200K_BASE.equals(encodingName)) {
            this.type = EncodingType.O200K_BASE;
        } else if (CL100K_BASE.equals(encodingName)) {
            this.type = EncodingType.CL100K_BASE;
        } else {
            throw new IllegalArgumentException("unsupported token encoding '" + encodingName + "'; use " + O200K_BASE
                    + " or " + CL100K_BASE);
        }
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
        }
        this.maxChars = maxChars;
    }

    public String encodingName() {
        return type.getName();
    }

    public int maxChars() {
        return maxChars;
    }

    /**
     * Tokens of {@code text}: exact up to {@code maxChars} characters; beyond, sampled the way the request thread samples
     * a long payload ({@link Payload#slice}) and extrapolated; 0 for null or empty. Never throws.
     */
    public Count count(String text) {
        if (text == null || text.isEmpty()) {
            return Count.ZERO;
        }
        if (text.length() > maxChars) {
            return count(Payload.slice(text, maxChars));
        }
        long tokens = tokens(text);
        return tokens < 0 ? guess(text.length()) : new Count(tokens, false);
    }

    /** Tokens of a sampled text: its pieces counted exactly, scaled to the full length by characters; estimated. */
    public Count count(Payload.Sliced sliced) {
        long sampledChars = 0;
        long sampledTokens = 0;
        for (String slice : sliced.slices) {
            long tokens = tokens(slice);
            if (tokens < 0) {
                return guess(sliced.fullChars);
            }
            sampledChars += slice.length();
            sampledTokens += tokens;
        }
        return sampledChars == 0 ? guess(sliced.fullChars)
                : new Count(Math.round((double) sampledTokens * sliced.fullChars / sampledChars), true);
    }

    /** Exact tokens of a text, or -1 when the vocabulary is unavailable or JTokkit fails on it (said once). */
    private long tokens(String text) {
        try {
            Encoding enc = encoding();
            return enc == null ? -1 : countOrdinary(enc, text);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // StackOverflowError: java.util.regex recurses on some pathological inputs; it is the text, not the JVM.
            Log.warnOnce("tokens-count-failed-" + type.getName(), "token counting with " + type.getName()
                    + " failed on a text of " + text.length() + " chars; estimating chars/4 for such texts: " + e);
            return -1;
        }
    }

    /**
     * Ordinary: a tool result that contains {@code <|endoftext|>} is text the model reads as text, and JTokkit's
     * {@code countTokens} would throw on it. {@code countTokensOrdinary} also counts without building a token list.
     */
    private static long countOrdinary(Encoding enc, String text) {
        return enc.countTokensOrdinary(text);
    }

    private Encoding encoding() {
        Encoding enc = encoding;
        if (enc != null || loadFailed) {
            return enc;
        }
        synchronized (this) {
            if (encoding == null && !loadFailed) {
                try {
                    encoding = Registry.INSTANCE.getEncoding(type);
                } catch (RuntimeException | LinkageError e) {
                    loadFailed = true;
                    Log.warnOnce("tokens-load-failed-" + type.getName(), "token encoding " + type.getName()
                            + " could not be loaded; token counts are estimated as chars/4: " + e);
                }
            }
            return encoding;
        }
    }

    /** About four characters per token in English text: the usual rule of thumb when nothing better is at hand. */
    private static Count guess(long chars) {
        return new Count((chars + 3) / 4, true);
    }
}
