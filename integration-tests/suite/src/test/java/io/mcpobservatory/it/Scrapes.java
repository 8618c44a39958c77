package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.testing.PrometheusExposition;
import io.mcpobservatory.testing.PrometheusExposition.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scraping an agent's Prometheus endpoint from a test, and checking what it says. */
final class Scrapes {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Scrapes() {
    }

    /**
     * The port of the endpoint an agent announced on stderr ({@code metrics on http://host:PORT/metrics});
     * {@code linePrefix} tells apart the lines of two agents in one file (a stdio server's relayed by its client).
     */
    static int awaitPort(Callable<String> stderr, String linePrefix) throws Exception {
        Pattern announced = Pattern.compile("^" + Pattern.quote(linePrefix)
                + "\\[mcp-observatory] metrics on http://[^:]+:(\\d+)/metrics", Pattern.MULTILINE);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = announced.matcher(stderr.call());
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no metrics endpoint announced (" + linePrefix + "):\n" + stderr.call());
    }

    static String get(int port, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(10_000);
        assertEquals(200, connection.getResponseCode(), path);
        try (InputStream body = connection.getInputStream()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Scrapes {@code /metrics} until histogram {@code family} has counted {@code spans} spans and as many were exported
     * (the drainer records and exports every 100 ms in these tests), or the time is up; returns the last scrape.
     */
    static String awaitMetrics(int port, long spans, String family) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Predicate<PrometheusExposition> done = scrape -> scrape.sum(family + "_count", s -> true) >= spans
                && scrape.sum("mcp_observatory_spans_exported_total", s -> true) >= spans;
        String text = get(port, "/metrics");
        while (!done.test(PrometheusExposition.parse(text)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            text = get(port, "/metrics");
        }
        return text;
    }

    /** Scrapes {@code /metrics} until histogram {@code family} has counted {@code count} values, or the time is up. */
    static String awaitFamily(int port, String family, long count) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String text = get(port, "/metrics");
        while (PrometheusExposition.parse(text).sum(family + "_count", s -> true) < count
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
            text = get(port, "/metrics");
        }
        return text;
    }

    /**
     * Every series of histogram {@code family}, by what the tests tell requests apart with (method, tool or prompt,
     * error type), with its count; checking on the way that each series' buckets are cumulative and end with
     * {@code +Inf == _count}.
     */
    static Map<String, Long> histogramCounts(PrometheusExposition scrape, String family) {
        Map<String, Long> counts = new TreeMap<>();
        for (Sample count : scrape.samples(family + "_count", s -> true)) {
            double previous = 0;
            double inf = -1;
            for (Sample bucket : scrape.samples(family + "_bucket", b -> sameSeries(b, count))) {
                assertTrue(bucket.value >= previous, "buckets are cumulative: " + bucket);
                previous = bucket.value;
                if (bucket.label("le").equals("+Inf")) {
                    inf = bucket.value;
                }
            }
            assertEquals(count.value, inf, "+Inf == _count for " + count);
            counts.merge(key(count.label("mcp_method_name"), count.label("gen_ai_tool_name") != null
                    ? count.label("gen_ai_tool_name") : count.label("gen_ai_prompt_name"), count.label("error_type")),
                    (long) count.value, Long::sum);
        }
        return counts;
    }

    private static boolean sameSeries(Sample bucket, Sample count) {
        Map<String, String> labels = new TreeMap<>(bucket.labels);
        labels.remove("le");
        return labels.equals(new TreeMap<>(count.labels));
    }

    static String key(String method, String target, String errorType) {
        return method + (target == null ? "" : " " + target) + (errorType == null ? "" : " !" + errorType);
    }

    /** {@code promtool check metrics} on {@code text}: the Prometheus project's own parser and linter must accept it. */
    static void promtoolAccepts(String text, Path dir) throws Exception {
        Path file = Files.createTempFile(dir, "scrape", ".txt");
        Files.writeString(file, text);
        Process promtool;
        try {
            promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool not found: install Debian's prometheus package (apt-get install -y"
                    + " prometheus; .ci/run does) to check the exposition with the Prometheus project's own parser", e);
        }
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, promtool.exitValue(), "promtool check metrics said:\n" + said + "\non:\n" + text);
    }
}
