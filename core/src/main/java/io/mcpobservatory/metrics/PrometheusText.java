package io.mcpobservatory.metrics;

/**
 * The Prometheus text exposition format, version 0.0.4: {@code # HELP} and {@code # TYPE} lines, then one line per
 * sample, {@code name{label="value",...} number}. Names follow the OpenTelemetry Prometheus exporter: dots and other
 * characters outside {@code [a-zA-Z0-9_:]} become underscores, the unit is appended ({@code s} as {@code _seconds};
 * annotations such as {@code {token}} add nothing), and counters end in {@code _total}.
 */
public final class PrometheusText {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String[] OVERFLOW_LABELS = {"otel_metric_overflow"};
    static final String[] OVERFLOW_VALUES = {"true"};

    private final StringBuilder out = new StringBuilder(8192);

    static String familyName(String name, String unit, Metric.Type type) {
        String family = sanitize(name, true);
        String suffix = unitSuffix(unit);
        if (!suffix.isEmpty() && !family.endsWith("_" + suffix)) {
            family += "_" + suffix;
        }
        if (type == Metric.Type.COUNTER && !family.endsWith("_total")) {
            family += "_total";
        }
        return family;
    }

    static String unitSuffix(String unit) {
        if (unit == null || unit.isEmpty() || unit.startsWith("{") || unit.equals("1")) {
            return "";
        }
        switch (unit) {
            case "s":
                return "seconds";
            case "ms":
                return "milliseconds";
            case "By":
                return "bytes";
            default:
                return sanitize(unit, false).toLowerCase(java.util.Locale.ROOT);
        }
    }

    static String labelName(String attribute) {
        return sanitize(attribute, false);
    }

    private static String sanitize(String name, boolean colonAllowed) {
        StringBuilder clean = new StringBuilder(name.length() + 1);
        if (!name.isEmpty() && name.charAt(0) >= '0' && name.charAt(0) <= '9') {
            clean.append('_'); // a name cannot start with a digit
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || (c >= '0' && c <= '9')
                    || (colonAllowed && c == ':');
            clean.append(ok ? c : '_');
        }
        return clean.toString();
    }

    void family(String name, Metric.Type type, String help) {
        out.append("# HELP ").append(name).append(' ');
        escaped(help, false);
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type.text()).append('\n');
    }

    /**
     * One sample line. {@code labelNames}/{@code labelValues} may be null; a null value means the label is absent.
     * {@code extraLabel} (e.g. {@code le}) comes last, when not null.
     */
    void sample(String name, String[] labelNames, String[] labelValues, String extraLabel, String extraValue,
                double value) {
        out.append(name);
        boolean open = false;
        if (labelNames != null) {
            for (int i = 0; i < labelNames.length; i++) {
                if (labelValues[i] != null) {
                    open = label(open, labelNames[i], labelValues[i]);
                }
            }
        }
        if (extraLabel != null) {
            open = label(open, extraLabel, extraValue);
        }
        if (open) {
            out.append('}');
        }
        out.append(' ').append(value(value)).append('\n');
    }

    private boolean label(boolean open, String name, String value) {
        out.append(open ? ',' : '{').append(name).append("=\"");
        escaped(value, true);
        out.append('"');
        return true;
    }

    /** The format's escapes: backslash and newline everywhere, the double quote in label values only. */
    private void escaped(String text, boolean quote) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (quote && c == '"') {
                out.append("\\\"");
            } else {
                out.append(c);
            }
        }
    }

    /** A bucket bound as Java-based Prometheus clients write it: {@code 0.01}, {@code 1.0}, {@code 300.0}. */
    static String number(double bound) {
        return Double.toString(bound);
    }

    /** A sample value: whole numbers without a fraction (counts), others in Java's shortest form (Go parses both). */
    static String value(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    String text() {
        return out.toString();
    }
}
