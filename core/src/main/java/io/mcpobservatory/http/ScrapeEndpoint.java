package io.mcpobservatory.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mcpobservatory.log.Log;
import io.mcpobservatory.metrics.MetricRegistry;
import io.mcpobservatory.metrics.PrometheusText;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The Prometheus scrape endpoint ({@code GET /metrics}, text format 0.0.4) and {@code GET /health} (JSON), served by the
 * JDK's own HTTP server on one daemon thread: no dependency, and nothing that can keep the JVM from exiting.
 *
 * <p>The JDK module {@code jdk.httpserver} may be missing (a jlinked runtime, a modular application that does not
 * resolve it): check {@link #MODULE} in the boot layer before touching this class, which links against it.
 */
public final class ScrapeEndpoint implements AutoCloseable {

    public static final String MODULE = "jdk.httpserver";
    static final String HEALTH_CONTENT_TYPE = "application/json; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private ScrapeEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code host:port} (port 0: any free port) and serves; throws when the address cannot be bound (in use, not
     * a local address). {@code health} makes the body of {@code /health} on each request.
     */
    public static ScrapeEndpoint start(String host, int port, MetricRegistry registry, Supplier<String> health)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "mcp-observatory-metrics");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, registry, health));
        // The server's dispatcher thread takes its daemon flag from the thread that starts it: start it from a daemon
        // thread, so a scrape endpoint never keeps an application's JVM alive after its last thread of its own ends.
        Thread starter = new Thread(server::start, "mcp-observatory-metrics-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ScrapeEndpoint(server, executor);
    }

    private static void serve(HttpExchange exchange, MetricRegistry registry, Supplier<String> health)
            throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
            } else if (path.equals("/metrics")) {
                respond(exchange, 200, PrometheusText.CONTENT_TYPE, registry.prometheusText());
            } else if (path.equals("/health")) {
                respond(exchange, 200, HEALTH_CONTENT_TYPE, health.get());
            } else {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found: try /metrics or /health\n");
            }
        } catch (IOException e) {
            throw e; // the scraper went away; the server closes the exchange
        } catch (RuntimeException | LinkageError e) {
            Log.warnOnce("scrape-failed", "serving a scrape failed (" + e + "); further failures are not logged");
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The address bound (with the actual port when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops serving at once (a scrape in progress is cut) and ends the thread. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
