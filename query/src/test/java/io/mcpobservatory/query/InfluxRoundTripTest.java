package io.mcpobservatory.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Influx line-protocol export written into a real InfluxDB (Debian's influxdb package, 1.6) on loopback and read
 * back with InfluxQL: every tag and field arrives as written, awkward names included. Line breaks in names are the one
 * loss (line protocol cannot carry them in a tag: they become spaces).
 */
class InfluxRoundTripTest {

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void influxDbReadsBackWhatWasWritten() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/influxd"))) {
            throw new AssertionError("influxd not found: install Debian's influxdb package (apt-get install -y "
                    + "influxdb; .ci/run does) to read the line protocol back with InfluxDB itself");
        }
        int http = freePort();
        int rpc = freePort();
        Path config = dir.resolve("influxdb.conf");
        Files.writeString(config, String.join("\n",
                "reporting-disabled = true",
                "bind-address = \"127.0.0.1:" + rpc + "\"",
                "[meta]", "  dir = \"" + dir.resolve("meta") + "\"",
                "[data]", "  dir = \"" + dir.resolve("data") + "\"", "  wal-dir = \"" + dir.resolve("wal") + "\"",
                "  query-log-enabled = false",
                "[http]", "  bind-address = \"127.0.0.1:" + http + "\"", "  log-enabled = false",
                "[monitor]", "  store-enabled = false",
                "[continuous_queries]", "  enabled = false", ""));
        Process influxd = new ProcessBuilder("influxd", "run", "-config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("influxd.log").toFile()).start();
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String base = "http://127.0.0.1:" + http;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try {
                    if (client.send(HttpRequest.newBuilder(URI.create(base + "/ping")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 204) {
                        break;
                    }
                } catch (IOException notYet) {
                    // starting
                }
                if (System.nanoTime() > deadline || !influxd.isAlive()) {
                    throw new AssertionError("influxd did not answer:\n" + Files.readString(dir.resolve("influxd.log")));
                }
                Thread.sleep(100);
            }
            post(client, base + "/query", "q=" + URLEncoder.encode("CREATE DATABASE t", StandardCharsets.UTF_8));

            Table stats = ExportsTest.stats();
            Window w = Window.last(Duration.ofHours(1), ExportsTest.NOW);
            String lines = Exports.influx(stats, w);
            HttpResponse<String> written = client.send(HttpRequest.newBuilder(
                            URI.create(base + "/write?db=t&precision=ns"))
                    .POST(HttpRequest.BodyPublishers.ofString(lines)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, written.statusCode(), "InfluxDB refused the lines: " + written.body() + "\n" + lines);

            String q = URLEncoder.encode("SELECT * FROM mcp_tool_stats", StandardCharsets.UTF_8);
            JsonNode result = JsonMapper.builder().build().readTree(client.send(HttpRequest.newBuilder(
                            URI.create(base + "/query?db=t&epoch=ns&q=" + q)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            JsonNode series = result.get("results").get(0).get("series").get(0);
            Map<String, Integer> col = new HashMap<>();
            for (int i = 0; i < series.get("columns").size(); i++) {
                col.put(series.get("columns").get(i).asString(), i);
            }
            JsonNode values = series.get("values");
            assertEquals(stats.size(), values.size(), "one point per row");
            for (Object[] row : stats.rows) {
                String tool = row[2] == null ? null : ((String) row[2]).replace('\n', ' ');
                JsonNode point = null;
                for (JsonNode v : values) {
                    JsonNode t = v.get(col.get("tool"));
                    if (v.get(col.get("service")).asString().equals(row[0])
                            && v.get(col.get("mcp_method")).asString().equals(row[1])
                            && (tool == null ? t.isNull() : tool.equals(t.asString()))) {
                        point = v;
                    }
                }
                assertNotNull(point, "no point for " + java.util.Arrays.toString(row) + " in " + values);
                assertEquals(w.to.getEpochSecond() * 1_000_000_000L + w.to.getNano(), point.get(0).asLong());
                assertEquals((long) (Long) row[3], point.get(col.get("calls")).asLong());
                assertEquals((Double) row[7], point.get(col.get("p95_ms")).asDouble(), 1e-12);
                if (row[14] == null) {
                    assertTrue(point.get(col.get("cost_usd")).isNull());
                } else {
                    assertEquals((Double) row[14], point.get(col.get("cost_usd")).asDouble(), 1e-15);
                }
            }
        } finally {
            influxd.destroy();
            if (!influxd.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                influxd.destroyForcibly();
            }
        }
    }

    private static void post(HttpClient client, String url, String form) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }
}
