package io.mcpobservatory.agent.attach;

import io.mcpobservatory.agent.config.AgentArgument;
import io.mcpobservatory.agent.config.AgentSettings;
import io.mcpobservatory.agent.config.Config;
import io.mcpobservatory.agent.config.ConfigKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The settings an {@code attach} sends: {@code --config path} and the {@code --set key=value} overrides, encoded as one
 * agent argument. They are checked here, with the agent's own configuration code, so a typo is an error on the user's
 * terminal rather than a warning in the target's stderr.
 */
final class AttachRequest {

    /**
     * The attach protocol of JDK 17 to 22 carries at most 1024 bytes per argument, and the agent's argument travels as
     * {@code <jar path>=<argument>}; longer lists belong in a file.
     */
    static final int MAX_ARGUMENT_BYTES = 1024;

    private final Map<String, String> settings = new LinkedHashMap<>();

    void config(String path) throws CliException {
        Path file = Paths.get(path).toAbsolutePath().normalize(); // the target resolves it from its own directory
        if (!Files.isReadable(file)) {
            throw new CliException(CliException.USAGE, "--config " + path + ": no readable file at " + file);
        }
        settings.put(ConfigKey.CONFIG.key, file.toString());
    }

    /** {@code key=value}; the {@code observatory.} prefix may be left out. */
    void set(String assignment) throws CliException {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new CliException(CliException.USAGE, "--set " + assignment + ": expected key=value, e.g. --set"
                    + " observatory.enabled=false");
        }
        String key = assignment.substring(0, eq).trim();
        if (!key.startsWith("observatory.")) {
            key = "observatory." + key;
        }
        if (ConfigKey.byName(key) == null || key.equals(ConfigKey.CONFIG.key)) {
            throw new CliException(CliException.USAGE, "--set " + assignment + ": " + key + " is not a setting (see"
                    + " the README's configuration table; use --config for a file)");
        }
        settings.put(key, assignment.substring(eq + 1));
    }

    /** The agent argument: the settings list of {@link AgentArgument}, empty when nothing was given. */
    String argument() {
        return AgentArgument.encode(settings);
    }

    /**
     * Reads the request as the agent will (file, then overrides; the target's own system properties and environment are
     * unknown here) and fails on the first warning. Returns whether it asks for recording ({@code observatory.enabled}).
     */
    boolean validate(String jarPath) throws CliException {
        String argument = argument();
        int bytes = (jarPath + "=" + argument).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_ARGUMENT_BYTES) {
            throw new CliException(CliException.USAGE, "the settings make a " + bytes + "-byte agent argument, more"
                    + " than the " + MAX_ARGUMENT_BYTES + " the attach protocol carries: put them in a properties file"
                    + " and pass --config");
        }
        Config config = Config.load(argument, new Properties(), Map.of());
        AgentSettings settings = AgentSettings.from(config);
        if (!config.warnings().isEmpty()) {
            throw new CliException(CliException.USAGE, "bad setting: " + config.warnings().get(0));
        }
        return settings.enabled;
    }
}
