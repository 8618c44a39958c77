package io.mcpobservatory.alerts;

import io.mcpobservatory.rates.Rate;
import io.mcpobservatory.rates.RatesSnapshot;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An alert's condition, {@code <rate>[{tool=<name>}] <op> <number>}: {@code error_rate > 0.05},
 * {@code p95_ms{tool=search} > 2000}, {@code error_rate{tool=*} >= 0.1} (all tools together),
 * {@code golden_financial_failure_rate > 0}. Without a tool it is the service's rate (every span). A tool name may be
 * quoted ({@code {tool="a b"}}) and may not contain {@code "} or <code>}</code>.
 *
 * @param tool null for the service, {@link RatesSnapshot#ALL_TOOLS} for all tools, else a tool's name
 */
public record AlertExpression(Rate rate, String tool, Comparison comparison, double threshold) {

    private static final Pattern SYNTAX = Pattern.compile(
            "\\s*([A-Za-z0-9_]+)\\s*(?:\\{\\s*tool\\s*=\\s*(\"?)([^\"}]*)\\2\\s*})?\\s*(>=|<=|>|<)\\s*(\\S+)\\s*");

    /** Parses {@code text}; throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static AlertExpression parse(String text) {
        Matcher matcher = SYNTAX.matcher(text == null ? "" : text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("is not <rate>[{tool=<name>}] <op> <number> (op: > >= < <=), e.g."
                    + " error_rate > 0.05 or p95_ms{tool=search} > 2000");
        }
        Rate rate = Rate.byText(matcher.group(1).toLowerCase(Locale.ROOT));
        if (rate == null) {
            throw new IllegalArgumentException("names no rate: '" + matcher.group(1) + "' is not one of "
                    + Arrays.stream(Rate.values()).map(r -> r.text).collect(Collectors.joining(", ")));
        }
        String tool = matcher.group(3) == null ? null : matcher.group(3).trim();
        if (tool != null && tool.isEmpty()) {
            throw new IllegalArgumentException("has an empty tool name (use {tool=*} for all tools)");
        }
        if (tool != null && rate.serviceOnly()) {
            throw new IllegalArgumentException("gives a tool, but " + rate.text + " is counted for the service only");
        }
        double threshold;
        try {
            threshold = Double.parseDouble(matcher.group(5));
        } catch (NumberFormatException e) {
            threshold = Double.NaN;
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("has no number to compare with: '" + matcher.group(5) + "'");
        }
        return new AlertExpression(rate, tool, Comparison.bySymbol(matcher.group(4)), threshold);
    }

    /** The expression written back in its canonical form. */
    @Override
    public String toString() {
        String scope = tool == null ? "" : "{tool=" + (tool.contains(" ") ? "\"" + tool + "\"" : tool) + "}";
        return rate.text + scope + " " + comparison.symbol + " " + number(threshold);
    }

    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
