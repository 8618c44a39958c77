package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans produced far faster than PostgreSQL takes them (a real stateless server's handler called in a tight loop from two
 * threads, a few hundred thousand requests a second): the application never waits, memory stays bounded (the JVM runs
 * in a 96 MB heap), and every span is accounted for exactly: recorded = exported + dropped, and exported = rows.
 */
class OverloadTest {

    private static final Pattern SUMMARY = Pattern.compile("(\\d+) spans recorded, (\\d+) exported to .*?, "
            + "(\\d+) dropped \\(buffer full\\), (\\d+) dropped \\(export failed\\)");

    @TempDir
    Path dir;

    @Test
    void overloadIsDroppedAndCountedExactly() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        try (ChildJvm app = ChildJvm.start(dir, "overload", Apps.javaCommand(true, List.of("-Xmx96m",
                "-Dobservatory.jdbc.url=" + url, "-Dobservatory.spool.max-bytes=0",
                "-Dobservatory.shutdown.timeout=30s"), Apps.classPath("2.1.0"), "io.mcpobservatory.it.app.OverloadApp",
                "3"))) {
            assertEquals(0, app.awaitExit(Duration.ofSeconds(120)), app.stdout() + app.stderr());
            long handled = Long.parseLong(app.stdout().trim().replace("HANDLED ", ""));
            Matcher summary = SUMMARY.matcher(app.stderr());
            assertTrue(summary.find(), app.stderr());
            long recorded = Long.parseLong(summary.group(1));
            long exported = Long.parseLong(summary.group(2));
            long droppedFull = Long.parseLong(summary.group(3));
            long droppedFailed = Long.parseLong(summary.group(4));
            assertEquals(handled, recorded, "one span per request");
            assertEquals(recorded, exported + droppedFull + droppedFailed, "every span accounted for");
            assertTrue(droppedFull > 0, "the producers outran the exporter: " + app.stderr());
            try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement();
                 ResultSet rs = sql.executeQuery("SELECT count(*) FROM mcp_spans")) {
                rs.next();
                assertEquals(exported, rs.getLong(1), "exported means in the table");
            }
        }
    }
}
