package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpobservatory.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content capture and masking, end to end: a real SDK 2.1.0 server with the test's privacy tools ({@code profile},
 * {@code profile_fail}: an e-mail, a Luhn-valid card, a password field and a bearer token go in and come back), driven by a
 * real SDK client, both with the agent. With {@code observatory.capture.content=true}, the {@code tools/call} spans carry
 * the arguments and the result with every one of those values replaced by its marker and the rest intact, in the JSON
 * lines and in {@code mcp_spans}; with capture off (the default), no argument or result text is stored anywhere, and the
 * error message that quotes the e-mail is masked either way. With {@code observatory.privacy.hash-ids=true} session ids
 * are stored as keyed hashes.
 */
class PrivacyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SDK = "2.1.0";
    /** What the profile tool is called with (PrivacyTools.PROFILE in the test apps): none of it may be stored. */
    private static final List<String> SECRETS = List.of("ada.lovelace@example.org", "4111 1111 1111 1111",
            "4111 1111", "1111 1111 1111", "correct horse battery staple", "eyJhbGciOiJIUzI1NiJ9", "c2lnbmF0dXJlLXZhbHVl");

    @TempDir
    Path dir;

    @Test
    void capturedContentIsMaskedInTheJsonLinesOfBothSides() throws Exception {
        Path serverSpans = dir.resolve("spans/spans.jsonl");
        Path clientSpans = dir.resolve("client-spans/spans.jsonl");
        drive("stdio", true, List.of("-Dobservatory.jsonl.path=" + serverSpans), clientSpans);

        for (Path file : List.of(serverSpans, clientSpans)) {
            assertNoSecret(Files.readString(file), file.toString());
            Spans spans = Spans.read(file);
            JsonNode profile = spans.tool("profile");
            JsonNode arguments = JSON.readTree(Spans.text(profile, "tool_arguments"));
            assertEquals("ada", arguments.get("user").asText(), "what is not personal stays: " + arguments);
            assertMarked(arguments.get("email").asText(), "email");
            assertMarked(arguments.get("card").asText(), "card");
            assertTrue(arguments.get("password").asText().startsWith("[REDACTED:"), arguments.toString());
            assertTrue(arguments.get("note").asText().startsWith("call me with "), arguments.toString());
            String result = Spans.text(profile, "tool_result");
            assertTrue(result.startsWith("saved the profile of ada: write to [REDACTED:"), result);
            assertTrue(result.contains("charge card [REDACTED:"), result);
            assertMaskedErrorMessage(Spans.text(spans.tool("profile_fail"), "error_message"));
            // other spans carry no content
            for (JsonNode span : spans.where(s -> !"tools/call".equals(Spans.text(s, "mcp_method")))) {
                assertNull(Spans.text(span, "tool_arguments"), span.toString());
            }
        }
    }

    @Test
    void capturedContentIsMaskedInMcpSpans() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        drive("streamable", true, List.of("-Dobservatory.jdbc.url=" + url, "-Dobservatory.privacy.hash-ids=true",
                "-Dobservatory.privacy.salt=it-deployment"), dir.resolve("client-spans/spans.jsonl"));
        try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement()) {
            assertNoSecret(allRows(sql), "mcp_spans");
            // hash-ids: every session id is a keyed hash, and the session's spans still share it
            try (ResultSet rs = sql.executeQuery("SELECT count(session_id), count(*) FILTER (WHERE session_id ~ "
                    + "'^sha256:[0-9a-f]{64}$'), count(DISTINCT session_id) FROM mcp_spans")) {
                rs.next();
                assertTrue(rs.getLong(1) >= 4, "spans with a session: " + rs.getLong(1));
                assertEquals(rs.getLong(1), rs.getLong(2), "every session id hashed");
                assertEquals(1, rs.getLong(3), "one session, one hash");
            }
            try (ResultSet rs = sql.executeQuery("SELECT tool_arguments, tool_result FROM mcp_spans "
                    + "WHERE tool_name = 'profile'")) {
                assertTrue(rs.next());
                JsonNode arguments = JSON.readTree(rs.getString(1));
                assertEquals("ada", arguments.get("user").asText(), arguments.toString());
                assertMarked(arguments.get("email").asText(), "email");
                assertTrue(rs.getString(2).startsWith("saved the profile of ada: write to [REDACTED:"),
                        rs.getString(2));
            }
            try (ResultSet rs = sql.executeQuery("SELECT error_message FROM mcp_spans "
                    + "WHERE tool_name = 'profile_fail'")) {
                assertTrue(rs.next());
                assertMaskedErrorMessage(rs.getString(1));
            }
        }
    }

    @Test
    void withoutCaptureNoContentIsStoredAnywhere() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        Path clientSpans = dir.resolve("client-spans/spans.jsonl");
        drive("streamable", false, List.of("-Dobservatory.jdbc.url=" + url), clientSpans);
        try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement()) {
            assertNoSecret(allRows(sql), "mcp_spans");
            try (ResultSet rs = sql.executeQuery("SELECT count(*), count(tool_arguments), count(tool_result) "
                    + "FROM mcp_spans")) {
                rs.next();
                assertTrue(rs.getLong(1) >= 5, "spans were written");
                assertEquals(0, rs.getLong(2));
                assertEquals(0, rs.getLong(3));
            }
        }
        String clientLines = Files.readString(clientSpans);
        assertNoSecret(clientLines, "client spans");
        assertFalse(clientLines.contains("\"tool_arguments\":\"") || clientLines.contains("\"tool_result\":\""),
                clientLines);
        assertMaskedErrorMessage(Spans.text(Spans.read(clientSpans).tool("profile_fail"), "error_message"));
    }

    /** Initializes, calls profile and profile_fail, lists tools, quits; both sides with the agent. */
    private void drive(String transport, boolean capture, List<String> serverExport, Path clientSpans)
            throws Exception {
        List<String> serverOptions = new ArrayList<>(serverExport);
        serverOptions.addAll(List.of("-Dit.server.privacy=true", "-Dobservatory.export.interval=100ms",
                "-Dobservatory.capture.content=" + capture));
        List<String> clientOptions = List.of("-Dobservatory.jsonl.path=" + clientSpans,
                "-Dobservatory.export.interval=100ms", "-Dobservatory.capture.content=" + capture);
        String classPath = Apps.classPath(SDK);
        DrivenClient.Target target = DrivenClient.Target.of(dir, transport, serverOptions, classPath);
        ChildJvm server = target.server();
        try (DrivenClient client = DrivenClient.start(dir, "client", Apps.javaCommand(true, clientOptions, classPath,
                Apps.PHASED_CLIENT, target.clientArgsArray()))) {
            String profile = client.send("call profile");
            assertTrue(profile.contains("write to ada.lovelace@example.org"), "the tool itself sees its data: " + profile);
            assertTrue(client.answer("call profile_fail").startsWith("ERR "));
            client.send("list");
            client.quit();
        } finally {
            if (server != null) {
                server.stop(Duration.ofSeconds(30)); // flushes its spans
                server.close();
            }
        }
    }

    private static String allRows(Statement sql) throws Exception {
        StringBuilder rows = new StringBuilder();
        try (ResultSet rs = sql.executeQuery("SELECT row_to_json(s)::text FROM mcp_spans s")) {
            while (rs.next()) {
                rows.append(rs.getString(1)).append('\n');
            }
        }
        assertTrue(rows.length() > 0, "no rows");
        return rows.toString();
    }

    private static void assertNoSecret(String stored, String where) {
        for (String secret : SECRETS) {
            assertFalse(stored.contains(secret), "'" + secret + "' is stored in " + where + ":\n" + stored);
        }
    }

    private static void assertMarked(String value, String kind) {
        assertEquals("[REDACTED:" + kind + "]", value);
    }

    private static void assertMaskedErrorMessage(String message) {
        assertTrue(message != null && message.contains("no account for [REDACTED:"), String.valueOf(message));
    }
}
