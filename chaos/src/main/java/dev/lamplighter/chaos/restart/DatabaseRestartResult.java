package dev.lamplighter.chaos.restart;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link DatabaseRestart} saw: one {@link Outage} per restart, and the jobs and slots of the
 * whole run.
 *
 * @param outages the restarts, in order
 * @param jobs jobs of the run (enqueued and launched)
 * @param completed jobs completed
 * @param failed jobs failed for good
 * @param lost jobs that never ended (neither completed nor failed)
 * @param succeededNotCompleted jobs whose handler succeeded (recorded apart) but that are not completed
 * @param succeededTwice jobs whose handler succeeded more than once
 * @param attemptsRecordedFailed jobs with an attempt recorded as failed (the handler never fails)
 * @param launches slots launched (decision log)
 * @param slotsLaunchedTwice slots launched more than once
 * @param launchesWithoutJob launches whose job is missing
 */
public record DatabaseRestartResult(List<Outage> outages, long jobs, long completed, long failed, long lost,
                                    long succeededNotCompleted, long succeededTwice, long attemptsRecordedFailed,
                                    long launches, long slotsLaunchedTwice, long launchesWithoutJob) {

    /**
     * One restart.
     *
     * @param name what it was ("stopped for 10s", "fast restart")
     * @param downMs from the stop command to the end of the start command
     * @param jobsAgainMs from the end of the start command until a job completed again
     * @param launchesAgainMs from the end of the start command until a schedule launched again
     * @param loopsLost loops that said they lost the database
     * @param loopsBack loops that said they reached it again, by themselves
     * @param mostLostLinesPerLoop most "cannot reach the database" lines one loop of one node wrote
     * @param lines per node, the lines about the outage ({@link LogTally.Line#aboutAFault()}) written from the
     *     stop until every loop was back
     */
    public record Outage(String name, long downMs, long jobsAgainMs, long launchesAgainMs, int loopsLost, int loopsBack,
                         int mostLostLinesPerLoop, Map<String, List<LogTally.Line>> lines) {
    }

    /** {@return whether the guarantees held: every loop back, nothing lost, no success recorded failed, no slot twice} */
    public boolean guaranteesHeld() {
        return lost == 0 && succeededNotCompleted == 0 && succeededTwice == 0 && attemptsRecordedFailed == 0
                && slotsLaunchedTwice == 0 && launchesWithoutJob == 0
                && outages.stream().allMatch(o -> o.loopsBack() >= o.loopsLost() && o.mostLostLinesPerLoop() <= 1);
    }

    /** {@return the figures as printed: a table, then each node's lines during each outage} */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-44s", "restart"));
        outages.forEach(o -> b.append(String.format(Locale.ROOT, " | %-16s", o.name())));
        b.append('\n');
        row(b, "database down (stop command to started)", o -> ms(o.downMs()));
        row(b, "jobs completing again after the start", o -> ms(o.jobsAgainMs()));
        row(b, "schedules launching again after the start", o -> ms(o.launchesAgainMs()));
        row(b, "loops that lost the database", o -> String.valueOf(o.loopsLost()));
        row(b, "loops back by themselves", o -> String.valueOf(o.loopsBack()));
        row(b, "most 'cannot reach' lines of one loop", o -> String.valueOf(o.mostLostLinesPerLoop()));
        for (String node : outages.get(0).lines().keySet()) {
            row(b, "lines about the outage, " + node, o -> String.valueOf(o.lines().getOrDefault(node, List.of()).size()));
        }
        b.append('\n');
        line(b, "jobs (enqueued and launched)", jobs);
        line(b, "completed", completed);
        line(b, "failed", failed);
        line(b, "lost (never ended)", lost);
        line(b, "handler succeeded, job not completed", succeededNotCompleted);
        line(b, "handler succeeded more than once", succeededTwice);
        line(b, "attempts recorded as failed", attemptsRecordedFailed);
        line(b, "slots launched", launches);
        line(b, "slots launched twice", slotsLaunchedTwice);
        line(b, "launches whose job is missing", launchesWithoutJob);
        return b.toString();
    }

    /** {@return each node's lines during each outage, as written} */
    public String outageLines() {
        StringBuilder b = new StringBuilder();
        for (Outage o : outages) {
            o.lines().forEach((node, lines) -> {
                if (!lines.isEmpty()) {
                    b.append("--- ").append(o.name()).append(", ").append(node).append(" ---\n");
                    lines.forEach(l -> b.append(l).append('\n'));
                }
            });
        }
        return b.toString();
    }

    private void row(StringBuilder b, String label, java.util.function.Function<Outage, String> value) {
        b.append(String.format(Locale.ROOT, "%-44s", label));
        outages.forEach(o -> b.append(String.format(Locale.ROOT, " | %-16s", value.apply(o))));
        b.append('\n');
    }

    private static void line(StringBuilder b, String label, long value) {
        b.append(String.format(Locale.ROOT, "%-44s %,d%n", label, value));
    }

    private static String ms(long ms) {
        return ms < 0 ? "never" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
