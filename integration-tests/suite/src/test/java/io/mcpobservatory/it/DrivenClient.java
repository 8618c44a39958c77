package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM driven one command at a time through its stdin, that says {@code READY} once started and answers each
 * command with one line starting {@code OK <command>}: the test apps' PhasedClient, or a test's own small app.
 */
final class DrivenClient implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 60;
    /** READY may take long: a server the client starts over stdio may be a Spring Boot app (SpringAiServerTest). */
    private static final long START_TIMEOUT_SECONDS = 240;

    final Process process;
    final Path stderr;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private DrivenClient(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the client is gone; the next expect() says so
            }
        }, "driven-client-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts PhasedClient with {@code java} and {@code args} (transport and server), and waits for its READY. */
    static DrivenClient start(Path dir, String java, String classPath, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", classPath, Apps.PHASED_CLIENT));
        command.addAll(List.of(args));
        return start(dir, "client", command);
    }

    /**
     * What a PhasedClient connects to, over {@code transport}: over stdio the client starts the test server itself (its
     * command line goes into the client's arguments, {@code server} is null); over HTTP the server runs in a child JVM
     * of its own, started here, for the caller to stop.
     */
    record Target(ChildJvm server, List<String> clientArgs) {
        static Target of(Path dir, String transport, List<String> serverOptions, String classPath) throws Exception {
            List<String> clientArgs = new ArrayList<>(List.of(transport));
            if (transport.equals("stdio")) {
                clientArgs.addAll(Apps.javaCommand(true, serverOptions, classPath, Apps.SERVER, "stdio"));
                return new Target(null, clientArgs);
            }
            ChildJvm server = ChildJvm.start(dir, "server", Apps.javaCommand(true, serverOptions, classPath,
                    Apps.SERVER, transport, "0"));
            String port = server.awaitLine("LISTENING ", Scenario.TIMEOUT).substring("LISTENING ".length()).trim();
            clientArgs.add("http://127.0.0.1:" + port);
            return new Target(server, clientArgs);
        }

        String[] clientArgsArray() {
            return clientArgs.toArray(new String[0]);
        }
    }

    /** Starts {@code command} (stderr to {@code <name>.err} in {@code dir}) and waits for its READY. */
    static DrivenClient start(Path dir, String name, List<String> command) throws Exception {
        Path err = dir.resolve(name + ".err");
        Process process = Apps.process(command).directory(dir.toFile()).redirectError(err.toFile()).start();
        DrivenClient client = new DrivenClient(process, err);
        try {
            client.expect("READY", START_TIMEOUT_SECONDS);
        } catch (Throwable e) {
            client.close(); // not returned, so no try-with-resources will: the client and the server it started
            throw e;
        }
        return client;
    }

    /** Sends one command and returns its answer, which must be OK. */
    String send(String command) throws Exception {
        String answer = answer(command);
        assertTrue(answer.startsWith("OK " + command), "answer to '" + command + "': " + answer + "\n" + stderr());
        return answer;
    }

    /** Sends one command and returns its answer, {@code OK ...} or {@code ERR ...}. */
    String answer(String command) throws Exception {
        commands.write(command + "\n");
        commands.flush();
        return expect("", TIMEOUT_SECONDS);
    }

    private String expect(String prefix, long timeoutSeconds) throws Exception {
        String line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (line == null || !line.startsWith(prefix)) {
            throw new AssertionError("client said '" + line + "', expected '" + prefix + "...'\nstderr:\n" + stderr());
        }
        return line;
    }

    String stderr() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    /** Ends the session and waits for the client to exit. */
    void quit() throws Exception {
        commands.write("quit\n");
        commands.flush();
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "client did not exit\n" + stderr());
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
