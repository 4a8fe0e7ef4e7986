package dev.lamplighter.worker.testing;

import dev.lamplighter.worker.internal.db.ConnectionInfo;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** A PostgreSQL container for the test run; Testcontainers' Ryuk removes it when the JVM exits. */
final class ContainerServer {

    private final PostgreSQLContainer container;

    private ContainerServer(PostgreSQLContainer container) {
        this.container = container;
    }

    static ContainerServer start(String image) {
        PostgreSQLContainer container = new PostgreSQLContainer(image);
        container.start();
        return new ContainerServer(container);
    }

    ConnectionInfo connectionInfo() {
        return new ConnectionInfo(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }
}
