package dev.lamplighter.worker.discovery;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;

/** Listed in META-INF/services/dev.lamplighter.Launcher of the test classpath. */
public final class DiscoveredLauncher implements Launcher {
    @Override
    public Decision checkConditions(LaunchContext ctx) {
        return Decision.launch("found by ServiceLoader");
    }
}
