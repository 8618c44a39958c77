package io.mcpobservatory.agent.attach;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The agent jar as a command line ({@code Main-Class}):
 * <pre>
 * java -jar mcp-observatory-agent.jar list
 * java -jar mcp-observatory-agent.jar attach &lt;pid | regex on main class or jar&gt; [--config path] [--set key=value ...]
 * </pre>
 * Unlike the agent, this is a user's tool: results go to stdout, errors to stderr as one line saying what to do, with
 * a non-zero exit code per kind of failure ({@link CliException}). This class names no attach API type, so it loads
 * on a JRE too and can say that a JDK is needed.
 */
public final class AttachCli {

    private static final String USAGE = "usage: java -jar mcp-observatory-agent.jar list"
            + " | attach <pid | regex on main class or jar> [--config path] [--set key=value ...]";

    private AttachCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
                (args.length == 0 ? err : out).println(USAGE);
                return args.length == 0 ? CliException.USAGE : 0;
            }
            String jar = agentJar();
            switch (args[0]) {
                case "list":
                    requireNoMore(args, 1);
                    requireAttachModule(jar);
                    ListCommand.run(out);
                    return 0;
                case "attach":
                    return attach(args, jar, out, err);
                default:
                    throw new CliException(CliException.USAGE, "unknown command '" + args[0] + "'; " + USAGE);
            }
        } catch (CliException e) {
            err.println("mcp-observatory: " + e.getMessage());
            return e.exitCode;
        } catch (RuntimeException | LinkageError e) {
            err.println("mcp-observatory: unexpected failure (" + e + "); please report it with the command line used");
            return 1;
        }
    }

    private static int attach(String[] args, String jar, PrintStream out, PrintStream err) throws CliException {
        if (args.length < 2 || args[1].startsWith("--")) {
            throw new CliException(CliException.USAGE, "attach needs a pid or a pattern; " + USAGE);
        }
        AttachRequest request = new AttachRequest();
        for (int i = 2; i < args.length; i++) {
            String option = args[i];
            if ((option.equals("--config") || option.equals("--set")) && i + 1 < args.length) {
                if (option.equals("--config")) {
                    request.config(args[++i]);
                } else {
                    request.set(args[++i]);
                }
            } else {
                throw new CliException(CliException.USAGE, "unexpected '" + option + "'; " + USAGE);
            }
        }
        boolean enable = request.validate(jar);
        requireAttachModule(jar);
        new AttachCommand(jar, out, err).run(new TargetSelector(jar).select(args[1]), request, enable);
        return 0;
    }

    private static void requireNoMore(String[] args, int expected) throws CliException {
        if (args.length > expected) {
            throw new CliException(CliException.USAGE, "unexpected '" + args[expected] + "'; " + USAGE);
        }
    }

    /**
     * The attach API lives in the module {@code jdk.attach}, which JDKs have and JREs (and most jlink images) do not.
     */
    private static void requireAttachModule(String jar) throws CliException {
        if (ModuleLayer.boot().findModule("jdk.attach").isEmpty()) {
            throw new CliException(CliException.NOT_A_JDK, "this java (" + System.getProperty("java.home")
                    + ") has no jdk.attach module, so it cannot attach: run the command with a JDK's java, e.g."
                    + " /path/to/jdk/bin/java -jar " + jar + " ...");
        }
    }

    /** The absolute path of the jar this class runs from: the target JVM loads the agent from there. */
    private static String agentJar() throws CliException {
        try {
            Path path = Paths.get(AttachCli.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath().normalize();
            if (!Files.isRegularFile(path)) {
                throw new CliException(CliException.USAGE, "run this command from the agent jar: java -jar"
                        + " mcp-observatory-agent.jar ... (found classes at " + path + ")");
            }
            if (path.toString().indexOf('=') >= 0) {
                // the JVM splits "<jar>=<argument>" at the first '='
                throw new CliException(CliException.USAGE, "the agent jar's path contains '=', which the JVM cannot"
                        + " load an agent from: copy the jar to a path without it");
            }
            return path.toString();
        } catch (URISyntaxException | SecurityException e) {
            throw new CliException(CliException.USAGE, "cannot tell where the agent jar is (" + e + ")");
        }
    }
}
