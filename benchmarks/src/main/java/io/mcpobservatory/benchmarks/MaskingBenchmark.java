package io.mcpobservatory.benchmarks;

import io.mcpobservatory.privacy.MaskCounts;
import io.mcpobservatory.privacy.Masker;
import io.mcpobservatory.privacy.PrivacyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Time to mask one tool result on the drainer, one thread: a {@code tools/call} result as the SDK serialises it (a text
 * content block holding the records as escaped JSON, and the same records as structured content), customer records
 * with some personal data (an e-mail on every record, a phone on every other, an IP, now and then a card number, an
 * IBAN, a password field, a bearer token in a note), of about 2 KB and 64 KB. Goal: 2 KB in at most 200 µs (5,000
 * tool calls/s on one core).
 *
 * <ul>
 *   <li>{@code maskJson}: the JSON text, parsed, masked by key and by value, written back;</li>
 *   <li>{@code maskText}: the same characters as free text (what an error message, or JSON cut short, costs);</li>
 *   <li>{@code maskObject}: the records as the Java maps and lists the SDK hands over for arguments.</li>
 * </ul>
 *
 * Run: {@code benchmarks/run.sh masking MaskingBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class MaskingBenchmark {

    @Param({"json-2k", "json-64k"})
    public String payload;

    private Masker masker;
    private String json;
    private List<Map<String, Object>> records;

    @Setup
    public void setUp() {
        masker = Masker.create(PrivacyConfig.defaults());
        int chars = payload.equals("json-2k") ? 2 * 1024 : 64 * 1024;
        records = records(new Random(7), chars);
        json = toolResult(records);
        MaskCounts counts = new MaskCounts();
        String masked = masker.maskJson(json, counts);
        System.err.printf(Locale.ROOT, "%s: %d chars, %d records, masked %s, %d chars after%n", payload, json.length(),
                records.size(), counts, masked.length());
    }

    @Benchmark
    public String maskJson() {
        return masker.maskJson(json);
    }

    @Benchmark
    public String maskText() {
        return masker.maskText(json);
    }

    @Benchmark
    public Object maskObject() {
        return masker.mask(records);
    }

    private static final String[] FIRST = {"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi"};
    private static final String[] LAST = {"Martin", "Smith", "Nguyen", "Garcia", "Müller", "Rossi", "Kowalski"};
    private static final String[] NOTES = {"asked for a refund of order 7731", "prefers e-mail, no calls after 6 pm",
        "shipment delayed, new date 2026-12-14", "VIP since 2019, see ticket #4412", "address changed last month",
        "called about invoice INV-2026-0042", "uses API client v2.3.1 from 10.20.30.40"};

    /** Records until their tool result ({@link #toolResult}) is about {@code chars} long. */
    static List<Map<String, Object>> records(Random random, int chars) {
        List<Map<String, Object>> records = new ArrayList<>();
        while (toolResult(records).length() < chars - 300) {
            Map<String, Object> record = new LinkedHashMap<>();
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            record.put("id", 10_000 + random.nextInt(90_000));
            record.put("name", first + " " + last);
            record.put("email", first.toLowerCase(Locale.ROOT) + "." + random.nextInt(100) + "@example.com");
            if (random.nextBoolean()) {
                record.put("phone", "+1 (555) " + (100 + random.nextInt(900)) + "-" + (1000 + random.nextInt(9000)));
            }
            record.put("lastLogin", "2026-12-0" + (1 + random.nextInt(9)) + "T10:" + (10 + random.nextInt(50)) + ":00Z");
            record.put("balance", random.nextInt(100_000) / 100.0);
            int extra = random.nextInt(10);
            if (extra == 0) {
                record.put("card", "4111 1111 1111 1111");
            } else if (extra == 1) {
                record.put("iban", "DE89 3704 0044 0532 0130 00");
            } else if (extra == 2) {
                record.put("password", "hunter" + random.nextInt(100));
            } else if (extra == 3) {
                record.put("note", "client sent Bearer abc" + random.nextInt(1_000_000) + "def in the header");
            } else {
                record.put("note", NOTES[random.nextInt(NOTES.length)]);
            }
            record.put("ip", "203.0.113." + random.nextInt(256));
            records.add(record);
        }
        return records;
    }

    static String toolResult(List<Map<String, Object>> records) {
        StringBuilder array = new StringBuilder("[");
        for (Map<String, Object> record : records) {
            array.append(array.length() > 1 ? "," : "").append(json(record));
        }
        array.append(']');
        return "{\"content\":[{\"type\":\"text\",\"text\":\"" + array.toString().replace("\"", "\\\"") + "\"}],"
                + "\"structuredContent\":{\"customers\":" + array + "},\"isError\":false}";
    }

    private static String json(Map<String, Object> record) {
        StringBuilder out = new StringBuilder("{");
        record.forEach((key, value) -> {
            out.append(out.length() > 1 ? "," : "").append('"').append(key).append("\":");
            out.append(value instanceof String ? "\"" + value + "\"" : String.valueOf(value));
        });
        return out.append('}').toString();
    }
}
