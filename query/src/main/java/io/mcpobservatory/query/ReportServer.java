package io.mcpobservatory.query;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** {@code report --serve PORT}: the report page made afresh at every request, refreshing itself. */
final class ReportServer {

    private final HttpServer server;

    private ReportServer(HttpServer server) {
        this.server = server;
    }

    static ReportServer start(Queries queries, String since, int refreshSeconds, String bind, int port)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        server.createContext("/", exchange -> {
            byte[] body;
            int status = 200;
            String type = "text/html; charset=utf-8";
            if (!exchange.getRequestURI().getPath().equals("/")) {
                status = 404;
                body = "not found\n".getBytes(StandardCharsets.UTF_8);
                type = "text/plain; charset=utf-8";
            } else {
                try {
                    body = new Report(queries).html(since, refreshSeconds).getBytes(StandardCharsets.UTF_8);
                } catch (RuntimeException e) {
                    status = 500;
                    type = "text/plain; charset=utf-8";
                    body = ("the report failed: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
                }
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return new ReportServer(server);
    }

    String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/";
    }

    void stop() {
        server.stop(0);
    }
}
