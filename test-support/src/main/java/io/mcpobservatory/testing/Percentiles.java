package io.mcpobservatory.testing;

import java.util.ArrayList;
import java.util.List;

/** Expected percentiles for tests that check what a query computed from spans. */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * PostgreSQL's {@code percentile_cont} (and DuckDB's, and the query module's): linear interpolation between the
     * closest ranks of the sorted values; {@code p} in 0..1.
     */
    public static double continuous(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        double pos = p * (sorted.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
    }
}
