package io.mcpobservatory.alerts;

import java.util.Locale;

/** How bad an alert is: a label and a column, nothing more (the agent notifies nobody; Prometheus or a query does). */
public enum Severity {
    INFO, WARNING, CRITICAL;

    public final String text = name().toLowerCase(Locale.ROOT);

    /** The severity named {@code text} (any case), or null. */
    public static Severity byText(String text) {
        for (Severity severity : values()) {
            if (severity.text.equalsIgnoreCase(text)) {
                return severity;
            }
        }
        return null;
    }
}
