package dev.lamplighter.worker.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers, decided in well under a second on a machine without one: no
 * socket and no DOCKER_HOST means no, without asking Testcontainers (which would log an ERROR).
 */
final class DockerProbe {

    private DockerProbe() {
    }

    static boolean dockerAnswers() {
        boolean hint = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!hint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
