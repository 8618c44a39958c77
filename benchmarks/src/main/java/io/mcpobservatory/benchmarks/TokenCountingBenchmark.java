package io.mcpobservatory.benchmarks;

import io.mcpobservatory.bootstrap.Payload;
import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.tokens.PriceTable;
import io.mcpobservatory.tokens.TokenAccounting;
import io.mcpobservatory.tokens.TokenCounter;
import java.util.Map;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link TokenCounter} on typical tool results, one thread as on the drainer: {@code ops/s} is payloads
 * counted per second, and the {@code tokens} counter is tokens per second (for {@code mixed-1m}, the estimated tokens of
 * the whole megabyte, of which only the 100,000-character sample is tokenized). Payloads:
 *
 * <ul>
 *   <li>{@code json-2k}: a {@code tools/call} result of about 2 KB, text content and structured content (JSON);</li>
 *   <li>{@code text-20k}: about 20 KB of English prose in Markdown, as a document or search tool returns;</li>
 *   <li>{@code mixed-1m}: 1 MB of JSON records, prose, Japanese and Chinese, and log lines: past the default
 *   {@code observatory.tokens.max-chars}, so sampled and extrapolated.</li>
 * </ul>
 *
 * {@code drainerToolCall} is what the drainer does per {@code tools/call} span: {@link TokenAccounting#apply} on the
 * payloads the request thread captured (the result text, sliced to the cap when longer, and a small arguments map),
 * prompt and completion tokens and the cost: its ops/s is the tool-call rate one drainer keeps up with.
 *
 * <p>The vocabulary is loaded in the setup, outside the measurement (it happens once per JVM). Run, for example:
 * {@code benchmarks/run.sh tokens TokenCountingBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class TokenCountingBenchmark {

    @Param({"o200k_base", "cl100k_base"})
    public String encoding;

    @Param({"json-2k", "text-20k", "mixed-1m"})
    public String payload;

    private TokenCounter counter;
    private String text;
    private TokenAccounting accounting;
    private Payload result;
    private Payload arguments;

    /** Tokens counted, reported by JMH as a rate next to ops/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Tokens {
        public long tokens;

        @Setup(Level.Iteration)
        public void reset() {
            tokens = 0;
        }
    }

    @Setup
    public void setUp() {
        counter = new TokenCounter(encoding);
        text = switch (payload) {
            case "json-2k" -> jsonResult(new Random(1), 2 * 1024);
            case "text-20k" -> prose(new Random(2), 20 * 1024);
            case "mixed-1m" -> mixed(new Random(3), 1024 * 1024);
            default -> throw new IllegalArgumentException(payload);
        };
        accounting = new TokenAccounting(counter, PriceTable.load(Map.of()), "claude-sonnet-4-5");
        result = new Payload();
        result.text(text); // as PayloadCapture does on the request thread: sliced to the cap when longer
        arguments = new Payload();
        arguments.structured(Map.of("city", "Paris", "days", 3, "units", "metric"));
        TokenCounter.Count count = counter.count(text); // loads the vocabulary
        System.err.printf(Locale.ROOT, "%s %s: %d chars, %d tokens%s%n", encoding, payload, text.length(), count.tokens(),
                count.estimated() ? " (estimated)" : "");
    }

    @Benchmark
    public TokenCounter.Count count(Tokens tokens) {
        TokenCounter.Count count = counter.count(text);
        tokens.tokens += count.tokens();
        return count;
    }

    @Benchmark
    public Span drainerToolCall(Tokens tokens) {
        Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        span.promptPayload = result;
        span.completionPayload = arguments;
        accounting.apply(span);
        tokens.tokens += span.promptTokens + span.completionTokens;
        return span;
    }

    private static final String[] WORDS = ("the of and to in is that for it as with was on be by this are from at or an "
            + "have not which forecast temperature pressure request response server client session resource prompt tool "
            + "result error timeout latency cache database query index partition replica throughput observability "
            + "customer invoice shipment warehouse inventory schedule deadline meeting summary report analysis")
            .split(" ");
    private static final String CJK =
            "東京大阪天気晴雨雪風温度湿度予報明日今日昨日会議資料報告分析顧客請求出荷倉庫在庫時間数据库服务器请求响应错误超时";

    private static String word(Random random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    /** A tools/call result as the SDK serializes it: a text content block and the same data as structured content. */
    static String jsonResult(Random random, int chars) {
        StringBuilder items = new StringBuilder();
        while (items.length() < chars / 2 - 200) {
            items.append(items.length() == 0 ? "" : ",").append("{\"id\":").append(random.nextInt(100_000))
                    .append(",\"name\":\"").append(word(random)).append(' ').append(word(random))
                    .append("\",\"value\":").append(random.nextInt(10_000) / 100.0).append(",\"status\":\"")
                    .append(random.nextBoolean() ? "ok" : "pending").append("\"}");
        }
        String array = "[" + items + "]";
        return "{\"content\":[{\"type\":\"text\",\"text\":\"" + array.replace("\"", "\\\"") + "\"}],"
                + "\"structuredContent\":{\"items\":" + array + "},\"isError\":false}";
    }

    /** Markdown prose: headings and paragraphs. */
    static String prose(Random random, int chars) {
        StringBuilder out = new StringBuilder(chars + 1024);
        while (out.length() < chars) {
            if (random.nextInt(6) == 0) {
                out.append("## ").append(word(random)).append(' ').append(word(random)).append("\n\n");
            }
            int sentences = 3 + random.nextInt(4);
            for (int s = 0; s < sentences; s++) {
                int n = 8 + random.nextInt(12);
                for (int w = 0; w < n; w++) {
                    String word = word(random);
                    out.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
                    out.append(w == n - 1 ? ". " : random.nextInt(10) == 0 ? ", " : " ");
                }
            }
            out.append("\n\n");
        }
        return out.substring(0, chars);
    }

    /** Blocks of JSON, prose, CJK and log lines in random order. */
    static String mixed(Random random, int chars) {
        StringBuilder out = new StringBuilder(chars + 4096);
        while (out.length() < chars) {
            switch (random.nextInt(4)) {
                case 0 -> out.append(jsonResult(random, 300)).append('\n');
                case 1 -> out.append(prose(random, 200 + random.nextInt(400)));
                case 2 -> {
                    for (int i = 20 + random.nextInt(60); i > 0; i--) {
                        out.append(CJK.charAt(random.nextInt(CJK.length())));
                    }
                    out.append("。\n");
                }
                default -> out.append("2025-06-12 14:").append(10 + random.nextInt(50)).append(" INFO ")
                        .append(word(random)).append(": took ").append(random.nextInt(5000)).append(" ms, id=")
                        .append(Long.toHexString(random.nextLong())).append('\n');
            }
        }
        return out.substring(0, chars);
    }
}
