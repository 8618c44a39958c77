package io.mcpobservatory.examples;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of {@code benchmarks/footprint/footprint.sh}: fast tool calls ({@code get_forecast}) against a running
 * {@link DemoServer}, each thread on its own MCP session, and the server's CPU time read from /proc (through
 * {@link ProcessHandle}) around the measured calls. Prints {@code key=value} lines on stdout.
 *
 * <p>The requests are the JSON-RPC messages of the MCP streamable HTTP transport, written by hand on a keep-alive HTTP/1.1
 * connection rather than through the SDK's client: on a 2-core machine the client shares the CPUs with the server it
 * measures, and the SDK client (Reactor, JSON mapping, SSE parsing) costs about as much CPU per call as the server and
 * needs as long a warm-up. The server sees the same requests either way (same methods, headers and session handling).
 *
 * <p>Usage: {@code java -cp mcp-demo.jar io.mcpobservatory.examples.LoadClient <port> <serverPid> <threads>
 * <warmupCallsPerThread> <callsPerThread>}: every thread initializes its session, then all make their warm-up calls, then,
 * between two readings of the server's CPU time taken while every thread waits, their measured calls. Output:
 * {@code warmup calls=N seconds=S server_cpu_ns=C} and {@code measured calls=N errors=E seconds=S server_cpu_ns=C},
 * then the CPU time of each server thread at the three barriers, {@code threads <point>} followed by tab-separated
 * {@code <thread name>:<clock ticks>} (the /proc/<pid>/task/<tid> name and utime + stime), which the footprint script
 * groups into main thread, JIT compilers, GC, request threads and the agent's own.
 *
 * <p>Or {@code ... <port> <serverPid> loop <seconds>}: one thread makes 200 calls, prints {@code looping}, then calls back
 * to back until the time is up (or it is killed) and prints {@code loop calls=N errors=E}. The attach measurement runs it
 * while it attaches the agent.
 *
 * <p>The exit code is 1 when a thread could not open its session or the run broke off, 0 otherwise: calls that fail (an
 * error or an {@code isError} result) are counted, not fatal.
 */
public final class LoadClient {

    private static final String[] CITIES = {"Paris", "London", "Berlin", "Madrid", "Tokyo", "Lima"};
    private static final String PROTOCOL = "2025-06-18";

    private LoadClient() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: LoadClient <port> <serverPid> <threads> <warmupCallsPerThread> <callsPerThread>"
                    + " | LoadClient <port> <serverPid> loop <seconds>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        ProcessHandle server = ProcessHandle.of(Long.parseLong(args[1]))
                .orElseThrow(() -> new IllegalArgumentException("no process " + args[1]));
        if (args[2].equals("loop")) {
            loop(port, Long.parseLong(args[3]));
        } else {
            load(port, server, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        }
    }

