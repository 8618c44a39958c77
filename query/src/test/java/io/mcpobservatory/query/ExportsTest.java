package io.mcpobservatory.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.testing.PrometheusExposition;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export formats, each read back with a real parser: CSV with Apache Commons CSV (RFC 4180), Prometheus text with
 * promtool (the Prometheus project's own linter) and the test-support parser, JSON with Jackson; Influx line protocol
 * is read back by InfluxDB itself in {@link InfluxRoundTripTest}.
 */
class ExportsTest {

    static final Instant NOW = Instant.parse("2026-06-15T08:00:00Z");

    @TempDir
    Path dir;

    /** Tool statistics with every awkward name, as Queries.toolStats returns them. */
    static Table stats() {
        List<String> columns = List.of("service", "mcp_method", "tool_name", "calls", "errors", "error_rate", "p50_ms",
                "p95_ms", "p99_ms", "max_ms", "sum_ms", "prompt_tokens", "completion_tokens", "tokens", "cost_usd");
        List<Object[]> rows = new ArrayList<>();
        int i = 0;
        for (String tool : new String[] {"plain", Synthetic.WEIRD, Synthetic.NEWLINE, "  padded  ", "tab\there",
                "unicode \u00e9\u6f22\u5b57", null}) {
            i++;
            rows.add(new Object[] {i % 2 == 0 ? "svc, with comma" : "svc", tool == null ? "initialize" : "tools/call",
                    tool, (long) (10 * i), (long) i, i / (10.0 * i), 1.5 * i, 20.25 * i, 30.125 * i, 40.0 * i,
                    100.0 * i, tool == null ? null : (long) (100 * i), tool == null ? null : (long) i,
                    (long) (101 * i), tool == null ? null : 0.000123 * i});
        }
        return new Table(columns, rows);
    }

    @Test
    void csvSurvivesARealParser() throws Exception {
        Table t = stats();
        String csv = Exports.csv(t);
        assertTrue(csv.contains("\r\n"), "CRLF line ends");
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        assertEquals(t.size(), records.size());
        for (int r = 0; r < t.size(); r++) {
            for (int c = 0; c < t.columns.size(); c++) {
                Object v = t.rows.get(r)[c];
                String expected = v == null ? "" : Exports.plain(v);
                assertEquals(expected, records.get(r).get(t.columns.get(c)), t.columns.get(c) + " of row " + r);
            }
        }
        assertEquals("0.000246", records.get(1).get("cost_usd"), "numbers without exponents");
    }

    @Test
    void prometheusParsesAndPromtoolAcceptsIt() throws Exception {
        Table t = stats();
        Window w = Window.last(java.time.Duration.ofHours(1), NOW);
        String text = Exports.prometheus(t, w);
        PrometheusExposition exposition = PrometheusExposition.parse(text);
        assertEquals("summary", exposition.type("mcp_observatory_tool_duration_seconds"));
        for (Object[] row : t.rows) {
            String tool = row[2] == null ? "" : (String) row[2];
            Map<String, String> labels = Map.of("service", (String) row[0], "mcp_method", (String) row[1], "tool", tool);
            assertEquals(((Long) row[3]).doubleValue(),
                    exposition.sample("mcp_observatory_tool_calls", labels).value, tool);
            Map<String, String> q95 = new java.util.HashMap<>(labels);
            q95.put("quantile", "0.95");
            assertEquals((Double) row[7] / 1000, exposition.sample("mcp_observatory_tool_duration_seconds", q95).value,
                    1e-12);
        }
        Path file = dir.resolve("export.prom");
        Files.writeString(file, text);
        Process promtool;
        try {
            promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("promtool not found: install Debian's prometheus package (.ci/run does)", e);
        }
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, promtool.exitValue(), "promtool said:\n" + said + "\non:\n" + text);
    }

    @Test
    void jsonCarriesTheWindowAndRows() throws Exception {
        Window w = Window.last(java.time.Duration.ofHours(1), NOW);
        String json = Exports.json("tool_stats", stats(), w, "jsonl");
        tools.jackson.databind.JsonNode doc = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
        assertEquals("2026-06-15T07:00:00Z", doc.get("window").get("from").asString());
        assertEquals(Synthetic.WEIRD, doc.get("rows").get(1).get("tool_name").asString());
        assertTrue(doc.get("rows").get(6).get("cost_usd").isNull());
    }

    @Test
    void influxEscapesPerItsSpec() {
        String lines = Exports.influx(stats(), Window.last(java.time.Duration.ofHours(1), NOW));
        String[] each = lines.split("\n");
        assertEquals(7, each.length, "one line per row; a line break in a name never splits a line");
        assertTrue(each[1].startsWith("mcp_tool_stats,service=svc\\,\\ with\\ comma,mcp_method=tools/call,"
                + "tool=say\\ \"hi\"\\,\\ then\\=go\\ \\now calls=20i,"), each[1]);
        assertEquals("end\\\\", Exports.influxKey("end\\"), "a backslash that would escape the space after it");
        assertEquals("a\\\\\\ b", Exports.influxKey("a\\ b"));
        assertTrue(each[6].startsWith("mcp_tool_stats,service=svc,mcp_method=initialize calls=70i,"),
                "no empty tag value: " + each[6]);
        assertTrue(each[0].endsWith(" 1781510400000000000"), "nanoseconds at the window's end: " + each[0]);
        assertTrue(each[0].contains("cost_usd=0.000123"), each[0]);
    }

    @Test
    void unknownFormatsAndDatasetsAreRefused() {
        Window w = Window.last(java.time.Duration.ofHours(1), NOW);
        assertThrows(QueryException.class, () -> Exports.format("xml", "tool_stats", stats(), w, "jsonl"));
        assertThrows(QueryException.class, () -> Exports.format("influx", "sessions", stats(), w, "jsonl"));
    }
}
