package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A session's end on every transport, as the exit summaries of both sides show it (the same records feed the
 * {@code mcp_*_session_duration_seconds} histograms; MetricsEndpointTest scrapes those on stdio and streamable HTTP).
 * Client and server run with the agent; the client closes gracefully, then the server is stopped (SIGTERM).
 * <ul>
 *   <li>stdio: the client's close ends the server's input, whose transport closes the session (the server's summary
 *   is not checked here: it reaches the client's stderr only if the client has not exited yet);</li>
 *   <li>streamable HTTP: the client's close sends DELETE: ended, not at exit;</li>
 *   <li>HTTP+SSE: the client's close only drops its event stream, which the SDK's servlet transport does not watch,
 *   so the server's session ends when the server closes (its shutdown hook) or at the agent's exit: one session either
 *   way;</li>
 *   <li>stateless HTTP: no session, no line.</li>
 * </ul>
 * The client's session ends at its close on every transport.
 */
class SessionLifecycleTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"stdio,stdio,", "streamable,streamable_http,false", "sse,sse,true", "stateless,,"})
    void eachSideSummarisesItsSession(String transport, String recorded, Boolean mayEndAtExit) throws Exception {
        Scenario run = Scenario.runTraced(dir, "2.1.0", transport);
        if (mayEndAtExit == null && recorded != null) { // stdio: the client's side only
            assertTrue(summary("client", recorded, false).matcher(run.clientStderr).find(), run.clientStderr);
            return;
        }
        if (recorded == null) {
            assertFalse(run.serverStderr.contains("sessions (server"), run.serverStderr);
            assertTrue(summary("client", "streamable_http", false).matcher(run.clientStderr).find(), run.clientStderr);
            return;
        }
        assertTrue(summary("server", recorded, mayEndAtExit).matcher(run.serverStderr).find(), run.serverStderr);
        assertTrue(summary("client", recorded, false).matcher(run.clientStderr).find(), run.clientStderr);
    }

    /** The summary line of one ended session, by its transport's close ({@code (0 of them open at exit)}) or either way. */
    private static Pattern summary(String side, String transport, boolean mayEndAtExit) {
        return Pattern.compile(Pattern.quote("sessions (" + side + " " + transport + "): 1 ended (")
                + (mayEndAtExit ? "[01]" : "0") + Pattern.quote(" of them open at exit)"));
    }
}
