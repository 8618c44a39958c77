package io.mcpobservatory.alerts;

/** The operators of an alert expression. */
public enum Comparison {
    GREATER(">"), GREATER_OR_EQUAL(">="), LESS("<"), LESS_OR_EQUAL("<=");

    public final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    /** Whether {@code value} crosses {@code threshold}; never for NaN (no data). */
    boolean test(double value, double threshold) {
        switch (this) {
            case GREATER:
                return value > threshold;
            case GREATER_OR_EQUAL:
                return value >= threshold;
            case LESS:
                return value < threshold;
            default:
                return value <= threshold;
        }
    }

    /** The operator written {@code symbol}, or null. */
    static Comparison bySymbol(String symbol) {
        for (Comparison comparison : values()) {
            if (comparison.symbol.equals(symbol)) {
                return comparison;
            }
        }
        return null;
    }
}
