import com.sun.net.httpserver.HttpServer;
import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.export.otlp.OtlpExporter;
import io.mcpobservatory.export.otlp.OtlpTarget;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

public class OursStartCost {
    public static void main(String[] args) throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", ex -> { ex.getRequestBody().readAllBytes(); ex.sendResponseHeaders(200, -1); ex.close(); });
        receiver.start();
        Span span = Span.start(Span.KIND_SERVER, McpMethod.of("tools/call"), null);
        span.toolName = "add";
        span.end();
        var loading = ManagementFactory.getClassLoadingMXBean();
        long classes = loading.getTotalLoadedClassCount();
        long t0 = System.nanoTime();
        OtlpExporter exporter = new OtlpExporter(new OtlpTarget(URI.create("http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/v1/traces"), null, 60_000, Map.of(), false, 10_000, Map.of("service.name", "x"), "0.1.0"));
        exporter.export(List.of(span));
        long t1 = System.nanoTime();
        long classesAfter = loading.getTotalLoadedClassCount();
        exporter.export(List.of(span));
        long t2 = System.nanoTime();
        System.out.printf("ours: first export %.1f ms, %d classes loaded; second export %.2f ms%n", (t1 - t0) / 1e6,
                classesAfter - classes, (t2 - t1) / 1e6);
        receiver.stop(0);
    }
}
