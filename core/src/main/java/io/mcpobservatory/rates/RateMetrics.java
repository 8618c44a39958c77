package io.mcpobservatory.rates;

import io.mcpobservatory.metrics.CallbackMetric;
import io.mcpobservatory.metrics.Metric;
import io.mcpobservatory.metrics.MetricRegistry;
import java.util.function.Supplier;

/**
 * The rates as one Prometheus gauge family, {@code mcp_observatory_rate{rate, window, scope, gen_ai_tool_name}}, read
 * from the latest snapshot at each scrape: {@code scope} is {@code service} (every span), {@code tools} (every server
 * tools/call), {@code tool} (with {@code gen_ai_tool_name}) or {@code other_tools} (the tools past
 * observatory.rates.max-tools, together). A rate without data (NaN) has no sample. At most
 * {@code (max-tools + 3) x 3 windows x 17 rates} series.
 */
public final class RateMetrics {

    static final String SCOPE_SERVICE = "service";
    static final String SCOPE_TOOLS = "tools";
    static final String SCOPE_TOOL = "tool";
    static final String SCOPE_OTHER_TOOLS = "other_tools";

    private RateMetrics() {
    }

    public static void register(MetricRegistry registry, Supplier<RatesSnapshot> snapshots) {
        registry.callback("mcp.observatory.rate", "1",
                "Decision rates over sliding windows (1m, 5m, 1h), by rate name: calls_per_second, error_rate,"
                        + " p50_ms/p95_ms/p99_ms (milliseconds), avg_cost_usd (USD), and the fraction of spans with"
                        + " each decision flag; spans_dropped and export_failures are counts in the window.",
                Metric.Type.GAUGE, sink -> write(snapshots.get(), sink), "rate", "window", "scope", "gen_ai.tool.name");
    }

    private static void write(RatesSnapshot snapshot, CallbackMetric.Sink sink) {
        for (RateWindow window : RateWindow.values()) {
            write(sink, snapshot.service(window), window, SCOPE_SERVICE, null);
            write(sink, snapshot.allTools(window), window, SCOPE_TOOLS, null);
            for (String tool : snapshot.tools()) {
                write(sink, snapshot.tool(tool, window), window, SCOPE_TOOL, tool);
            }
            write(sink, snapshot.otherTools(window), window, SCOPE_OTHER_TOOLS, null);
        }
    }

    private static void write(CallbackMetric.Sink sink, RateValues values, RateWindow window, String scope,
                              String tool) {
        if (values == null) {
            return;
        }
        for (Rate rate : Rate.values()) {
            double value = values.value(rate);
            if (!Double.isNaN(value) && (!rate.serviceOnly() || scope.equals(SCOPE_SERVICE))) {
                sink.sample(value, rate.text, window.text, scope, tool);
            }
        }
    }
}
