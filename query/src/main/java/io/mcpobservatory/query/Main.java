package io.mcpobservatory.query;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The command line of the query jar.
 *
 * <pre>
 * java -jar mcp-observatory-query.jar mcp    [SOURCE] [--http PORT] [--allow-writes]
 * java -jar mcp-observatory-query.jar export [SOURCE] --format json|csv|prometheus|influx [--what W] [--since 1h]
 *                                            [--service S] [--tool T] [--method M] [--kind K] [--limit N] [--out FILE]
 * java -jar mcp-observatory-query.jar report [SOURCE] [--since 24h] --out report.html [--serve PORT]
 *
 * SOURCE: --jdbc-url URL [--jdbc-password-file FILE] [--statement-timeout 15s] | --jsonl DIR-OR-FILE
 *         (default: --jsonl mcp-observatory, where an agent started in this directory writes)
 * </pre>
 *
 * Exit codes: 0 done, 1 failed (the database, a file), 2 bad command line or option.
 */
public final class Main {

    static final String VERSION = "0.1.0";
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");
    private static final Set<String> FLAGS = Set.of("--allow-writes");
    private static final Set<String> OPTIONS = Set.of("--jdbc-url", "--jdbc-password-file", "--statement-timeout",
            "--jsonl", "--http", "--bind", "--format", "--what", "--since", "--service", "--tool", "--method", "--kind",
            "--limit", "--out", "--serve", "--refresh");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            err.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        Map<String, String> opts;
        try {
            opts = parse(args);
        } catch (QueryException e) {
            err.println("mcp-observatory-query: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        try {
            switch (args[0]) {
                case "mcp": return mcp(opts, err);
                case "export": return export(opts, out, err);
                case "report": return report(opts, out, err);
                default:
                    err.println("mcp-observatory-query: unknown command '" + args[0] + "'");
                    err.println(usage());
                    return 2;
            }
        } catch (QueryException e) {
            err.println("mcp-observatory-query: " + e.getMessage());
            return e.getCause() == null ? 2 : 1;
        } catch (IOException e) {
            err.println("mcp-observatory-query: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static String usage() {
        return String.join("\n",
                "usage: java -jar mcp-observatory-query.jar COMMAND [SOURCE] [OPTIONS]",
                "  mcp     an MCP server over the telemetry: stdio, or streamable HTTP with --http PORT [--bind ADDR]",
                "          (read-only; --allow-writes lets the alerts tool create and resolve alerts)",
                "  export  --format json|csv|prometheus|influx [--what tool_stats|slow_calls|errors|sessions|costs]",
                "          [--since 1h] [--service S] [--tool T] [--method M] [--kind server|client|any] [--limit N]",
                "          [--out FILE]",
                "  report  [--since 24h] --out report.html [--serve PORT [--refresh 30s]]",
                "SOURCE: --jdbc-url jdbc:postgresql://HOST/DB?currentSchema=S [--jdbc-password-file FILE]",
                "        [--statement-timeout 15s] | --jsonl DIR-OR-FILE (default: --jsonl mcp-observatory)");
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (FLAGS.contains(a)) {
                opts.put(a, "true");
            } else if (OPTIONS.contains(a)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new QueryException(a + " needs a value");
                    }
                    value = args[++i];
                }
                opts.put(a, value);
            } else {
                throw new QueryException("unknown option '" + args[i] + "'");
            }
        }
        if (opts.containsKey("--jdbc-url") && opts.containsKey("--jsonl")) {
            throw new QueryException("give --jdbc-url or --jsonl, not both");
        }
        return opts;
    }

    static Store store(Map<String, String> opts) throws IOException {
        String url = opts.get("--jdbc-url");
        if (url != null) {
            String passwordFile = opts.get("--jdbc-password-file");
            if (passwordFile != null) {
                String password = Files.readString(Paths.get(passwordFile), StandardCharsets.UTF_8).strip();
                url = url + (url.contains("?") ? "&" : "?") + "password="
                        + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8);
            }
            PostgresStore store = new PostgresStore(url, duration(opts.getOrDefault("--statement-timeout", "15s")),
                    opts.containsKey("--allow-writes"));
            try {
                store.check();
            } catch (QueryException e) {
                store.close();
                throw e;
            }
            return store;
        }
        if (opts.containsKey("--allow-writes")) {
            throw new QueryException("--allow-writes is for --jdbc-url (alerts live in PostgreSQL)");
        }
        return new JsonLinesStore(Paths.get(opts.getOrDefault("--jsonl", "mcp-observatory")));
    }

    static Duration duration(String text) {
        Duration d = Window.duration(text);
        if (d == null || d.isZero()) {
            throw new QueryException("'" + text + "' is no duration: write e.g. 500ms, 15s, 2m");
        }
        return d;
    }

    static int port(String text, String option) {
        try {
            int p = Integer.parseInt(text.trim());
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new QueryException(option + " must be a port number (0 to 65535; 0 picks a free one), not '"
                    + text + "'");
        }
    }

    // ------------------------------------------------------------------------------------------------------ mcp

    static int mcp(Map<String, String> opts, PrintStream err) throws IOException, InterruptedException {
        Store store = store(opts);
        Queries queries = new Queries(store, Clock.systemUTC());
        ObservatoryServer observatory = new ObservatoryServer(queries);
        CountDownLatch stopped = new CountDownLatch(1);
        if (!opts.containsKey("--http")) {
            // The client closing our stdin is the end of the conversation: the server then exits, as stdio servers do.
            // The SDK drops what it has not handled yet when it sees the end of its input, so it only sees it once the
            // requests read before it are answered.
            CountDownLatch answered = new CountDownLatch(1);
            InputStream in = new FilterInputStream(System.in) {
                @Override
                public int read() throws IOException {
                    return atEnd(super.read());
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    return atEnd(super.read(buffer, offset, length));
                }

                private int atEnd(int n) throws IOException {
                    if (n < 0) {
                        stopped.countDown();
                        try {
                            answered.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return n;
                }
            };
            StdioServerTransportProvider transport =
                    new StdioServerTransportProvider(ObservatoryServer.JSON, in, System.out);
            McpSyncServer server = observatory.build(McpServer.sync(transport), VERSION);
            err.println("[mcp-observatory-query] MCP server on stdio over " + store.kind() + " " + store.describe());
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "mcp-observatory-query-shutdown"));
            stopped.await(); // the transport's threads serve until stdin closes or a signal comes
            observatory.awaitIdle(Duration.ofMillis(500), Duration.ofSeconds(60));
            answered.countDown();
            server.closeGracefully();
            store.close();
            return 0;
        }
        int port = port(opts.get("--http"), "--http");
        String bind = opts.getOrDefault("--bind", "127.0.0.1");
        TOMCAT_LOG.setLevel(Level.WARNING);
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(ObservatoryServer.JSON).mcpEndpoint("/mcp").build();
        McpSyncServer server = observatory.build(McpServer.sync(transport), VERSION);
        Path base = Files.createTempDirectory("mcp-observatory-query");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", bind);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        Wrapper wrapper = Tomcat.addServlet(context, "mcp", transport);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/mcp", "mcp");
        try {
            tomcat.start();
        } catch (Exception e) {
            throw new IOException("could not start the HTTP server: " + e, e);
        }
        if (connector.getState() != LifecycleState.STARTED) {
            err.println("mcp-observatory-query: could not listen on " + bind + ":" + port + " (in use?)");
            store.close();
            return 1;
        }
        int actual = connector.getLocalPort();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.closeGracefully();
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception ignored) {
                // exiting
            }
            store.close();
            stopped.countDown();
        }, "mcp-observatory-query-shutdown"));
        // the one line on stdout: scripts and tests read the port from it
        System.out.println("LISTENING http://" + bind + ":" + actual + "/mcp");
        System.out.flush();
        err.println("[mcp-observatory-query] MCP server on http://" + bind + ":" + actual + "/mcp over "
                + store.kind() + " " + store.describe());
        stopped.await();
        return 0;
    }

    // --------------------------------------------------------------------------------------------------- export

    static int export(Map<String, String> opts, PrintStream out, PrintStream err) throws IOException {
        String format = opts.get("--format");
        if (format == null) {
            throw new QueryException("export needs --format json|csv|prometheus|influx");
        }
        String what = opts.getOrDefault("--what", "tool_stats");
        try (Store store = store(opts)) {
            Queries q = new Queries(store, Clock.systemUTC());
            Window w = q.window(opts.getOrDefault("--since", "1h"));
            Filter f = new Filter(opts.get("--service"), opts.get("--tool"), opts.get("--method"), null,
                    opts.get("--kind"));
            int limit = Queries.limit(opts.containsKey("--limit") ? integer(opts.get("--limit"), "--limit") : null,
                    Queries.MAX_LIMIT);
            Table t = ObservatoryServer.dataset(q, what, w, f, limit);
            String body = Exports.format(format, what, t, w, store.kind());
            write(opts.get("--out"), body, out);
            if (opts.get("--out") != null) {
                err.println("[mcp-observatory-query] " + t.size() + " rows of " + what + " as " + format + " in "
                        + opts.get("--out"));
            }
        }
        return 0;
    }

    static Integer integer(String text, String option) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new QueryException(option + " must be a whole number, not '" + text + "'");
        }
    }

    private static void write(String file, String body, PrintStream out) throws IOException {
        if (file == null || file.equals("-")) {
            out.print(body);
            out.flush();
        } else {
            Path p = Paths.get(file);
            if (p.toAbsolutePath().getParent() != null) {
                Files.createDirectories(p.toAbsolutePath().getParent());
            }
            Files.writeString(p, body, StandardCharsets.UTF_8);
        }
    }

    // --------------------------------------------------------------------------------------------------- report

    static int report(Map<String, String> opts, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        String file = opts.get("--out");
        if (file == null && !opts.containsKey("--serve")) {
            throw new QueryException("report needs --out FILE (and/or --serve PORT)");
        }
        String since = opts.getOrDefault("--since", "24h");
        Store store = store(opts);
        Queries q = new Queries(store, Clock.systemUTC());
        q.window(since); // checked before anything is written
        if (file != null) {
            String html = new Report(q).html(since, 0);
            write(file, html, out);
            out.println(Paths.get(file).toAbsolutePath());
        }
        if (!opts.containsKey("--serve")) {
            store.close();
            return 0;
        }
        int refresh = (int) duration(opts.getOrDefault("--refresh", "30s")).getSeconds();
        ReportServer server = ReportServer.start(q, since, refresh, opts.getOrDefault("--bind", "127.0.0.1"),
                port(opts.get("--serve"), "--serve"));
        out.println("LISTENING " + server.url());
        out.flush();
        err.println("[mcp-observatory-query] report on " + server.url() + ", refreshed every " + refresh + " s");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            store.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
