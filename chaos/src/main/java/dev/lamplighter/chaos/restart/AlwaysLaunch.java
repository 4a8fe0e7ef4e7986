package dev.lamplighter.chaos.restart;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import java.util.Map;

/**
 * Launches a {@link RecordingHandler} job at every check, with the schedule's {@code work_ms}
 * param as the job's work: a schedule that launches at each slot, so that every slot shows in the
 * decision log and in {@code jobs}.
 */
public final class AlwaysLaunch implements Launcher {

    /** The launcher's name in {@code scheduled_jobs.launcher}. */
    public static final String NAME = "ChaosAlwaysLaunch";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Decision checkConditions(LaunchContext ctx) {
        long workMs = ctx.params().longValue("work_ms", 0, 0, 60_000);
        return Decision.launch(Map.of("work_ms", workMs), "slot " + ctx.slot());
    }
}
