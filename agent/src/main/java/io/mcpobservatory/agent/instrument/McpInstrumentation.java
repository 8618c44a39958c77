package io.mcpobservatory.agent.instrument;

/**
 * One instrumentation point of the MCP SDK: which classes, and which of their methods take what {@link Advice}. Advice
 * never adds fields or methods (so it can also be applied by retransformation when the agent is attached to a running
 * JVM), calls only the bootstrap {@code Bridge}, and drops whatever those calls throw.
 */
public interface McpInstrumentation {

    /** The classes instrumented, by name or below an SDK interface. */
    Types types();

    /** The advice for this method of one of those classes, or null if the point leaves it alone. */
    Advice advice(SdkMethod method);
}
