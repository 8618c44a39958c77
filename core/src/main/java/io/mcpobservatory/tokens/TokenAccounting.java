package io.mcpobservatory.tokens;

import io.mcpobservatory.bootstrap.Accessors;
import io.mcpobservatory.bootstrap.Payload;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.log.Log;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Turns the payloads a span captured into {@code prompt_tokens}, {@code completion_tokens}, {@code model} and
 * {@code cost_usd}, on the drainer thread, before the span is summarised and exported; then lets the payloads go.
 *
 * <p>At most {@code maxChars} characters of one payload are tokenized: a payload with more (its texts and its JSON
 * together) is sampled, each text getting a share of the budget in proportion to its length, and the count is
 * extrapolated from the sample by characters; the span is then marked {@code tokensEstimated}.
 */
public final class TokenAccounting {

    private final TokenCounter counter;
    private final PriceTable prices;
    private final String consumerModel;
    private final int maxChars;
    /** Names of the threads that counted tokens (a few at most): the proof, in debug output, that none is a request thread. */
    private final java.util.Set<String> countingThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param consumerModel the model that reads the server's results ({@code observatory.model}): what tool results,
     *                      catalogs, resources and prompts are priced with when the span names no model of its own
     */
    public TokenAccounting(TokenCounter counter, PriceTable prices, String consumerModel) {
        this.counter = counter;
        this.prices = prices;
        this.consumerModel = consumerModel;
        this.maxChars = counter.maxChars();
    }

    /**
     * While {@code behind} says so (the pipeline's queue is filling up), texts are not tokenized but estimated at four
     * characters a token and marked estimated: a drainer that tokenizes slower than spans arrive would otherwise let the
     * queue fill and drop whole spans. Tokenizing resumes once the queue has drained.
     */
    public TokenAccounting whenBehind(BooleanSupplier behind) {
        this.behind = behind;
        return this;
    }

    private BooleanSupplier behind = () -> false;

    public void apply(Span span) {
        Payload prompt = span.promptPayload;
        Payload completion = span.completionPayload;
        if (prompt == null && completion == null) {
            return;
        }
        span.promptPayload = null;
        span.completionPayload = null;
        if (countingThreads.size() < 8) {
            countingThreads.add(Thread.currentThread().getName());
        }
        try {
            if (prompt != null) {
                listedTools(prompt, span);
                span.promptTokens = count(prompt, span);
            }
            if (completion != null) {
                span.completionTokens = count(completion, span);
            }
            if (span.model == null) {
                span.model = consumerModel;
            }
            span.costUsd = prices.cost(span.model, Math.max(0, span.promptTokens), Math.max(0, span.completionTokens));
        } catch (IOException | RuntimeException e) {
            Log.warnOnce("tokens-failed", "token counting failed for a " + span.method + " span (" + e
                    + "); such spans go without tokens");
        }
    }

    /** At most this many names of one catalog are kept in attributes.listed_tools. */
    static final int MAX_LISTED_TOOLS = 1_000;

    /** A tools/list catalog's tool names, for attributes.listed_tools (what was offered, to compare with what was called). */
    private static void listedTools(Payload prompt, Span span) {
        for (Payload.Part part : prompt.parts) {
            if (part instanceof Payload.Catalog) {
                List<?> tools = ((Payload.Catalog) part).tools();
                List<String> names = new ArrayList<>(Math.min(tools.size(), MAX_LISTED_TOOLS));
                for (Object tool : tools) {
                    Object name = Accessors.param(tool, "name");
                    if (name != null && names.size() < MAX_LISTED_TOOLS) {
                        names.add(name.toString());
                    }
                }
                span.listedTools = names.toArray(new String[0]);
            }
        }
    }

    /** The names of the threads {@link #apply} ran on, sorted. */
    public List<String> countingThreads() {
        List<String> names = new ArrayList<>(countingThreads);
        java.util.Collections.sort(names);
        return names;
    }

    /**
     * Tokens of one payload: texts, JSON parts and rule-priced images. Every part becomes a whole text ({@code String})
     * or a sampled one ({@link Payload.Sliced}: slices of a long text, or the kept beginning of a long JSON).
     */
    private long count(Payload payload, Span span) throws IOException {
        List<Object> texts = new ArrayList<>(payload.parts.size());
        long fullChars = 0;
        for (Payload.Part part : payload.parts) {
            Object text;
            if (part instanceof Payload.Text) {
                text = ((Payload.Text) part).text();
            } else if (part instanceof Payload.Sliced) {
                text = part;
            } else { // JSON: a catalog or a structured value
                JsonText.Result json = JsonText.of(part instanceof Payload.Structured
                        ? ((Payload.Structured) part).value() : part, maxChars);
                text = json.fullChars > json.text.length()
                        ? new Payload.Sliced(new String[] {json.text}, json.fullChars) : json.text;
            }
            texts.add(text);
            fullChars += length(text);
        }
        span.tokensEstimated |= payload.ruleEstimated;
        long tokens = payload.ruleTokens;
        for (Object text : texts) {
            tokens += count(text, fullChars, span);
        }
        return tokens;
    }

    /**
     * One text, within its share of the payload's {@code maxChars} (in proportion to its length, when the payload's
     * texts are longer than that together).
     */
    private long count(Object text, long payloadChars, Span span) {
        if (behind.getAsBoolean()) {
            span.tokensEstimated = true;
            return (length(text) + 3) / 4;
        }
        long share = payloadChars <= maxChars ? maxChars
                : Math.max(100, maxChars * length(text) / Math.max(1, payloadChars));
        TokenCounter.Count count;
        if (text instanceof String) {
            String whole = (String) text;
            count = whole.length() <= share ? counter.count(whole)
                    : counter.count(Payload.slice(whole, (int) Math.min(Integer.MAX_VALUE, share)));
        } else {
            count = counter.count(((Payload.Sliced) text).within(share));
        }
        span.tokensEstimated |= count.estimated();
        return count.tokens();
    }

    private static long length(Object text) {
        return text instanceof Payload.Sliced ? ((Payload.Sliced) text).fullChars : ((String) text).length();
    }
}
