package io.mcpobservatory.alerts;

import io.mcpobservatory.metrics.CallbackMetric;
import io.mcpobservatory.metrics.Metric;
import io.mcpobservatory.metrics.MetricRegistry;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The alerts' states on the scrape: {@code mcp_observatory_alert_active{alert, severity}} (1 while it fires, else 0),
 * {@code mcp_observatory_alert_fired_total} and {@code mcp_observatory_alert_suppressed_total} (repeats within the
 * cooldown). One series per configured rule.
 */
public final class AlertMetrics {

    private AlertMetrics() {
    }

    public static void register(MetricRegistry registry, Supplier<Alerting> alerting) {
        registry.callback("mcp.observatory.alert.active", "1", "1 while the alert fires, else 0.",
                Metric.Type.GAUGE, each(alerting, (status, sink) -> sink.sample(status.active() ? 1 : 0,
                        status.rule().name(), status.rule().severity().text)), "alert", "severity");
        registry.callback("mcp.observatory.alert.fired", "{alert}", "Times the alert fired.",
                Metric.Type.COUNTER, each(alerting, (status, sink) -> sink.sample(status.fired(),
                        status.rule().name(), status.rule().severity().text)), "alert", "severity");
        registry.callback("mcp.observatory.alert.suppressed", "{alert}",
                "Times the alert's condition held again within its cooldown after it resolved (it did not fire).",
                Metric.Type.COUNTER, each(alerting, (status, sink) -> sink.sample(status.suppressed(),
                        status.rule().name(), status.rule().severity().text)), "alert", "severity");
    }

    private static Consumer<CallbackMetric.Sink> each(Supplier<Alerting> alerting,
                                                      BiConsumer<Alerting.Status, CallbackMetric.Sink> one) {
        return sink -> {
            for (Alerting.Status status : alerting.get().statuses()) {
                one.accept(status, sink);
            }
        };
    }
}
