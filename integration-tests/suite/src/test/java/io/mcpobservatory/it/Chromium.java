package io.mcpobservatory.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium (Debian's {@code chromium} package) driven over the DevTools protocol with the JDK's own WebSocket
 * client: load a page, evaluate JavaScript in it, collect what its console said at level error (and failed loads), take
 * a full-page screenshot. Chromium is started without network chatter (the flags this machine needs) in a fresh
 * profile, and killed on close.
 */
final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** Console errors, exceptions and failed loads, as text. */
    final List<String> errors = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    static String binary() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("Chromium not found: install Debian's chromium package (apt-get install -y chromium;"
                + " .ci/run does) to render the report in a real browser");
    }

    static Chromium start(Path profile) throws Exception {
        List<String> command = List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1", "--window-size=1280,900", "about:blank");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        String browserWs = null;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        StringBuilder said = new StringBuilder();
        String line;
        while (System.nanoTime() < deadline && (line = err.readLine()) != null) {
            said.append(line).append('\n');
            int at = line.indexOf("ws://");
            if (line.startsWith("DevTools listening on") && at >= 0) {
                browserWs = line.substring(at).trim();
                break;
            }
        }
        if (browserWs == null) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not open its DevTools port; it said:\n" + said);
        }
        Thread drain = new Thread(() -> {
            try {
                while (err.readLine() != null) {
                    // Chromium's own log lines (dbus, GPU): not the page's
                }
            } catch (IOException ignored) {
                // it exited
            }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        URI browser = URI.create(browserWs);
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String pageWs = null;
        for (JsonNode target : JSON.readTree(list)) {
            if ("page".equals(target.path("type").asText())) {
                pageWs = target.get("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (pageWs == null) {
            process.destroyForcibly();
            throw new AssertionError("Chromium has no page target: " + list);
        }
        Chromium[] self = new Chromium[1];
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    String text = message.toString();
                    message.setLength(0);
                    while (self[0] == null) {
                        Thread.onSpinWait();
                    }
                    self[0].received(text);
                }
                ws.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        Chromium chromium = new Chromium(process, socket);
        self[0] = chromium;
        chromium.send("Page.enable", null);
        chromium.send("Runtime.enable", null);
        chromium.send("Log.enable", null);
        chromium.send("Network.enable", null);
        return chromium;
    }

    private void received(String text) {
        try {
            JsonNode msg = JSON.readTree(text);
            if (msg.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                if (f != null) {
                    if (msg.has("error")) {
                        f.completeExceptionally(new AssertionError("DevTools error: " + msg.get("error")));
                    } else {
                        f.complete(msg.get("result"));
                    }
                }
                return;
            }
            String method = msg.path("method").asText();
            JsonNode p = msg.path("params");
            switch (method) {
                case "Page.loadEventFired":
                    loaded.complete(null);
                    break;
                case "Runtime.consoleAPICalled":
                    if (p.path("type").asText().equals("error")) {
                        errors.add("console.error: " + p.path("args"));
                    }
                    break;
                case "Runtime.exceptionThrown":
                    errors.add("exception: " + p.path("exceptionDetails"));
                    break;
                case "Log.entryAdded":
                    if (p.path("entry").path("level").asText().equals("error")) {
                        errors.add("log: " + p.path("entry").path("text").asText() + " "
                                + p.path("entry").path("url").asText());
                    }
                    break;
                case "Network.loadingFailed":
                    errors.add("load failed: " + p.path("errorText").asText());
                    break;
                default:
                    break;
            }
        } catch (IOException e) {
            errors.add("unreadable DevTools message: " + e);
        }
    }

    JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        if (params != null) {
            msg.set("params", params);
        }
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
        return f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Opens {@code url} and waits for its load event. */
    void navigate(String url) throws Exception {
        loaded = new CompletableFuture<>();
        ObjectNode p = JSON.createObjectNode();
        p.put("url", url);
        send("Page.navigate", p);
        loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The value of a JavaScript expression (JSON-serialisable), evaluated in the page. */
    JsonNode evaluate(String expression) throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.put("expression", expression);
        p.put("returnByValue", true);
        JsonNode r = send("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new AssertionError("the expression failed in the page: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** A PNG of the whole page, however long. */
    void screenshot(Path png) throws Exception {
        JsonNode metrics = send("Page.getLayoutMetrics", null);
        JsonNode size = metrics.has("cssContentSize") ? metrics.get("cssContentSize") : metrics.get("contentSize");
        ObjectNode p = JSON.createObjectNode();
        p.put("format", "png");
        p.put("captureBeyondViewport", true);
        ObjectNode clip = p.putObject("clip");
        clip.put("x", 0);
        clip.put("y", 0);
        clip.put("width", Math.max(1, size.get("width").asDouble()));
        clip.put("height", Math.max(1, size.get("height").asDouble()));
        clip.put("scale", 1);
        JsonNode r = send("Page.captureScreenshot", p);
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(r.get("data").asText()));
    }

    List<String> errors() {
        return new ArrayList<>(errors);
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // killed below anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
