import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

public class OtelStartCost {
    public static void main(String[] args) throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", ex -> { ex.getRequestBody().readAllBytes(); ex.sendResponseHeaders(200, -1); ex.close(); });
        receiver.start();
        var loading = ManagementFactory.getClassLoadingMXBean();
        long classes = loading.getTotalLoadedClassCount();
        long t0 = System.nanoTime();
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces").build();
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        provider.get("x").spanBuilder("tools/call add").setAttribute("gen_ai.tool.name", "add").startSpan().end();
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        long classesAfter = loading.getTotalLoadedClassCount();
        provider.get("x").spanBuilder("tools/call add").startSpan().end();
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        long t2 = System.nanoTime();
        System.out.printf("otel sdk: first export %.1f ms, %d classes loaded; second export %.2f ms%n", (t1 - t0) / 1e6,
                classesAfter - classes, (t2 - t1) / 1e6);
        provider.shutdown().join(10, TimeUnit.SECONDS);
        receiver.stop(0);
        System.exit(0);
    }
}
