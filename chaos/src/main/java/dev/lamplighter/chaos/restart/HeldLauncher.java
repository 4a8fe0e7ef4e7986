package dev.lamplighter.chaos.restart;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A launcher whose check of an armed schedule is held at a {@link Gate} (with the backend pid of
 * the check's connection), then launches; the check of any other schedule launches at once.
 */
final class HeldLauncher implements Launcher {

    static final String NAME = "ChaosHeldLauncher";

    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    /** The next check of {@code schedule} is held at the returned gate. */
    Gate arm(String schedule) {
        Gate g = new Gate();
        gates.put(schedule, g);
        return g;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Decision checkConditions(LaunchContext ctx) throws Exception {
        Gate g = gates.get(ctx.scheduleName());
        if (g != null) {
            long pid;
            try (Statement s = ctx.connection().createStatement();
                 ResultSet rs = s.executeQuery(Queries.get("backend_pid"))) {
                rs.next();
                pid = rs.getLong(1);
            }
            g.hold(pid);
        }
        return Decision.launch(Map.of("hold", false), "slot " + ctx.slot());
    }
}
