package io.mcpobservatory.export.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.export.SpanSchema;
import io.mcpobservatory.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The span's exported fields are defined once ({@link SpanSchema}); the table they land in is made by the shipped
 * migrations. Here the exporter migrates an empty schema and writes a span, and the columns of {@code mcp_spans} must be
 * exactly the schema's fields (name, type, nullability) plus the agent id: a field added without its migration, or a
 * migration that changes a column the writers do not know, fails here.
 */
class SpanSchemaTest {

    @TempDir
    Path dir;

    @Test
    void migratedColumnsAreExactlyTheSpanSchema() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        PostgresExporter exporter = new PostgresExporter(new PostgresTarget(url, null, null, true, 30,
                UUID.randomUUID(), "schema-test", ProcessHandle.current().pid(), "test", "17", dir.resolve("spool"),
                0, 1));
        Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        span.toolName = "t";
        span.end();
        exporter.export(List.of(span)); // migrates, then writes the row through the same COPY the agent uses
        exporter.close();

        List<String> expected = new ArrayList<>();
        for (SpanSchema.Field field : SpanSchema.FIELDS) {
            expected.add(field.name + " " + field.type.sqlType + (field.required ? " NOT NULL" : ""));
        }
        expected.add("agent_id uuid NOT NULL");
        expected.sort(null);

        List<String> actual = new ArrayList<>();
        try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT column_name, data_type, is_nullable FROM information_schema.columns"
                     + " WHERE table_schema = current_schema() AND table_name = 'mcp_spans'")) {
            while (rs.next()) {
                actual.add(rs.getString(1) + " " + rs.getString(2) + ("NO".equals(rs.getString(3)) ? " NOT NULL" : ""));
            }
            actual.sort(null);
            assertEquals(String.join("\n", expected), String.join("\n", actual),
                    "mcp_spans as migrated vs SpanSchema (+ agent_id)");
            try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM mcp_spans WHERE tool_name = 't'")) {
                rows.next();
                assertEquals(1, rows.getInt(1));
            }
        }
    }
}
