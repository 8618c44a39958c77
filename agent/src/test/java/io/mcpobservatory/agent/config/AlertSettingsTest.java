package io.mcpobservatory.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.alerts.AlertRule;
import io.mcpobservatory.alerts.Severity;
import io.mcpobservatory.rates.Rate;
import io.mcpobservatory.rates.RateWindow;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Alert rules from the configuration: the defaults, good rules, and bad ones (one warning each; the rest work). */
class AlertSettingsTest {

    private static Config load(String... pairs) {
        Properties properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return Config.load(null, properties, Map.of());
    }

    private static Map<String, AlertRule> rules(Config config) {
        return AgentSettings.from(config, "Main").alertRules.stream()
                .collect(Collectors.toMap(AlertRule::name, rule -> rule, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    @Test
    void fourRulesAreOnByDefault() {
        Config config = load();
        Map<String, AlertRule> rules = rules(config);
        assertEquals(List.of("error_rate", "p95_ms", "spans_dropped", "export_failing"), List.copyOf(rules.keySet()));
        assertEquals("error_rate > 0.05", rules.get("error_rate").expression().toString());
        assertEquals("p95_ms > 5000", rules.get("p95_ms").expression().toString());
        assertEquals("spans_dropped > 0", rules.get("spans_dropped").expression().toString());
        assertEquals("export_failures > 0", rules.get("export_failing").expression().toString());
        for (AlertRule rule : rules.values()) {
            assertEquals(RateWindow.FIVE_MINUTES, rule.window());
            assertEquals(Severity.WARNING, rule.severity());
            assertEquals(600_000, rule.cooldownMillis());
            assertEquals(20, rule.minCalls());
        }
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void rulesOfTheirOwnAndDefaultsChangedOrSwitchedOff() {
        Config config = load(
                "observatory.alert.search_slow.expr", "p95_ms{tool=search} > 2000",
                "observatory.alert.search_slow.window", "1m",
                "observatory.alert.search_slow.severity", "CRITICAL",
                "observatory.alert.search_slow.cooldown", "30s",
                "observatory.alert.search_slow.min-calls", "5",
                "observatory.alert.golden.expr", "golden_financial_failure_rate > 0",
                "observatory.alert.golden.min-calls", "1",
                "observatory.alert.error_rate.expr", "error_rate >= 0.2",
                "observatory.alert.error_rate.window", "1h",
                "observatory.alert.p95_ms.enabled", "false",
                "observatory.alert.export_failing.enabled", "FALSE");
        Map<String, AlertRule> rules = rules(config);
        assertEquals(List.of(), config.warnings());
        assertEquals(List.of("error_rate", "spans_dropped", "golden", "search_slow"), List.copyOf(rules.keySet()));
        AlertRule slow = rules.get("search_slow");
        assertEquals(Rate.P95_MS, slow.expression().rate());
        assertEquals("search", slow.expression().tool());
        assertEquals(RateWindow.ONE_MINUTE, slow.window());
        assertEquals(Severity.CRITICAL, slow.severity());
        assertEquals(30_000, slow.cooldownMillis());
        assertEquals(5, slow.minCalls());
        assertEquals(1, rules.get("golden").minCalls());
        assertEquals("error_rate >= 0.2", rules.get("error_rate").expression().toString());
        assertEquals(RateWindow.ONE_HOUR, rules.get("error_rate").window());
    }

    @Test
    void aBadRuleIsOneWarningNamingItsKeyAndTheOthersWork() {
        Config config = load(
                "observatory.alert.bogus.expr", "no_such_rate > 1",
                "observatory.alert.nonumber.expr", "error_rate > lots",
                "observatory.alert.badwindow.expr", "error_rate > 0.5",
                "observatory.alert.badwindow.window", "10s",
                "observatory.alert.badseverity.expr", "error_rate > 0.5",
                "observatory.alert.badseverity.severity", "page-me",
                "observatory.alert.badcooldown.expr", "error_rate > 0.5",
                "observatory.alert.badcooldown.cooldown", "soon",
                "observatory.alert.badmincalls.expr", "error_rate > 0.5",
                "observatory.alert.badmincalls.min-calls", "-3",
                "observatory.alert.noexpr.severity", "info",
                "observatory.alert.typo.treshold", "3",
                "observatory.alert.p95_ms.expr", "p95 > 5000",
                "observatory.alert.error_rate.enabled", "maybe",
                "observatory.alert.good.expr", "retry_rate{tool=*} > 0.3");
        Map<String, AlertRule> rules = rules(config);
        List<String> warnings = config.warnings();
        assertEquals(10, warnings.size(), String.join("\n", warnings));
        assertWarning(warnings, "observatory.alert.bogus.expr='no_such_rate > 1' (system property) names no rate",
                "the alert bogus is off");
        assertWarning(warnings, "observatory.alert.nonumber.expr='error_rate > lots' (system property) has no number",
                "the alert nonumber is off");
        assertWarning(warnings, "observatory.alert.badwindow.window='10s' (system property) is not one of 1m, 5m, 1h",
                "using 5m");
        assertWarning(warnings, "observatory.alert.badseverity.severity='page-me'", "using warning");
        assertWarning(warnings, "observatory.alert.badcooldown.cooldown='soon'", "using 10m");
        assertWarning(warnings, "observatory.alert.badmincalls.min-calls='-3'", "using 20");
        assertWarning(warnings, "observatory.alert.noexpr.expr is not set, but observatory.alert.noexpr.severity is",
                "the alert noexpr is off");
        assertWarning(warnings, "observatory.alert.typo.treshold (system property) is not an alert setting", "ignored");
        assertWarning(warnings, "observatory.alert.p95_ms.expr='p95 > 5000'", "using the default p95_ms > 5000");
        assertWarning(warnings, "observatory.alert.error_rate.enabled='maybe'", "the alert is on");

        assertEquals(List.of("error_rate", "p95_ms", "spans_dropped", "export_failing", "badcooldown", "badmincalls",
                "badseverity", "badwindow", "good"), List.copyOf(rules.keySet()), "every other rule works");
        assertEquals(RateWindow.FIVE_MINUTES, rules.get("badwindow").window());
        assertEquals(Severity.WARNING, rules.get("badseverity").severity());
        assertEquals(600_000, rules.get("badcooldown").cooldownMillis());
        assertEquals(20, rules.get("badmincalls").minCalls());
        assertEquals("p95_ms > 5000", rules.get("p95_ms").expression().toString());
        assertEquals("*", rules.get("good").expression().tool());
    }

    @Test
    void alertKeysAreNotUnknownButTheEnvironmentCannotCarryThem() {
        Config config = Config.load(null, new Properties(), Map.of("OBSERVATORY_ALERT_ERRORS_EXPR", "error_rate > 0"));
        assertEquals(1, config.warnings().size(), config.warnings().toString());
        assertTrue(config.warnings().get(0).contains("OBSERVATORY_ALERT_ERRORS_EXPR: alert rules cannot be set from the"
                + " environment"), config.warnings().get(0));
        assertEquals(4, rules(config).size());
    }

    @Test
    void rateSettings() {
        AgentSettings defaults = AgentSettings.from(load(), "Main");
        assertEquals(0.5, defaults.rates.lowConfidence());
        assertEquals(0.2, defaults.rates.promptDiffMax());
        assertEquals(100, defaults.rates.maxTools());
        assertEquals(5_000_000_000L, defaults.rates.tickNanos());

        Config config = load("observatory.rates.low-confidence", "0.7", "observatory.rates.prompt-diff-max", "0.05",
                "observatory.rates.max-tools", "12", "observatory.rates.tick", "250ms");
        AgentSettings set = AgentSettings.from(config, "Main");
        assertEquals(List.of(), config.warnings());
        assertEquals(0.7, set.rates.lowConfidence());
        assertEquals(0.05, set.rates.promptDiffMax());
        assertEquals(12, set.rates.maxTools());
        assertEquals(250_000_000L, set.rates.tickNanos());

        Config bad = load("observatory.rates.low-confidence", "1.5", "observatory.rates.prompt-diff-max", "x",
                "observatory.rates.tick", "1m");
        AgentSettings fallback = AgentSettings.from(bad, "Main");
        assertEquals(3, bad.warnings().size(), bad.warnings().toString());
        assertWarning(bad.warnings(), "observatory.rates.low-confidence='1.5'", "using 0.5");
        assertWarning(bad.warnings(), "observatory.rates.prompt-diff-max='x'", "using 0.2");
        assertWarning(bad.warnings(), "observatory.rates.tick='1m'", "using 5000");
        assertEquals(0.5, fallback.rates.lowConfidence());
        assertEquals(5_000_000_000L, fallback.rates.tickNanos());
    }

    private static void assertWarning(List<String> warnings, String start, String end) {
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith(start) && w.endsWith(end)),
                "no warning '" + start + "...' ending '" + end + "' among:\n" + String.join("\n", warnings));
    }
}
