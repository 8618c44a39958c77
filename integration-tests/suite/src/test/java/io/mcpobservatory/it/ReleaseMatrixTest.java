package io.mcpobservatory.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The release matrix: {@link ServerSpansTest}'s scenario and checks on every MCP SDK release of {@code it.matrix.releases}
 * over every transport of {@code it.matrix.transports} the release has: the SDK's own servlet and stdio transports, and
 * the Spring transports it published before 1.0 ({@code mcp-spring-webflux}, {@code mcp-spring-webmvc}: a release has
 * them when its test app module has the {@code webflux-stack} / {@code webmvc-stack} file). The default build runs
 * the releases its other tests do not (the oldest and the newest); {@code -Pmatrix} runs every release. Each of the
 * README's two tables (servlet and stdio transports; Spring transports) is rewritten, between its markers, from the
 * outcomes with the date of the run, when every one of its cells ran and passed: a failed or partial run never
 * touches it.
 */
class ReleaseMatrixTest {

    /** A generated table ({@link ReadmeTable}): its columns (the test server's modes) with their headings. */
    private record Table(String name, Map<String, String> columns, boolean preOneOnly) {
    }

    private static final Table SDK_TRANSPORTS = new Table("release-matrix", columns(
            "stdio", "stdio", "sse", "HTTP+SSE", "streamable", "streamable HTTP", "stateless", "stateless HTTP"), false);
    /** The SDK's Spring transports, published for 0.x releases only (Spring AI carries them from 1.0). */
    private static final Table SPRING_TRANSPORTS = new Table("release-matrix-spring", columns(
            "webflux-sse", "WebFlux SSE", "webflux-streamable", "WebFlux streamable", "webflux-stateless",
            "WebFlux stateless", "webmvc-sse", "WebMvc SSE", "webmvc-streamable", "WebMvc streamable", "webmvc-stateless",
            "WebMvc stateless"), true);
    private static final List<Table> TABLES = List.of(SDK_TRANSPORTS, SPRING_TRANSPORTS);

    /** "release transport" -> passed or not, for the cells run in this JVM. */
    private static final Map<String, Boolean> OUTCOMES = new ConcurrentHashMap<>();

    static List<String> releases() {
        return list(System.getProperty("it.matrix.releases", "0.11.0,2.2.0"));
    }

    /** The transports to run ({@code it.matrix.transports}), each a column of one of the tables. */
    static List<String> transports() {
        return list(System.getProperty("it.matrix.transports", String.join(",", SDK_TRANSPORTS.columns.keySet())));
    }

    static Stream<Arguments> cells() {
        return releases().stream().flatMap(release -> transports().stream().filter(t -> has(release, t))
                .map(t -> Arguments.of(release, t)));
    }

    @ParameterizedTest(name = "SDK {0} over {1}")
    @Execution(ExecutionMode.CONCURRENT) // cells are independent: two at a time, like the classes
    @MethodSource("cells")
    void spansOnEveryReleaseAndTransport(String sdk, String transport, @TempDir Path dir) throws Exception {
        OUTCOMES.put(sdk + " " + transport, false);
        ServerSpansTest.assertScenarioSpans(Scenario.run(dir, sdk, transport), sdk, transport);
        OUTCOMES.put(sdk + " " + transport, true);
    }

    /** Whether the release has the transport: always for its own, when it published the stack for a Spring one. */
    static boolean has(String release, String transport) {
        int dash = transport.indexOf('-');
        return dash < 0 || Files.isRegularFile(Apps.appsDir().resolve("sdk-" + release)
                .resolve(transport.substring(0, dash) + "-stack"));
    }

    @AfterAll
    static void writeTables() throws IOException {
        for (Table table : TABLES) {
            List<String> rows = releases().stream().filter(r -> !table.preOneOnly || r.startsWith("0.")).toList();
            if (rows.isEmpty() || table.columns.keySet().stream().noneMatch(transports()::contains)) {
                continue;
            }
            boolean complete = rows.stream().allMatch(r -> table.columns.keySet().stream()
                    .allMatch(t -> !has(r, t) || Boolean.TRUE.equals(OUTCOMES.get(r + " " + t))));
            ReadmeTable.write(table.name, table(table, rows), complete);
        }
    }

    private static String table(Table table, List<String> releases) {
        StringBuilder out = new StringBuilder();
        // the whole matrix, or this table's transports alone
        String command = transports().containsAll(SDK_TRANSPORTS.columns.keySet()) ? "mvn -B verify -Pmatrix"
                : "mvn -B verify -Pmatrix -Dit.matrix.transports=" + String.join(",", table.columns.keySet());
        out.append("Last run: ").append(LocalDate.now(ZoneOffset.UTC)).append(" (`").append(command).append("`, ")
                .append(System.getProperty("os.name")).append(", Java ").append(System.getProperty("java.version"))
                .append("): each cell is the scenario of `ServerSpansTest`, server and client on that release")
                .append(table == SDK_TRANSPORTS ? ".\n\n" : "; \"not published\": the release has no such artifact.\n\n");
        out.append("| release | ").append(String.join(" | ", table.columns.values())).append(" |\n");
        out.append("| --- |").append(" --- |".repeat(table.columns.size())).append('\n');
        for (String release : releases) {
            out.append("| ").append(release).append(" |");
            for (String transport : table.columns.keySet()) {
                Boolean passed = OUTCOMES.get(release + " " + transport);
                String cell = !has(release, transport) ? "not published"
                        : passed == null ? "not run" : passed ? "spans OK" : "FAILED";
                out.append(' ').append(cell).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static Map<String, String> columns(String... keysAndHeadings) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < keysAndHeadings.length; i += 2) {
            columns.put(keysAndHeadings[i], keysAndHeadings[i + 1]);
        }
        return columns;
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }
}
