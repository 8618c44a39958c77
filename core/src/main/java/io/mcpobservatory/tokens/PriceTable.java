package io.mcpobservatory.tokens;

import io.mcpobservatory.log.Log;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Model prices in USD per million tokens: the shipped table ({@value #RESOURCE}, list prices of chat models) with the
 * operator's per-model overrides on top. A model name is looked up as given (case included), then without a dated suffix
 * ({@code claude-sonnet-4-5-20250929} → {@code claude-sonnet-4-5}, {@code gpt-4o-2024-08-06} → {@code gpt-4o}), so a
 * provider's dated snapshot is priced even when the table only knows its alias.
 *
 * <p>Each side of a price (input, output) is taken from the first of: an override for the exact name, an override for
 * the name without its dated suffix, the table's exact row, the table's row without the suffix. So an override always
 * wins, may set one side only, and may name a model the table does not know.
 *
 * <p>Never throws: a missing or damaged resource leaves the table empty (or without the damaged rows) with one warning;
 * an unknown model costs {@code null} with one warning per name.
 */
public final class PriceTable {

    public static final String RESOURCE = "io/mcpobservatory/tokens/model-prices.csv";
    private static final double PER_MILLION = 1_000_000d;

    /** {@code -20250929} (Anthropic, Google) or {@code -2024-08-06} (OpenAI) at the end of a model name. */
    private static final Pattern DATED_SUFFIX = Pattern.compile("-(?:\\d{8}|\\d{4}-\\d{2}-\\d{2})$");

    /** Resolved names, so a span's lookup is one map read; bounded because model names can come from clients. */
    private static final int MAX_CACHED_NAMES = 1024;

    /** USD per million tokens for input (prompt) and output (completion); a null side is not known. */
    public record Price(Double inputPerMtok, Double outputPerMtok) {
    }

    private final Map<String, Price> table;
    private final Map<String, Price> overrides;
    private final Map<String, Optional<Price>> resolved = new ConcurrentHashMap<>();

    private PriceTable(Map<String, Price> table, Map<String, Price> overrides) {
        this.table = table;
        this.overrides = new HashMap<>();
        if (overrides != null) {
            overrides.forEach((model, price) -> {
                if (model != null && price != null) {
                    this.overrides.put(model, price);
                }
            });
        }
    }

    /** The shipped table with {@code overrides} (model name → price; null sides are not overridden) on top. */
    public static PriceTable load(Map<String, Price> overrides) {
        Map<String, Price> table = new HashMap<>();
        try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                Log.warn("price table " + RESOURCE + " is missing from the agent jar; only configured prices are known");
            } else {
                table = parse(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            Log.warn("price table " + RESOURCE + " could not be read; only configured prices are known", e);
        }
        return new PriceTable(table, overrides);
    }

    /** A table read from {@code csv} (the shipped file's format) instead of the resource; for tests. */
    static PriceTable of(String csv, Map<String, Price> overrides) {
        try {
            return new PriceTable(parse(new StringReader(csv)), overrides);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringReader does not fail
        }
    }

    /**
     * {@code model,provider,input_usd_per_mtok,output_usd_per_mtok,cache_read_usd_per_mtok,max_input_tokens}, with
     * {@code #} comment lines. Only the first four columns are used. A row that does not parse is skipped with a warning.
     */
    private static Map<String, Price> parse(Reader source) throws IOException {
        Map<String, Price> rows = new HashMap<>();
        BufferedReader reader = new BufferedReader(source);
        boolean headerSeen = false;
        String line;
        while ((line = reader.readLine()) != null) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (!headerSeen) {
                headerSeen = true; // the first non-comment line names the columns
                continue;
            }
            String[] cells = trimmed.split(",", -1);
            try {
                Price price = new Price(Double.parseDouble(cells[2].trim()), Double.parseDouble(cells[3].trim()));
                rows.put(cells[0].trim(), price);
            } catch (RuntimeException e) {
                Log.warnOnce("price-row-" + trimmed, "price table row '" + trimmed + "' is not model,provider,input,"
                        + "output,...; skipped");
            }
        }
        return rows;
    }

    /**
     * The price of {@code model}, or null when neither side is known. A side may still be null when only the other one
     * was configured for a model the table does not know.
     */
    public Price price(String model) {
        if (model == null || model.isEmpty()) {
            return null;
        }
        Optional<Price> cached = resolved.get(model);
        if (cached == null) {
            cached = Optional.ofNullable(resolve(model));
            if (resolved.size() < MAX_CACHED_NAMES) {
                resolved.put(model, cached);
            }
        }
        return cached.orElse(null);
    }

    private Price resolve(String model) {
        String undated = DATED_SUFFIX.matcher(model).replaceFirst("");
        Price[] candidates = {overrides.get(model), overrides.get(undated), table.get(model), table.get(undated)};
        Double input = null;
        Double output = null;
        for (Price candidate : candidates) {
            if (candidate != null) {
                input = input != null ? input : candidate.inputPerMtok();
                output = output != null ? output : candidate.outputPerMtok();
            }
        }
        return input == null && output == null ? null : new Price(input, output);
    }

    /**
     * USD for {@code promptTokens} of input and {@code completionTokens} of output of {@code model}:
     * {@code prompt × input / 1e6 + completion × output / 1e6}. Null when the model (or the side its tokens need) has no
     * price; that is said once per model name on stderr. A null or empty model is null without a warning: there is
     * nothing to price.
     */
    public Double cost(String model, long promptTokens, long completionTokens) {
        if (model == null || model.isEmpty()) {
            return null;
        }
        Price price = price(model);
        if (price == null) {
            Log.warnOnce("unknown-model-" + model, "model '" + model + "' is not in the price table; its spans have "
                    + "no cost_usd (set observatory.pricing." + model + ".input-per-mtok and .output-per-mtok)");
            return null;
        }
        double usd = 0;
        if (promptTokens != 0) {
            if (price.inputPerMtok() == null) {
                return missingSide(model, "input");
            }
            usd += promptTokens * price.inputPerMtok() / PER_MILLION;
        }
        if (completionTokens != 0) {
            if (price.outputPerMtok() == null) {
                return missingSide(model, "output");
            }
            usd += completionTokens * price.outputPerMtok() / PER_MILLION;
        }
        return usd;
    }

    private static Double missingSide(String model, String side) {
        Log.warnOnce("no-" + side + "-price-" + model, "model '" + model + "' has no " + side + " price; its spans "
                + "with " + side + " tokens have no cost_usd (set observatory.pricing." + model + "." + side
                + "-per-mtok)");
        return null;
    }
}
