package io.mcpobservatory.testing;

import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The last resort of {@link TestDatabase}: one PostgreSQL container for the whole test JVM, started by Testcontainers
 * when no {@code OBSERVATORY_TEST_JDBC_URL} is set and nothing listens on 127.0.0.1:5432. Only this class names
 * Testcontainers, and it is loaded only on that path, so a run against the local server never touches it.
 *
 * <p>A plain {@link GenericContainer} rather than Testcontainers' {@code PostgreSQLContainer}: that one comes with the
 * {@code jdbc} module, whose {@code ContainerDatabaseDriver} registers itself with {@code DriverManager} in every JVM that
 * has it on its class path, which would load Testcontainers (and its logging) on every run and show up among the drivers
 * the child application of the suite's {@code ApplicationJdbcTest} sees.
 *
 * <p>The user is the image's superuser {@code postgres}, so the URL has the shape the tests rely on: {@code user=postgres}
 * in its parameters, and the same credentials on database {@code postgres} for {@code ALTER DATABASE} and
 * {@code pg_terminate_backend} ({@link TestDatabase#adminUrl}). The mapped host and port are in the URL, which is what the
 * child JVMs (the agent, the applications) are given. Testcontainers' reaper removes the container when the JVM exits.
 */
final class DockerDatabase {

    static final String IMAGE = "postgres:15-alpine";
    private static final int PORT = 5432;
    private static final String PASSWORD = "postgres";

    private static GenericContainer<?> container;

    private DockerDatabase() {
    }

    /** The JDBC URL of database {@code database} in the container (started on the first call), or null with no engine. */
    static synchronized String startIfEngineAvailable(String database) {
        if (container == null) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return null;
            }
            GenericContainer<?> postgres = new GenericContainer<>(DockerImageName.parse(IMAGE))
                    .withEnv("POSTGRES_USER", "postgres")
                    .withEnv("POSTGRES_PASSWORD", PASSWORD)
                    .withEnv("POSTGRES_DB", database)
                    .withCommand("postgres", "-c", "fsync=off")
                    .withExposedPorts(PORT)
                    // the entrypoint's temporary server logs this once before the init scripts, the real one after
                    .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 2)
                            .withStartupTimeout(Duration.ofMinutes(2)));
            postgres.start();
            container = postgres;
        }
        return "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(PORT) + "/" + database
                + "?user=postgres&password=" + PASSWORD;
    }
}
