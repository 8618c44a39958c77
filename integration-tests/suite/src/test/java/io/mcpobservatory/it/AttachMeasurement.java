package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Not a test: the measurement behind benchmarks/RESULTS.md ("Attach"). Runs only with {@code -Dit.measure.attach=true}.
 * A streamable HTTP server (SDK 2.1.0) started without the agent is called back to back by one client thread while the
 * command line attaches the agent. Measured: from the start of the attach command to the start of the first span; the
 * JVM's safepoint pauses (-Xlog:safepoint), in particular the RedefineClasses ones of the retransformation, and whether
 * that threw away all compiled code (-Xlog:redefine+class+nmethod); and the slowest call the client saw in the 3 s from
 * the attach command against its slowest in 3 s before. {@code -Dit.measure.runs} (5), {@code -Dit.measure.out},
 * {@code -Dit.measure.serverOptions} (extra JVM options of the server, space-separated) tune it.
 */
@EnabledIfSystemProperty(named = "it.measure.attach", matches = "true")
class AttachMeasurement {

    private static final int RUNS = Integer.getInteger("it.measure.runs", 5);
    private static final Pattern SAFEPOINT = Pattern.compile(
            "Safepoint \"([^\"]+)\".* Total: (\\d+) ns");
    private static final Pattern AGENT_LOG = Pattern.compile("started in (\\d+) ms, then retransformed (\\d+) loaded MCP"
            + " SDK classes in (\\d+) ms");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void attachLatencyAndPause(int jdk) throws Exception {
        String java = AttachTest.java(jdk);
        List<String> rows = new ArrayList<>();
        rows.add("| run | command wall ms | attach → first span ms | agent start ms | retransform ms (classes) "
                + "| RedefineClasses safepoints: count, max total ms | compiled code thrown away "
                + "| longest safepoint after the command ms (operation) "
                + "| slowest call before / during attach ms |");
        for (int run = 1; run <= RUNS; run++) {
            rows.add(measureOnce(java, run));
        }
        Path out = Path.of(System.getProperty("it.measure.out", "target/attach-measurement-jdk" + jdk + ".md"));
        Files.write(out, rows);
        System.out.println(String.join("\n", rows));
    }

    private String measureOnce(String java, int run) throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("run" + run + "-" + System.nanoTime()));
        Path safepoints = runDir.resolve("safepoint.log");
        Path spanFile = runDir.resolve("spans.jsonl");
        String classPath = Apps.classPath("2.1.0");
        List<String> command = new ArrayList<>(List.of(java,
                "-Xlog:safepoint=info,redefine+class+nmethod=debug:file=" + safepoints));
        String extra = System.getProperty("it.measure.serverOptions", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", classPath, Apps.SERVER, "streamable", "0"));
        try (ChildJvm server = ChildJvm.start(runDir, "server", command)) {
            String port = server.awaitLine("LISTENING ", Duration.ofSeconds(60)).substring("LISTENING ".length()).trim();
            try (DrivenClient client = DrivenClient.start(runDir, java, classPath, "streamable",
                    "http://127.0.0.1:" + port)) {
                for (int i = 0; i < 200; i++) {
                    client.send("call fast"); // warm the server's request path before measuring
                }
                client.send("loop fast");
                Thread.sleep(3000);
                String before = client.send("stop");
                client.send("loop fast");
                int safepointsBefore = Files.readAllLines(safepoints).size();
                Instant commandStart = Instant.now();
                Cli cli = Cli.runWith(runDir, java, "attach", Long.toString(server.process.pid()),
                        "--set", "observatory.jsonl.path=" + spanFile, "--set", "observatory.export.interval=100ms");
                assertEquals(0, cli.exitCode, cli.toString());
                while (!Files.exists(spanFile) || Files.size(spanFile) == 0) {
                    Thread.sleep(20);
                }
                Thread.sleep(Math.max(0, 3000 - Duration.between(commandStart, Instant.now()).toMillis()));
                String during = client.send("stop");
                client.quit();

                Instant firstSpan = Spans.read(spanFile).all.stream()
                        .map(s -> Instant.parse(Spans.text(s, "start_time"))).min(Instant::compareTo).orElseThrow();
                server.stop(Duration.ofSeconds(30));
                Matcher agent = AGENT_LOG.matcher(server.stderr());
                agent.find();
                String log = Files.readString(safepoints);
                String deoptimized = log.contains("Marked all nmethods") ? "all" : log.contains("Marked dependent")
                        ? "dependents only" : "?";
                return String.format(Locale.ROOT, "| %d | %d | %d | %s | %s (%s) | %s | %s | %s | %s / %s |", run,
                        cli.millis, Duration.between(commandStart, firstSpan).toMillis(), agent.group(1), agent.group(3),
                        agent.group(2), redefineSafepoints(safepoints), deoptimized,
                        longestSafepoint(safepoints, safepointsBefore),
                        before.split(" ")[3], during.split(" ")[3]);
            }
        }
    }

    private static String redefineSafepoints(Path log) throws Exception {
        int count = 0;
        double max = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher m = SAFEPOINT.matcher(line);
            if (m.find() && m.group(1).equals("RedefineClasses")) {
                count++;
                max = Math.max(max, Long.parseLong(m.group(2)) / 1e6);
            }
        }
        return String.format(Locale.ROOT, "%d, %.2f", count, max);
    }

    /** The longest safepoint from the attach command on (the lines the log had before are skipped). */
    private static String longestSafepoint(Path log, int skip) throws Exception {
        double max = 0;
        String operation = "-";
        for (String line : Files.readAllLines(log).subList(skip, Files.readAllLines(log).size())) {
            Matcher m = SAFEPOINT.matcher(line);
            if (m.find() && Long.parseLong(m.group(2)) / 1e6 > max) {
                max = Long.parseLong(m.group(2)) / 1e6;
                operation = m.group(1);
            }
        }
        return String.format(Locale.ROOT, "%.2f (%s)", max, operation);
    }
}
