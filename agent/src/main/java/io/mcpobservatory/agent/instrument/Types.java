package io.mcpobservatory.agent.instrument;

import java.util.List;

/**
 * The classes an instrumentation point instruments: given by name, or every concrete class below an SDK interface (the
 * transports and handlers an application or Spring AI may provide). Data, so that {@link CandidateFilter} can pass over
 * the hundreds of SDK classes no point instruments without reading them.
 */
public record Types(List<String> names, String superType) {

    /** These classes, by binary name. */
    public static Types named(String... names) {
        return new Types(List.of(names), null);
    }

    /** Every class (not interface) that is or implements {@code superType}, at any depth. */
    public static Types below(String superType) {
        return new Types(List.of(), superType);
    }
}
