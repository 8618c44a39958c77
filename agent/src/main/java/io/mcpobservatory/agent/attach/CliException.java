package io.mcpobservatory.agent.attach;

/** A failure the command line reports as one line on stderr, with the exit code of its kind. */
final class CliException extends Exception {

    /** Bad command line: unknown command or option, bad pattern, bad setting. */
    static final int USAGE = 2;
    /** No JVM to act on: no such pid, no match, or several matches for the pattern. */
    static final int NO_TARGET = 3;
    /** The JVM was found but cannot take the agent: attach refused or failed, another user, too old a Java. */
    static final int ATTACH_FAILED = 4;
    /** The java running this command cannot attach at all (a JRE without the jdk.attach module). */
    static final int NOT_A_JDK = 5;

    final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }
}
