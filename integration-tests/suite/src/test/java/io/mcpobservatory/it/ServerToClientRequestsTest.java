package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server-to-client requests besides sampling, each on its own: a tool asks the user through the client
 * ({@code elicitation/create}) and lists the client's roots ({@code roots/list}); client and server both run with the
 * agent. One trace each: the client's tools/call -> the server's tools/call -> the server's request (kind client) -> the
 * client's handling of it (kind server). And {@code logging/setLevel}, whose request record has no {@code _meta}
 * component in any release: the server span still has the client's span as parent (the agent sends the record's fields
 * as a map with {@code _meta}). On the oldest and a current release (elicitation exists from 0.11.0), over streamable
 * HTTP (the same SDK session code serves stdio, where ClientSpansTest follows sampling).
 */
class ServerToClientRequestsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"2.1.0,streamable", "0.11.0,streamable"})
    void elicitationAndRootsAreInsideTheToolCallsTrace(String sdk, String transport) throws Exception {
        Scenario run = Scenario.runTraced(dir, sdk, transport, List.of("-Dit.client.clientRequests=true"),
                "-Dit.server.clientRequests=true");
        assertTrue(run.clientStdout.contains("STEP call:ask_user OK isError=false text=ACCEPT:Paris"), run.clientStdout);
        assertTrue(run.clientStdout.contains("STEP call:list_roots OK isError=false text=file:///work/it-root"),
                run.clientStdout);
        Spans client = run.clientSpans();
        Spans server = run.spans();
        for (String[] pair : new String[][] {{"ask_user", "elicitation/create"}, {"list_roots", "roots/list"}}) {
            JsonNode askOut = ClientSpansTest.assertAskedInsideToolCall(client, server, pair[0], pair[1]);
            assertEquals("ok", Spans.text(askOut, "status"), askOut.toString());
            JsonNode askIn = ClientSpansTest.only(client.where(s -> pair[1].equals(Spans.text(s, "name"))));
            assertEquals("ok", Spans.text(askIn, "status"), askIn.toString());
        }

        JsonNode setLevelOut = ClientSpansTest.only(client.method("logging/setLevel"));
        JsonNode setLevelIn = ClientSpansTest.only(server.method("logging/setLevel"));
        assertEquals(Spans.text(setLevelOut, "trace_id"), Spans.text(setLevelIn, "trace_id"));
        assertEquals(Spans.text(setLevelOut, "span_id"), Spans.text(setLevelIn, "parent_span_id"),
                "a request record without meta still carries the trace");
    }
}
