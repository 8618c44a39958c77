package io.mcpobservatory.agent.config;

import io.mcpobservatory.alerts.AlertExpression;
import io.mcpobservatory.alerts.AlertRule;
import io.mcpobservatory.alerts.Severity;
import io.mcpobservatory.rates.RateWindow;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The alert rules, from the dynamic keys {@code observatory.alert.<name>.<setting>}: {@code expr} (the condition, see
 * {@link AlertExpression}), {@code window} ({@code 1m}, {@code 5m}, {@code 1h}), {@code severity} ({@code info},
 * {@code warning}, {@code critical}), {@code cooldown} (a duration), {@code min-calls} (a whole number) and
 * {@code enabled}. The rules of {@link AlertRule#DEFAULTS} exist unless switched off; their settings may be changed like
 * any rule's.
 *
 * <p>As everywhere in the configuration, nothing here stops the agent: a bad value is one warning naming the key, its
 * value and what is used instead (the setting's default; for a bad {@code expr}, the default rule's condition, or no
 * rule at all for a rule of the user's), and the other rules work.
 */
final class AlertSettings {

    static final String EXPR = "expr";
    static final String WINDOW = "window";
    static final String SEVERITY = "severity";
    static final String COOLDOWN = "cooldown";
    static final String MIN_CALLS = "min-calls";
    static final String ENABLED = "enabled";
    private static final Set<String> SETTINGS = Set.of(EXPR, WINDOW, SEVERITY, COOLDOWN, MIN_CALLS, ENABLED);
    private static final int MAX_MIN_CALLS = 1_000_000;
    private static final long MAX_COOLDOWN_MILLIS = 7L * 24 * 3_600_000;

    private AlertSettings() {
    }

    /** @param keys the alert keys set, by key: {value, source} ({@link Config#alertKeys}) */
    static List<AlertRule> read(Map<String, String[]> keys, List<String> warnings) {
        Map<String, Map<String, String[]>> byName = new TreeMap<>();
        for (Map.Entry<String, String[]> entry : keys.entrySet()) {
            String rest = entry.getKey().substring(ConfigKey.ALERT_PREFIX.length());
            int dot = rest.lastIndexOf('.');
            String setting = dot > 0 ? rest.substring(dot + 1) : "";
            if (!SETTINGS.contains(setting)) {
                warnings.add(entry.getKey() + " (" + entry.getValue()[1] + ") is not an alert setting ("
                        + ConfigKey.ALERT_PREFIX + "<name>.expr, .window, .severity, .cooldown, .min-calls or"
                        + " .enabled); ignored");
                continue;
            }
            String value = entry.getValue()[0];
            if (value != null && !value.isEmpty()) { // empty is not set, as for every key
                byName.computeIfAbsent(rest.substring(0, dot), name -> new TreeMap<>()).put(setting, entry.getValue());
            }
        }
        Set<String> names = new LinkedHashSet<>(AlertRule.DEFAULTS.keySet());
        names.addAll(byName.keySet());
        List<AlertRule> rules = new ArrayList<>();
        for (String name : names) {
            AlertRule rule = new Reader(name, byName.getOrDefault(name, Map.of()), warnings).rule();
            if (rule != null) {
                rules.add(rule);
            }
        }
        return rules;
    }

    /** One rule's settings: each read value is either good or one warning and its default. */
    private static final class Reader {
        final String name;
        final Map<String, String[]> settings;
        final List<String> warnings;

        Reader(String name, Map<String, String[]> settings, List<String> warnings) {
            this.name = name;
            this.settings = settings;
            this.warnings = warnings;
        }

        AlertRule rule() {
            if (!enabled()) {
                return null;
            }
            AlertExpression expression = expression();
            if (expression == null) {
                return null;
            }
            return new AlertRule(name, expression, window(), severity(), cooldown(), minCalls());
        }

        private boolean enabled() {
            String value = value(ENABLED);
            if (value == null || value.equalsIgnoreCase("true")) {
                return true;
            }
            if (value.equalsIgnoreCase("false")) {
                return false;
            }
            return bad(ENABLED, "is not true or false", "the alert is on", true);
        }

        private AlertExpression expression() {
            String defaultText = AlertRule.DEFAULTS.get(name);
            String value = value(EXPR);
            if (value != null) {
                try {
                    return AlertExpression.parse(value);
                } catch (IllegalArgumentException e) {
                    return bad(EXPR, e.getMessage(), defaultText != null ? "using the default " + defaultText
                            : "the alert " + name + " is off", defaultText == null ? null
                            : AlertExpression.parse(defaultText));
                }
            }
            if (defaultText == null) {
                warnings.add(key(EXPR) + " is not set, but " + String.join(", ", keysSet())
                        + " is: the alert " + name + " is off");
                return null;
            }
            return AlertExpression.parse(defaultText);
        }

        private RateWindow window() {
            String value = value(WINDOW);
            RateWindow window = value == null ? AlertRule.DEFAULT_WINDOW : RateWindow.byText(value);
            return window != null ? window
                    : bad(WINDOW, "is not one of 1m, 5m, 1h", "using " + AlertRule.DEFAULT_WINDOW.text,
                    AlertRule.DEFAULT_WINDOW);
        }

        private Severity severity() {
            String value = value(SEVERITY);
            Severity severity = value == null ? AlertRule.DEFAULT_SEVERITY : Severity.byText(value);
            return severity != null ? severity
                    : bad(SEVERITY, "is not one of info, warning, critical", "using "
                    + AlertRule.DEFAULT_SEVERITY.text, AlertRule.DEFAULT_SEVERITY);
        }

        private long cooldown() {
            String value = value(COOLDOWN);
            if (value == null) {
                return AlertRule.DEFAULT_COOLDOWN_MILLIS;
            }
            Long millis = Config.parseMillis(value);
            return millis != null && millis <= MAX_COOLDOWN_MILLIS ? millis
                    : bad(COOLDOWN, "is not a duration up to 7 days (e.g. 30s, 10m, 1h)", "using "
                    + AlertRule.DEFAULT_COOLDOWN_MILLIS / 60_000 + "m", AlertRule.DEFAULT_COOLDOWN_MILLIS);
        }

        private int minCalls() {
            String value = value(MIN_CALLS);
            if (value == null) {
                return AlertRule.DEFAULT_MIN_CALLS;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed >= 0 && parsed <= MAX_MIN_CALLS) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // below
            }
            return bad(MIN_CALLS, "is not a whole number from 0 to " + MAX_MIN_CALLS, "using "
                    + AlertRule.DEFAULT_MIN_CALLS, AlertRule.DEFAULT_MIN_CALLS);
        }

        private String value(String setting) {
            String[] set = settings.get(setting);
            return set == null ? null : set[0];
        }

        private String key(String setting) {
            return ConfigKey.ALERT_PREFIX + name + "." + setting;
        }

        private List<String> keysSet() {
            List<String> keys = new ArrayList<>();
            settings.keySet().forEach(setting -> keys.add(key(setting)));
            return keys;
        }

        /** One warning in the configuration's form: key='value' (source) problem; what is used. */
        private <T> T bad(String setting, String problem, String whatHappens, T used) {
            String[] set = settings.get(setting);
            warnings.add(key(setting) + "='" + set[0] + "' (" + set[1] + ") " + problem + "; " + whatHappens);
            return used;
        }
    }
}
