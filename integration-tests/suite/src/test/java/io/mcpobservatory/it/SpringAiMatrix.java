package io.mcpobservatory.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The cells of a Spring AI matrix test ("line transport": {@code 1.1 streamable}, {@code 1.0 webflux-sse}, from a
 * property), their outcomes in this JVM, and the README table written from them ({@link ReadmeTable}): a row per Spring
 * AI line, labelled with the versions its Boot jars really hold, a column per transport.
 */
final class SpringAiMatrix {

    /** A cell's transport with this prefix runs the line's WebFlux app. */
    static final String WEBFLUX = "webflux-";
    static final List<String> LINES = List.of("1.0", "1.1", "2.0");

    private final String table;
    private final String property;
    private final String defaults;
    private final Map<String, String> columns;
    /** "line transport" -> what the cell showed ("spans OK", ...), or null while it runs or when it failed. */
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Path> jars = new ConcurrentHashMap<>();

    /** {@code columns}: transport and heading, in order. */
    SpringAiMatrix(String table, String property, String defaults, String... columns) {
        this.table = table;
        this.property = property;
        this.defaults = defaults;
        this.columns = new LinkedHashMap<>();
        for (int i = 0; i < columns.length; i += 2) {
            this.columns.put(columns[i], columns[i + 1]);
        }
    }

    Stream<Arguments> cells() {
        return ReadmeTable.cells(property, defaults).stream().map(c -> Arguments.of(c[0], c[1]));
    }

    /**
     * Whether the line has the transport. Spring AI 1.0 carries SDK 0.10, which has neither streamable HTTP nor
     * stateless servers, and no streamable HTTP client.
     */
    static boolean has(String line, String transport) {
        return !line.equals("1.0") || transport.endsWith("sse") || transport.equals("stdio");
    }

    /** A cell starts: until {@link #passed}, it counts as failed. */
    void started(String line, String transport, Path jar) {
        outcomes.remove(line + " " + transport);
        jars.put(line + " " + transport, jar);
    }

    void passed(String line, String transport, String shown) {
        outcomes.put(line + " " + transport, shown);
    }

    /** The table of this run, into the README when every cell of every line passed. */
    void write(String command, String caption) throws IOException {
        boolean complete = true;
        StringBuilder out = new StringBuilder();
        out.append("Last run: ").append(LocalDate.now(ZoneOffset.UTC)).append(" (`").append(command).append("`, ")
                .append(System.getProperty("os.name")).append(", Java ").append(System.getProperty("java.version"))
                .append("): ").append(caption).append("\n\n");
        out.append("| Spring AI | ").append(String.join(" | ", columns.values())).append(" |\n");
        out.append("| --- |").append(" --- |".repeat(columns.size())).append('\n');
        for (String line : LINES) {
            List<String> cells = new ArrayList<>();
            List<Path> lineJars = new ArrayList<>();
            for (String transport : columns.keySet()) {
                String cell = line + " " + transport;
                String shown = outcomes.get(cell);
                if (!has(line, transport)) {
                    cells.add("(none)");
                    continue;
                }
                complete &= shown != null;
                cells.add(shown != null ? shown : jars.containsKey(cell) ? "FAILED" : "not run");
                if (jars.containsKey(cell)) {
                    lineJars.add(jars.get(cell));
                }
            }
            out.append("| ").append(line).append(versions(lineJars)).append(" | ").append(String.join(" | ", cells))
                    .append(" |\n");
        }
        ReadmeTable.write(table, out.toString(), complete);
    }

    /** " (Spring AI 1.1.2, Boot 3.5.7, SDK 0.17.0)" from the jars the line's cells ran, each version once. */
    private static String versions(List<Path> jars) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (Path jar : jars) {
            for (String[] artifact : new String[][] {{"Spring AI", "spring-ai-model"}, {"Boot", "spring-boot"},
                    {"SDK", "mcp-core"}, {"SDK", "mcp"}}) {
                String version = version(jar, artifact[1]);
                List<String> versions = found.computeIfAbsent(artifact[0], k -> new ArrayList<>());
                if (version != null && !versions.contains(version) && !(artifact[1].equals("mcp")
                        && !versions.isEmpty())) {
                    versions.add(version);
                }
            }
        }
        List<String> parts = new ArrayList<>();
        found.forEach((name, versions) -> {
            if (!versions.isEmpty()) {
                parts.add(name + " " + String.join(" / ", versions));
            }
        });
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    /** The version of {@code BOOT-INF/lib/<artifact>-<version>.jar} in a Boot jar, or null. */
    private static String version(Path jar, String artifact) {
        Pattern pattern = Pattern.compile("BOOT-INF/lib/" + Pattern.quote(artifact) + "-(\\d[^/]*)\\.jar");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(e -> pattern.matcher(e.getName())).filter(Matcher::matches).map(m -> m.group(1))
                    .findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
