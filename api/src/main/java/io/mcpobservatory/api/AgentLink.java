package io.mcpobservatory.api;

/**
 * Whether the agent is in this JVM, found without linking against it.
 *
 * <p>The agent defines its bootstrap classes into the boot loader, which every class loader can see, whether it came
 * with {@code -javaagent} or was attached to the running JVM later. So the API asks the boot loader, and only the boot
 * loader, for the agent's {@code Enrichment} class by name ({@code Class.forName(name, false, null)}): never a class of
 * the application's own class path, never a copy of the agent's classes in the application, and no static reference
 * that would fail to link without the agent.
 *
 * <p>A lookup that fails costs a {@link ClassNotFoundException} (tens of microseconds), so while the agent is absent it
 * is tried at most once every {@link #RETRY_NANOS}: until then a call costs one volatile read and one
 * {@link System#nanoTime()}, and allocates nothing. An agent attached later is seen within that interval. Once found, the
 * link is kept for good (an agent cannot be unloaded; switched off, it answers that nothing is recording). A class of
 * that name that does not have the methods this API calls (another version of the agent) is given up on, once.
 */
final class AgentLink {

    static final String ENRICHMENT = "io.mcpobservatory.bootstrap.Enrichment";
    static final long RETRY_NANOS = 5_000_000_000L;

    private static volatile boolean linked;
    private static volatile boolean unusable;
    private static volatile long nextLookup = System.nanoTime();

    private AgentLink() {
    }

    /** True once the agent's entry points are bound ({@link AgentCalls} may be used). */
    static boolean linked() {
        if (linked) {
            return true;
        }
        long now = System.nanoTime();
        if (unusable || now - nextLookup < 0) {
            return false;
        }
        nextLookup = now + RETRY_NANOS; // several threads may get here at once: they look up the same class
        linked = lookUp();
        return linked;
    }

    private static boolean lookUp() {
        try {
            Class.forName(ENRICHMENT, false, null);
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            return false; // not there (yet)
        }
        try {
            return AgentCalls.BOUND; // binds the method handles, once
        } catch (LinkageError e) {
            unusable = true; // its initializer failed: the class never initializes again, so never touch it again
            return false;
        }
    }
}
