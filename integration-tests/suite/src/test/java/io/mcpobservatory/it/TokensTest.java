package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.mcpobservatory.it.app.TestClient;
import io.mcpobservatory.it.app.TestPayloads;
import io.mcpobservatory.it.app.TestServer;
import io.mcpobservatory.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens and cost of real MCP exchanges, in {@code mcp_spans}: tool results and arguments, a resource, the tool catalog,
 * a sampling request the server sends the client's model, and a 5 M character tool result (estimated within 5%). The
 * expected counts come from JTokkit itself, here in the test, on the very texts the server and client exchanged.
 */
class TokensTest {

    private static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    @TempDir
    Path dir;

    private static long tokens(String text) {
        return O200K.countTokensOrdinary(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"streamable", "stdio"})
    void tokensAndCostOfEveryKindOfExchange(String transport) throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        Scenario run = Scenario.runExtra(dir, "2.1.0", transport, "-Dobservatory.jdbc.url=" + url,
                "-Dobservatory.model=gpt-4.1", "-Dobservatory.pricing.gpt-4.1.input-per-mtok=2.5",
                "-Dobservatory.debug=true");
        assertTrue(run.clientStdout.contains("STEP call:ask_model OK isError=false text="
                + TestClient.SAMPLING_MODEL + ": " + TestClient.SAMPLING_ANSWER), run.clientStdout);
        assertTrue(run.clientStdout.contains("STEP call:big OK chars=" + TestClient.BIG_CHARS), run.clientStdout);

        Map<String, Object[]> rows = new HashMap<>();
        try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT name, kind, prompt_tokens, completion_tokens, cost_usd, model, "
                     + "attributes->>'tokens_estimated' FROM mcp_spans WHERE prompt_tokens IS NOT NULL "
                     + "OR completion_tokens IS NOT NULL")) {
            while (rs.next()) {
                rows.put(rs.getString(1), new Object[] {rs.getString(2), rs.getObject(3), rs.getObject(4),
                        rs.getObject(5), rs.getString(6), rs.getString(7)});
            }
        }

        // tools/call fast: the result text in, the arguments JSON out; gpt-4.1 with the configured input price
        Object[] fast = rows.get("tools/call fast");
        assertNotNull(fast, rows.keySet().toString());
        long in = tokens("fast:hi");
        long out = tokens("{\"text\":\"hi\"}");
        assertEquals(in, ((Number) fast[1]).longValue());
        assertEquals(out, ((Number) fast[2]).longValue());
        assertEquals("gpt-4.1", fast[4]);
        assertEquals(in * 2.5 / 1e6 + out * 8.0 / 1e6, ((Number) fast[3]).doubleValue(), 1e-12);

        Object[] resource = rows.get("resources/read");
        assertEquals(tokens("MCP Observatory test resource"), ((Number) resource[1]).longValue());

        Object[] catalog = rows.get("tools/list");
        assertTrue(((Number) catalog[1]).longValue() > 100, "the catalog: 7 tools with their schemas");
        // over stdio the server's stderr reaches us through the client, which stops relaying before the server's exit
        boolean serverExitSeen = !transport.equals("stdio");
        if (serverExitSeen) {
            assertTrue(run.serverStderr.contains("tool catalog (tools/list): " + catalog[1] + " tokens"),
                    run.serverStderr);
        }

        // sampling: a model call the server makes through its client, priced with the model that answered
        Object[] sampling = rows.get("sampling/createMessage");
        assertNotNull(sampling, rows.keySet().toString());
        assertEquals("client", sampling[0]);
        long prompt = tokens(TestServer.SAMPLING_SYSTEM_PROMPT) + tokens(TestServer.SAMPLING_QUESTION);
        long completion = tokens(TestClient.SAMPLING_ANSWER);
        assertEquals(prompt, ((Number) sampling[1]).longValue());
        assertEquals(completion, ((Number) sampling[2]).longValue());
        assertEquals(TestClient.SAMPLING_MODEL, sampling[4]);
        assertEquals(prompt * 3.0 / 1e6 + completion * 15.0 / 1e6, ((Number) sampling[3]).doubleValue(), 1e-12,
                "claude-sonnet-4-5's price (the dated suffix removed)");

        // 5 M characters: sampled on the request thread, extrapolated, marked estimated, within 5%
        Object[] big = rows.get("tools/call big");
        long exact = tokens(TestPayloads.bigText(TestClient.BIG_CHARS));
        long estimated = ((Number) big[1]).longValue();
        assertEquals("true", big[5]);
        assertTrue(Math.abs(estimated - exact) <= 0.05 * exact, "estimated " + estimated + ", exact " + exact);
        assertEquals(null, fast[5], "small payloads are counted exactly");

        // the per-tool view sums them; no counting ever ran on an application thread
        try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT sum(prompt_tokens), sum(completion_tokens) "
                     + "FROM mcp_tool_stats_hourly WHERE tool_name = 'fast'")) {
            rs.next();
            assertEquals(in, rs.getLong(1));
            assertEquals(out, rs.getLong(2));
        }
        if (serverExitSeen) {
            assertTrue(run.serverStderr.contains("tokens were counted on threads [mcp-observatory-drainer]"),
                    run.serverStderr);
        }
    }
}
