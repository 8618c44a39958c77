package io.mcpobservatory.it;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The suite runs two test classes at a time (junit-platform.properties): the longest ones come first, so that the run
 * does not end with one long class running alone. JUnit's pool takes classes from both ends of this order (one worker
 * from the front, the other from the back), so one worker runs the long ones while the other clears the short ones.
 * Longest first by their time on a 2-core machine, run one at a time (`mvn -B verify`, 2026-12-03); the others follow
 * by name. An order only: no test depends on another's.
 */
public final class SlowestFirst implements ClassOrderer {

    private static final List<String> SLOWEST = List.of("ClientSpansTest", "ReleaseMatrixTest", "PostgresOutageTest",
            "OtlpExportTest", "AttachTest", "QueryServerTest", "ServerSpansTest", "PostgresExportTest");

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparingInt((ClassDescriptor c) -> rank(c.getTestClass().getSimpleName()))
                .thenComparing(c -> c.getTestClass().getSimpleName()));
    }

    private static int rank(String name) {
        int index = SLOWEST.indexOf(name);
        return index < 0 ? SLOWEST.size() : index;
    }
}