    private static void load(int port, ProcessHandle server, int threads, int warmup, int calls) throws Exception {
        AtomicLong errors = new AtomicLong();
        long[] nanos = new long[3]; // at the start of the warm-up, of the measured calls, and at their end
        long[] cpu = new long[3];
        String[] threadTicks = new String[3];
        int[] phase = {0};
        // The barrier action runs once every thread has arrived and before any goes on: the server is idle then.
        CyclicBarrier barrier = new CyclicBarrier(threads, () -> {
            nanos[phase[0]] = System.nanoTime();
            cpu[phase[0]] = server.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
            threadTicks[phase[0]] = threadTicks(server.pid());
            phase[0]++;
        });
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> {
                try (Session session = new Session(port)) {
                    barrier.await();
                    session.callFast(warmup, index, errors);
                    barrier.await();
                    session.callFast(calls, index, errors);
                    barrier.await();
                } catch (Exception e) {
                    System.err.println("LoadClient thread " + index + ": " + e);
                    barrier.reset(); // the others fail at once instead of waiting forever
                }
            }, "load-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (phase[0] < 3) {
            System.err.println("LoadClient: the run broke off");
            System.exit(1);
        }
        System.out.printf(Locale.ROOT, "warmup calls=%d seconds=%.3f server_cpu_ns=%d%n", (long) warmup * threads,
                (nanos[1] - nanos[0]) / 1e9, cpu[1] - cpu[0]);
        System.out.printf(Locale.ROOT, "measured calls=%d errors=%d seconds=%.3f server_cpu_ns=%d%n",
                (long) calls * threads, errors.get(), (nanos[2] - nanos[1]) / 1e9, cpu[2] - cpu[1]);
        String[] points = {"warmup-start", "measured-start", "measured-end"};
        for (int i = 0; i < points.length; i++) {
            System.out.println("threads " + points[i] + threadTicks[i]);
        }
    }

    /** Tab-separated {@code name:ticks} of every thread of the process, ticks being utime + stime from its stat. */
    private static String threadTicks(long pid) {
        StringBuilder out = new StringBuilder();
        File[] tasks = new File("/proc/" + pid + "/task").listFiles();
        for (File task : tasks == null ? new File[0] : tasks) {
            try {
                String name = Files.readString(task.toPath().resolve("comm")).trim();
                String stat = Files.readString(task.toPath().resolve("stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.append('\t').append(name).append(':')
                        .append(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
            } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile
            }
        }
        return out.toString();
    }

    private static void loop(int port, long seconds) throws IOException {
        AtomicLong errors = new AtomicLong();
        try (Session session = new Session(port)) {
            session.callFast(200, 0, errors);
            System.out.println("looping");
            System.out.flush();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long calls = 0;
            while (System.nanoTime() < end) {
                session.callFast(1, (int) calls, errors);
                calls++;
            }
            System.out.printf(Locale.ROOT, "loop calls=%d errors=%d%n", calls, errors.get());
        }
    }

    /** One MCP session on a keep-alive connection, reopened when the server closes it (Tomcat does every 100 requests). */
    private static final class Session implements AutoCloseable {
        private final int port;
        private final String sessionId;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private long nextId = 1;
        private boolean closeAfterResponse;

        Session(int port) throws IOException {
            this.port = port;
            Response init = post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                    + PROTOCOL + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"load-client\",\"version\":\"1\"}}}",
                    null);
            if (init.status != 200 || init.sessionId == null) {
                throw new IOException("initialize answered " + init.status + ": " + init.body);
            }
            this.sessionId = init.sessionId;
            post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", sessionId);
        }

        void callFast(int calls, int offset, AtomicLong errors) {
            for (int i = 0; i < calls; i++) {
                try {
                    Response response = post("{\"jsonrpc\":\"2.0\",\"id\":" + nextId++ + ",\"method\":\"tools/call\","
                            + "\"params\":{\"name\":\"get_forecast\",\"arguments\":{\"city\":\""
                            + CITIES[(offset + i) % CITIES.length] + "\"}}}", sessionId);
                    if (response.status != 200 || !response.body.contains("\"isError\":false")) {
                        errors.incrementAndGet();
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                    closeQuietly();
                }
            }
        }

        private Response post(String json, String session) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                in = new BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
            }
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(256)
                    .append("POST ").append(DemoServer.ENDPOINT).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port)
                    .append("\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n");
            if (session != null) {
                head.append("Mcp-Session-Id: ").append(session).append("\r\nMCP-Protocol-Version: ").append(PROTOCOL)
                        .append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            Response response = read();
            if (closeAfterResponse) {
                closeQuietly();
            }
            return response;
        }

        /** Reads one response: status line, headers, and a body of Content-Length or chunked transfer encoding. */
        private Response read() throws IOException {
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            long length = -1;
            boolean chunked = false;
            String session = null;
            closeAfterResponse = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                    case "mcp-session-id" -> session = value;
                    case "connection" -> closeAfterResponse = value.equalsIgnoreCase("close");
                    default -> {
                    }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line(); // the CRLF after the chunk
                }
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers: none expected
                }
            } else if (length > 0) {
                body.write(in.readNBytes((int) length));
            }
            return new Response(status, session, body.toString(StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        private void closeQuietly() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // reopened on the next request
            }
            socket = null;
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }

    private record Response(int status, String sessionId, String body) {
    }
}
