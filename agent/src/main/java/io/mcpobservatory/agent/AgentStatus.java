package io.mcpobservatory.agent;

/**
 * What the agent tells the outside world about itself, as two system properties of the JVM it runs in. The
 * {@code list} and {@code attach} commands read them through the attach API ({@code VirtualMachine.getSystemProperties()})
 * to show whether the agent is in and to make a second attach a no-op. System properties because they are the one piece
 * of state another JVM can read without our code running there; the names are outside {@code observatory.*} so the
 * agent's own configuration never sees them as unknown settings.
 */
public final class AgentStatus {

    /** The agent's version, set once the agent is installed in this JVM. Absent: no agent. */
    public static final String VERSION_PROPERTY = "mcp.observatory.agent.version";
    /** One of the states below. */
    public static final String STATE_PROPERTY = "mcp.observatory.agent.state";

    /** Installed; nothing instrumented yet because no MCP SDK class is loaded. */
    public static final String WAITING = "waiting-for-sdk";
    /** The SDK is instrumented and spans are recorded. */
    public static final String RECORDING = "recording";
    /** Switched off by {@code observatory.enabled=false} on a later attach: advice stays, but records nothing. */
    public static final String OFF = "off";
    /** Tracing could not start (see the JVM's stderr); the application runs untraced. */
    public static final String FAILED = "failed";

    private AgentStatus() {
    }

    static void publish(String state) {
        String version = AgentStatus.class.getPackage().getImplementationVersion();
        System.setProperty(VERSION_PROPERTY, version == null ? "dev" : version);
        System.setProperty(STATE_PROPERTY, state);
    }
}
