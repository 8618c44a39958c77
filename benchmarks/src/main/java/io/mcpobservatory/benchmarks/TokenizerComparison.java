package io.mcpobservatory.benchmarks;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import io.mcpobservatory.tokens.TokenCounter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Throughput of the counter's own tokenizer against JTokkit 1.1.0's {@code countTokensOrdinary} (what
 * {@link TokenCounter} called before), in the same JVM, alternating one-second slices of each: on a machine shared with
 * other work, both sides then see the same load, which separate JMH runs do not. Texts are those of
 * {@link TokenCountingBenchmark}, the mixed one cut to 100,000 chars (the counter's cap, so it is counted exactly).
 * Prints, per encoding and text, the median rate of each over the rounds and the median of the per-round ratios.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.mcpobservatory.benchmarks.TokenizerComparison [rounds]}.
 */
public final class TokenizerComparison {

    private static long sink;

    private TokenizerComparison() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        String[] names = {"json-2k", "text-20k", "mixed-100k"};
        String[] texts = {TokenCountingBenchmark.jsonResult(new Random(1), 2 * 1024),
            TokenCountingBenchmark.prose(new Random(2), 20 * 1024), TokenCountingBenchmark.mixed(new Random(3), 100_000)};
        for (String encoding : new String[] {TokenCounter.O200K_BASE, TokenCounter.CL100K_BASE}) {
            Encoding jtokkit = Encodings.newLazyEncodingRegistry().getEncoding(encoding).orElseThrow();
            TokenCounter own = new TokenCounter(encoding);
            for (int t = 0; t < texts.length; t++) {
                String text = texts[t];
                if (own.count(text).tokens() != jtokkit.countTokensOrdinary(text)) {
                    throw new AssertionError(encoding + " " + names[t] + ": counts differ");
                }
                double[] ownRates = new double[rounds];
                double[] jtokkitRates = new double[rounds];
                double[] ratios = new double[rounds];
                for (int r = -2; r < rounds; r++) { // two rounds of warm-up
                    double j = rate(() -> sink += jtokkit.countTokensOrdinary(text));
                    double o = rate(() -> sink += own.count(text).tokens());
                    if (r >= 0) {
                        jtokkitRates[r] = j;
                        ownRates[r] = o;
                        ratios[r] = o / j;
                    }
                }
                System.out.printf(Locale.ROOT, "%-11s %-10s %6d tokens: JTokkit %,10.0f/s, own %,10.0f/s, own/JTokkit %.2f "
                        + "(rounds: %.2f-%.2f)%n", encoding, names[t], own.count(text).tokens(), median(jtokkitRates),
                        median(ownRates), median(ratios), Arrays.stream(ratios).min().orElse(0),
                        Arrays.stream(ratios).max().orElse(0));
            }
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    /** Calls per second of {@code work} over one second. */
    private static double rate(Runnable work) {
        long start = System.nanoTime();
        long calls = 0;
        long elapsed;
        do {
            work.run();
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < 1_000_000_000L);
        return calls / (elapsed / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
