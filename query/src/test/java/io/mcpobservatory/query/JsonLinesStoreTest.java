package io.mcpobservatory.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesStoreTest extends StoreContract {

    @TempDir
    static Path dir;
    static JsonLinesStore store;

    @BeforeAll
    static void write() throws Exception {
        DATA.writeJsonLines(dir.resolve("mcp-observatory"));
        store = new JsonLinesStore(dir);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Override
    Store store() {
        return store;
    }

    @Test
    void healthIsEachServicesLatestSpan() {
        Queries q = queries();
        Table t = q.health(q.window("24h"), 10);
        assertEquals(java.util.List.of("billing", "search-svc"), columnText(t, "service"));
        assertTrue(t.number(0, "seen_ago_s") >= 0);
        assertThrows(QueryException.class, () -> q.alerts(q.window("1h"), false, 10), "no alerts in JSON lines");
    }

    @Test
    void filesThatChangeAreReadAgainAndRotationsCount() throws Exception {
        Path other = Files.createTempDirectory(dir, "live");
        Path file = other.resolve("spans.jsonl");
        String line = Files.readAllLines(dir.resolve("mcp-observatory/spans.jsonl")).get(0);
        Files.writeString(file, line + "\n");
        try (JsonLinesStore live = new JsonLinesStore(other, java.time.Duration.ZERO)) {
            Queries q = new Queries(live, java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
            assertEquals(1L, count(q));
            Files.writeString(file, line + "\n", StandardOpenOption.APPEND);
            assertEquals(2L, count(q), "an appended line is seen at the next query");
            Files.writeString(other.resolve("spans.jsonl.1"), line + "\n" + line + "\n");
            assertEquals(4L, count(q), "a rotated file counts too");
            assertEquals(4L, live.loadStats()[0]);
        }
        try (JsonLinesStore empty = new JsonLinesStore(Files.createTempDirectory(dir, "empty"))) {
            Queries q = new Queries(empty, java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
            assertTrue(q.toolStats(q.window("1h"), Filter.NONE, "calls", 10).isEmpty(), "no file yet: no rows");
        }
        assertThrows(QueryException.class, () -> new JsonLinesStore(dir.resolve("no-such-dir")));
    }

    private static long count(Queries q) {
        Table t = q.toolStats(q.window("90d"), new Filter(null, null, null, null, "any"), "calls", 100);
        long n = 0;
        for (int i = 0; i < t.size(); i++) {
            n += (long) t.number(i, "calls");
        }
        return n;
    }

    @Test
    void theColumnsAreTheAgentsSpanFields() {
        java.util.List<String> agent = new java.util.ArrayList<>();
        for (io.mcpobservatory.export.SpanSchema.Field f : io.mcpobservatory.export.SpanSchema.FIELDS) {
            agent.add(f.name);
            String type = JsonLinesStore.COLUMNS.get(f.name);
            String expected;
            switch (f.type) {
                case TIMESTAMP: expected = "TIMESTAMPTZ"; break;
                case MILLIS: case DECIMAL: expected = "DOUBLE"; break;
                case COUNT: expected = "BIGINT"; break;
                case SMALL_COUNT: expected = "INTEGER"; break;
                case FLAG: expected = "BOOLEAN"; break;
                case JSON_OBJECT: expected = "JSON"; break;
                default: expected = "VARCHAR"; break;
            }
            assertEquals(expected, type, f.name);
        }
        assertEquals(new java.util.TreeSet<>(agent), new java.util.TreeSet<>(JsonLinesStore.COLUMNS.keySet()),
                "every span field the agent writes, and no other");
    }
}
