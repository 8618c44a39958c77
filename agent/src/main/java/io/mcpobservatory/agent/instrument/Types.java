package io.mcpobservatory.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The classes an instrumentation point instruments: given by name, or every concrete class below an SDK interface (the
 * transports and handlers an application or Spring AI may provide). Declared as data, not only as a Byte Buddy matcher,
 * so that {@link CandidateFilter} can pass over the hundreds of SDK classes no point instruments without Byte Buddy.
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

    ElementMatcher<TypeDescription> matcher() {
        return superType == null ? namedOneOf(names.toArray(new String[0]))
                // ElementMatchers.named written out: this record's own named(...) would be called
                : not(isInterface()).and(hasSuperType(net.bytebuddy.matcher.ElementMatchers.named(superType)));
    }
}
