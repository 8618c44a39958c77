package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A session's end on the transports MetricsEndpointTest does not cover (it checks the client's summary and the server's
 * {@code mcp_server_session_duration_seconds} on stdio and on streamable HTTP, where the client's close sends DELETE),
 * as the exit summaries of both sides show it (the same records feed the session-duration histograms). Client and server
 * run with the agent; the client closes gracefully, then the server is stopped (SIGTERM).
 * <ul>
 *   <li>HTTP+SSE: the client's close only drops its event stream, which the SDK's servlet transport does not watch,
 *   so the server's session ends when the server closes (its shutdown hook) or at the agent's exit: one session either
 *   way; the client's ends at its close;</li>
 *   <li>stateless HTTP: no session on the server, no line; the client's (streamable) session ends at its close.</li>
 * </ul>
 */
class SessionLifecycleTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"sse,sse", "stateless,"})
    void eachSideSummarisesItsSession(String transport, String serverTransport) throws Exception {
        Scenario run = Scenario.runTraced(dir, "2.1.0", transport);
        if (serverTransport == null) {
            assertFalse(run.serverStderr.contains("sessions (server"), run.serverStderr);
        } else {
            assertTrue(summary("server", serverTransport, true).matcher(run.serverStderr).find(), run.serverStderr);
        }
        String clientTransport = serverTransport == null ? "streamable_http" : serverTransport;
        assertTrue(summary("client", clientTransport, false).matcher(run.clientStderr).find(), run.clientStderr);
    }

    /** The summary line of one ended session, by its transport's close ({@code (0 of them open at exit)}) or either way. */
    private static Pattern summary(String side, String transport, boolean mayEndAtExit) {
        return Pattern.compile(Pattern.quote("sessions (" + side + " " + transport + "): 1 ended (")
                + (mayEndAtExit ? "[01]" : "0") + Pattern.quote(" of them open at exit)"));
    }
}
