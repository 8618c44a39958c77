package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpobservatory.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent writes for a fixed scenario, field by field, compared with a reviewed copy kept in
 * {@code src/test/resources/golden/}: the JSON lines of a traced client and server (the scenario with sampling, a 5 M
 * character result and caller-set trace context), and the {@code mcp_spans} rows of the same scenario. Values that differ
 * from run to run (ids, times, durations, session ids) are left out; the trace's shape stays, as each span's parent name.
 *
 * <p>A change of what is recorded fails here with the differing lines; when the change is meant, rerun with
 * {@code -Dit.golden.update=true} and review the diff of the golden files like code.
 */
class GoldenSpansTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Different in every run: ids, clocks, the session id the server makes up, the request ids the client makes up. */
    private static final Set<String> VOLATILE = Set.of("trace_id", "span_id", "parent_span_id", "start_time",
            "end_time", "duration_ms", "session_id", "jsonrpc_request_id", "agent_id");

    @TempDir
    Path dir;

    @Test
    void jsonLinesOfClientAndServer() throws Exception {
        Scenario run = Scenario.runTracedExtra(dir, "2.1.0", "streamable");
        List<JsonNode> spans = new ArrayList<>(run.spans().all);
        spans.addAll(run.clientSpans().all);
        assertGolden("jsonl-2.1.0-streamable.txt", normalize(spans));
    }

    @Test
    void postgresRows() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        Scenario.runExtra(dir, "2.1.0", "streamable", "-Dobservatory.jdbc.url=" + url);
        List<JsonNode> rows = new ArrayList<>();
        try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT * FROM mcp_spans")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                ObjectNode row = JSON.createObjectNode();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    String column = meta.getColumnName(i);
                    if (value == null) {
                        row.putNull(column);
                    } else if (column.equals("attributes")) {
                        row.set(column, JSON.readTree(value.toString()));
                    } else if (value instanceof Number || value instanceof Boolean) {
                        row.set(column, JSON.valueToTree(value));
                    } else {
                        row.put(column, value.toString());
                    }
                }
                rows.add(row);
            }
        }
        assertGolden("postgres-2.1.0-streamable.txt", normalize(rows, "span_id", "parent_span_id"));
    }

    /** JSON-lines spans: hex ids. */
    private static List<String> normalize(List<JsonNode> spans) {
        return normalize(spans, "span_id", "parent_span_id");
    }

    /**
     * One line per span, its fields in a fixed order minus the volatile ones, plus {@code parent} (the parent span's
     * name, or "-" for a root, or "remote" for a parent outside these spans); sorted.
     */
    private static List<String> normalize(List<JsonNode> spans, String idField, String parentField) {
        Map<String, String> names = new HashMap<>();
        for (JsonNode span : spans) {
            names.put(span.get(idField).asText(), span.get("kind").asText() + " " + span.get("name").asText());
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode span : spans) {
            ObjectNode out = JSON.createObjectNode();
            JsonNode parent = span.get(parentField);
            out.put("parent", parent == null || parent.isNull() ? "-" : names.getOrDefault(parent.asText(), "remote"));
            List<String> fields = new ArrayList<>();
            span.fieldNames().forEachRemaining(fields::add);
            fields.sort(null);
            for (String field : fields) {
                if (!VOLATILE.contains(field)) {
                    out.set(field, span.get(field));
                }
            }
            lines.add(out.toString());
        }
        lines.sort(null);
        return lines;
    }

    private void assertGolden(String name, List<String> actual) throws IOException {
        Path written = Path.of("target", "golden", name);
        Files.createDirectories(written.getParent());
        Files.write(written, actual, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("it.golden.update")) {
            Path source = Path.of("src", "test", "resources", "golden", name);
            Files.createDirectories(source.getParent());
            Files.write(source, actual, StandardCharsets.UTF_8);
            return;
        }
        List<String> expected;
        try (InputStream in = GoldenSpansTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new AssertionError("no golden file " + name + "; run with -Dit.golden.update=true to create it"
                        + " from " + written.toAbsolutePath());
            }
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        if (!expected.equals(actual)) {
            StringBuilder diff = new StringBuilder("spans differ from golden/" + name + " (actual in "
                    + written.toAbsolutePath() + "):\n");
            for (String line : expected) {
                if (!actual.contains(line)) {
                    diff.append("- ").append(line).append('\n');
                }
            }
            for (String line : actual) {
                if (!expected.contains(line)) {
                    diff.append("+ ").append(line).append('\n');
                }
            }
            assertEquals(expected.size() + " spans", actual.size() + " spans", diff.toString());
            throw new AssertionError(diff.toString());
        }
    }
}
