package io.mcpobservatory.rates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.alerts.AlertExpression;
import io.mcpobservatory.alerts.AlertMetrics;
import io.mcpobservatory.alerts.AlertRule;
import io.mcpobservatory.alerts.Alerting;
import io.mcpobservatory.metrics.MetricRegistry;
import io.mcpobservatory.testing.PrometheusExposition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The rates and the alerts on the scrape: what the families say, read back with a parser of the format. */
class RateMetricsTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void ratesAreGaugesByRateWindowScopeAndTool() {
        RateRecorder rates = new RateRecorder(new RateSettings(0.5, 0.2, 1, 5 * SECOND), 0);
        MetricRegistry registry = new MetricRegistry(10);
        RateMetrics.register(registry, rates::snapshot);
        assertFalse(registry.prometheusText().contains("mcp_observatory_rate"), "nothing published: no family");

        rates.record(RateRecorderTest.call("search", true, 3_000_000), 0);
        rates.record(RateRecorderTest.call("search", false, 3_000_000), 0);
        rates.record(RateRecorderTest.call("fetch", false, 3_000_000), 0); // past the cap of 1 tool
        rates.publish(5 * SECOND, 2, 0);
        PrometheusExposition scrape = PrometheusExposition.parse(registry.prometheusText());
        assertEquals("gauge", scrape.type("mcp_observatory_rate"));
        assertEquals(0.5, rate(scrape, "error_rate", "1m", "tool", "search"));
        assertEquals(1.0 / 3, rate(scrape, "error_rate", "5m", "tools", null), 1e-12);
        assertEquals(0.0, rate(scrape, "error_rate", "1h", "other_tools", null));
        assertEquals(3.0, rate(scrape, "p95_ms", "1m", "service", null), 3 * 0.125);
        assertEquals(2.0, rate(scrape, "spans_dropped", "1m", "service", null));
        assertTrue(scrape.samples("mcp_observatory_rate", s -> "spans_dropped".equals(s.label("rate"))
                && !"service".equals(s.label("scope"))).isEmpty(), "the pipeline's counts are the service's only");
        assertTrue(scrape.samples("mcp_observatory_rate", s -> "low_confidence_rate".equals(s.label("rate")))
                .isEmpty(), "no span said a confidence: no sample rather than NaN");
        // per window: 9 rates with data in each scope (calls/s, errors, 3 percentiles, and the 4 over all calls), the
        // service's 2 counts; none of the 6 over spans that said something (cost, confidence, gate, diff, shadow, golden)
        assertEquals(3 * (9 + 2 + 9 + 9 + 9), scrape.samples("mcp_observatory_rate", s -> true).size(),
                scrape.samples("mcp_observatory_rate", s -> true).toString());
    }

    private static double rate(PrometheusExposition scrape, String rate, String window, String scope, String tool) {
        Map<String, String> labels = tool == null ? Map.of("rate", rate, "window", window, "scope", scope)
                : Map.of("rate", rate, "window", window, "scope", scope, "gen_ai_tool_name", tool);
        return scrape.sample("mcp_observatory_rate", labels).value;
    }

    @Test
    void alertsAreOneSeriesPerRule() {
        RateRecorder rates = new RateRecorder(new RateSettings(0.5, 0.2, 10, SECOND), 0);
        Alerting alerting = new Alerting(List.of(
                AlertRule.withDefaults("drops", AlertExpression.parse("spans_dropped > 0")),
                AlertRule.withDefaults("errors", AlertExpression.parse("error_rate > 0.05"))), event -> { });
        MetricRegistry registry = new MetricRegistry(10);
        AlertMetrics.register(registry, () -> alerting);
        alerting.evaluate(rates.publish(SECOND, 1, 0), SECOND);
        PrometheusExposition scrape = PrometheusExposition.parse(registry.prometheusText());
        assertEquals(1, scrape.sample("mcp_observatory_alert_active", Map.of("alert", "drops", "severity", "warning"))
                .value);
        assertEquals(0, scrape.sample("mcp_observatory_alert_active", Map.of("alert", "errors", "severity", "warning"))
                .value);
        assertEquals(1, scrape.sample("mcp_observatory_alert_fired_total", Map.of("alert", "drops",
                "severity", "warning")).value);
        assertEquals("counter", scrape.type("mcp_observatory_alert_suppressed_total"));
    }
}
