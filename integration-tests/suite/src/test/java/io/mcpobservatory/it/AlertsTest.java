package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpobservatory.testing.PrometheusExposition;
import io.mcpobservatory.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert's life in a real server (SDK 2.1.0, streamable HTTP) with the agent, its scrape endpoint and PostgreSQL: a
 * failing tool makes the tools' error rate cross the rule's threshold and the alert fires (a stderr line, the gauge at
 * 1, a row in {@code mcp_alerts}); successful calls bring the rate down and it resolves (the row completed, the gauge at
 * 0); failing again within the cooldown fires nothing (counted as suppressed, no second row). A bad rule is one warning
 * and the server works. The rates tick every 250 ms here, so the "1m" window is 3 s.
 */
class AlertsTest {

    private static final String SDK = "2.1.0";
    private static final Map<String, String> ALERT = Map.of("alert", "tool_errors", "severity", "critical");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void anAlertFiresResolvesAndRespectsItsCooldown() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        List<String> options = List.of("-Dobservatory.jdbc.url=" + url, "-Dobservatory.service.name=alerts-server",
                "-Dobservatory.export.interval=100ms", "-Dobservatory.heartbeat.interval=1s",
                "-Dobservatory.prometheus.port=0", "-Dobservatory.rates.tick=250ms",
                "-Dobservatory.alert.tool_errors.expr=error_rate{tool=*} > 0.5",
                "-Dobservatory.alert.tool_errors.window=1m", "-Dobservatory.alert.tool_errors.severity=critical",
                "-Dobservatory.alert.tool_errors.cooldown=60s", "-Dobservatory.alert.tool_errors.min-calls=5",
                "-Dobservatory.alert.error_rate.enabled=false", "-Dobservatory.alert.bogus.expr=no_such_rate > 1");
        String classPath = Apps.classPath(SDK);
        try (ChildJvm server = ChildJvm.start(dir, "server", Apps.javaCommand(true, options, classPath, Apps.SERVER,
                "streamable", "0"))) {
            String port = server.awaitLine("LISTENING ", Scenario.TIMEOUT).substring("LISTENING ".length()).trim();
            int metricsPort = Scrapes.awaitPort(server::stderr, "");
            try (DrivenClient client = DrivenClient.start(dir, "client", Apps.javaCommand(false, List.of(), classPath,
                    Apps.PHASED_CLIENT, "streamable", "http://127.0.0.1:" + port));
                 Connection db = TestDatabase.connect(url); Statement sql = db.createStatement()) {

                // the bad rule: one warning naming its key; the server works (the calls below)
                List<String> said = server.stderr().lines().filter(l -> l.contains("observatory.alert.bogus")).toList();
                assertEquals(1, said.size(), server.stderr());
                assertTrue(said.get(0).contains("WARN observatory.alert.bogus.expr='no_such_rate > 1'"), said.get(0));

                // 1. the failing tool: fires
                for (int i = 0; i < 8; i++) {
                    assertTrue(client.answer("call throws").startsWith("ERR "));
                }
                String firing = awaitScrape(metricsPort, scrape -> active(scrape) == 1);
                PrometheusExposition scrape = PrometheusExposition.parse(firing);
                assertEquals(1.0, scrape.sample("mcp_observatory_rate", Map.of("rate", "error_rate", "window", "1m",
                        "scope", "tool", "gen_ai_tool_name", "throws")).value, firing);
                assertEquals(0, scrape.sample("mcp_observatory_alert_active", Map.of("alert", "p95_ms",
                        "severity", "warning")).value, "the other default rules are there");
                assertTrue(scrape.samples("mcp_observatory_alert_active", s -> "error_rate".equals(s.label("alert")))
                        .isEmpty(), "the default error_rate rule is switched off");
                Scrapes.promtoolAccepts(firing, dir);
                assertTrue(server.stderr().contains("[mcp-observatory] ALERT firing: tool_errors (critical)"
                        + " error_rate{tool=*} = 1 > 0.5 over 1m ("), server.stderr());
                assertEquals("critical|error_rate{tool=*} > 0.5|1m|1|0.5|alerts-server|t|t", awaitRow(sql,
                        "SELECT severity, expr, rate_window, value, threshold, service, fired_at <= now(), "
                                + "resolved_at IS NULL FROM mcp_alerts WHERE alert_name = 'tool_errors'",
                        row -> true));
                JsonNode health = new ObjectMapper().readTree(Scrapes.get(metricsPort, "/health"));
                assertEquals("tool_errors", health.get("alerts").get("active").get(0).get("alert").asText(),
                        health.toString());
                assertTrue(health.get("rates").get("error_rate").asDouble() > 0.5, health.toString());

                // 2. successful calls: the rate comes down, it resolves
                String resolved = null;
                for (long deadline = System.nanoTime() + TIMEOUT.toNanos(); System.nanoTime() < deadline; ) {
                    client.send("call fast");
                    Thread.sleep(100);
                    String text = Scrapes.get(metricsPort, "/metrics");
                    if (active(PrometheusExposition.parse(text)) == 0) {
                        resolved = text;
                        break;
                    }
                }
                assertTrue(resolved != null, "the alert did not resolve:\n" + server.stderr());
                assertTrue(server.stderr().contains("[mcp-observatory] ALERT resolved: tool_errors (critical)"
                        + " error_rate{tool=*} > 0.5 no longer holds over 1m: error_rate{tool=*} = "), server.stderr());
                assertEquals("t|t", awaitRow(sql, "SELECT resolved_at >= fired_at, resolved_value <= 0.5 FROM"
                        + " mcp_alerts WHERE alert_name = 'tool_errors'", row -> !row.startsWith("null")));

                // 3. failing again within the cooldown (60 s): suppressed, no second firing, no second row
                for (int i = 0; i < 40; i++) {
                    assertTrue(client.answer("call throws").startsWith("ERR "));
                }
                String suppressed = awaitScrape(metricsPort, text -> text.sample(
                        "mcp_observatory_alert_suppressed_total", ALERT).value >= 1);
                PrometheusExposition after = PrometheusExposition.parse(suppressed);
                assertEquals(0, active(after), suppressed);
                assertEquals(1, after.sample("mcp_observatory_alert_fired_total", ALERT).value);
                assertTrue(after.sample("mcp_observatory_rate", Map.of("rate", "error_rate", "window", "1m",
                        "scope", "tools")).value > 0.5, "the condition holds again: " + suppressed);
                assertEquals("1", awaitRow(sql, "SELECT count(*) FROM mcp_alerts", row -> true));
                assertEquals(1, count(server.stderr(), "ALERT firing: tool_errors"), server.stderr());

                // the agent's health, from its heartbeats
                assertEquals("f|00:00:01|0", awaitRow(sql, "SELECT stale, heartbeat_interval, active_alerts FROM "
                        + "mcp_agent_health WHERE service = 'alerts-server'", row -> row.equals("f|00:00:01|0")));
                client.quit();
            }
            server.stop(Duration.ofSeconds(30));
            String stderr = server.stderr();
            // fired once; suppressed once per stretch the condition held again: at this test's 250 ms tick the "1m"
            // window is 3.25 s, so the first failures may leave it in the middle of the second burst, which then holds
            // twice (seen when the suite runs two classes at a time)
            assertTrue(Pattern.compile("\\[mcp-observatory] alerts: tool_errors \\(critical\\) fired 1, suppressed [12]"
                    + " within its cooldown").matcher(stderr).find(), stderr);
            assertTrue(stderr.contains("[mcp-observatory] rates over the last 5m: "), stderr);
            assertFalse(server.stdout().contains("[mcp-observatory]"), "the agent never writes to stdout");
        }
    }

    private static double active(PrometheusExposition scrape) {
        return scrape.sample("mcp_observatory_alert_active", ALERT).value;
    }

    private static String awaitScrape(int port, Predicate<PrometheusExposition> done) throws Exception {
        String text = Scrapes.get(port, "/metrics");
        for (long deadline = System.nanoTime() + TIMEOUT.toNanos();
             !done.test(PrometheusExposition.parse(text)) && System.nanoTime() < deadline; ) {
            Thread.sleep(100);
            text = Scrapes.get(port, "/metrics");
        }
        return text;
    }

    /** The first row of {@code query} as {@code a|b|c} once {@code done} accepts it (the agent writes it later). */
    private static String awaitRow(Statement sql, String query, Predicate<String> done) throws Exception {
        String row = null;
        for (long deadline = System.nanoTime() + TIMEOUT.toNanos(); System.nanoTime() < deadline; Thread.sleep(100)) {
            try (ResultSet rs = sql.executeQuery(query)) {
                if (rs.next()) {
                    StringBuilder text = new StringBuilder();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        text.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    row = text.toString();
                    if (done.test(row)) {
                        return row;
                    }
                }
            }
        }
        return row;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
