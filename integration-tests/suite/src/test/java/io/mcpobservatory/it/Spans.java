package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The spans a child JVM wrote as JSON lines, with the queries the tests make. */
final class Spans {

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> all;

    private Spans(List<JsonNode> all) {
        this.all = all;
    }

    /**
     * The spans of {@code file} once it holds {@code count} of them, or what it holds after {@link Scenario#TIMEOUT}: the
     * JVM that writes them may still be exporting or exiting (a stdio server is stopped by its client, its flush after).
     */
    static Spans await(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + Scenario.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file) && read(file).all.size() >= count) {
                break;
            }
            Thread.sleep(200);
        }
        return read(file);
    }

    static Spans read(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "no span file at " + file);
        List<JsonNode> spans = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                spans.add(JSON.readTree(line));
            }
        }
        return new Spans(spans);
    }

    List<JsonNode> where(Predicate<JsonNode> filter) {
        return all.stream().filter(filter).collect(Collectors.toList());
    }

    List<JsonNode> method(String method) {
        return where(s -> method.equals(text(s, "mcp_method")));
    }

    JsonNode tool(String tool) {
        List<JsonNode> found = where(s -> tool.equals(text(s, "tool_name")));
        assertEquals(1, found.size(), "spans of tool " + tool + ": " + found);
        return found.get(0);
    }

    Map<String, Long> countsByMethod() {
        return all.stream().collect(Collectors.groupingBy(s -> text(s, "mcp_method"), TreeMap::new,
                Collectors.counting()));
    }

    static String text(JsonNode span, String field) {
        JsonNode value = span.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    @Override
    public String toString() {
        return all.stream().map(JsonNode::toString).collect(Collectors.joining("\n"));
    }
}
