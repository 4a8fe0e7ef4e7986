package dev.lamplighter.chaos.killed;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * What a killed-workers run did to its jobs, read from {@code lamplighter.jobs} and the program's
 * own tables.
 *
 * @param workers worker processes kept running
 * @param jobs jobs enqueued
 * @param workMs each job's work
 * @param lease the workers' job lease
 * @param completed jobs completed
 * @param failed jobs failed
 * @param runMoreThanOnce jobs whose handler ran more than once
 * @param earlierExecutions handler runs of an attempt before the job's last
 * @param matchedToRescue of those, the runs on a killed node whose attempt was rescued from it
 * @param sameAttemptTwice attempts whose handler ran twice (never allowed)
 * @param completedUnrun completed jobs with no finished run of their last attempt (never allowed)
 * @param kills the kills
 * @param starts each worker process's start
 * @param took how long the run took
 */
public record KillFigures(int workers, int jobs, long workMs, Duration lease, long completed, long failed,
                          long runMoreThanOnce, long earlierExecutions, long matchedToRescue, long sameAttemptTwice,
                          long completedUnrun, List<Kill> kills, List<StartPhases> starts, Duration took) {

    /** @return jobs neither completed nor failed at the end, or failed: lost work */
    public long lost() {
        return jobs - completed;
    }

    /** @return handler runs before a job's last attempt that no kill and rescue explains */
    public long unexplainedReruns() {
        return earlierExecutions - matchedToRescue;
    }

    /** @return the jobs held by the killed workers */
    public long inFlightAtKills() {
        return kills.stream().mapToLong(Kill::inFlight).sum();
    }

    /** @return the median time from a kill to the rescue of the last job the killed worker held */
    public Duration killToRescueP50() {
        return quantile(0.5);
    }

    /** @return the longest time from a kill to the rescue of the last job the killed worker held */
    public Duration killToRescueMax() {
        return quantile(1.0);
    }

    private Duration quantile(double q) {
        List<Duration> d = kills.stream().map(Kill::toLastRescue).filter(Objects::nonNull).sorted().toList();
        if (d.isEmpty()) {
            return null;
        }
        return d.get((int) Math.max(0, Math.ceil(q * d.size()) - 1));
    }

    /** @return the median seconds from process start to first claim */
    public double startP50() {
        return startQuantile(StartPhases::total, 0.5);
    }

    /**
     * A quantile of one step of the workers' starts.
     *
     * @param phase the step
     * @param q the quantile, 0.5 for the median, 1 for the max
     * @return seconds, NaN when no worker claimed
     */
    public double startQuantile(ToDoubleFunction<StartPhases> phase, double q) {
        double[] v = starts.stream().mapToDouble(phase).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v[(int) Math.max(0, Math.ceil(q * v.length) - 1)];
    }

    /** @return the figures as printed */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "killed workers: %d worker processes, %d jobs of %d ms, %d kills, lease %s, %.1f s%n",
                workers, jobs, workMs, kills.size(), lease, took.toMillis() / 1000.0));
        line(out, "jobs completed", completed);
        line(out, "jobs failed", failed);
        line(out, "jobs lost", lost());
        line(out, "jobs run more than once", runMoreThanOnce);
        line(out, "  earlier runs (attempts before the last)", earlierExecutions);
        line(out, "  of which on a killed node and rescued from it", matchedToRescue);
        line(out, "  unexplained", unexplainedReruns());
        line(out, "attempts run twice", sameAttemptTwice);
        line(out, "completed without a finished run", completedUnrun);
        line(out, "jobs held by killed workers", inFlightAtKills());
        out.append(String.format(Locale.ROOT, "  %-48s %s / %s%n", "kill to rescue, p50 / max", seconds(killToRescueP50()),
                seconds(killToRescueMax())));
        for (Kill k : kills) {
            out.append(String.format(Locale.ROOT, "  kill %-16s held %4d, rescued %4d, first after %s, last after %s%n",
                    k.node(), k.inFlight(), k.rescued(), seconds(k.toFirstRescue()), seconds(k.toLastRescue())));
        }
        out.append(String.format(Locale.ROOT, "  %-48s %.2f s / %.2f s (%d starts)%n", "start to first claim, p50 / max",
                startP50(), startQuantile(StartPhases::total, 1.0), starts.size()));
        out.append(String.format(Locale.ROOT, "    p50 per step: JVM to main %.2f s, pool %.2f s, Flyway %.2f s, node start %.2f s, to claim %.2f s%n",
                startQuantile(StartPhases::jvm, 0.5), startQuantile(StartPhases::pool, 0.5),
                startQuantile(StartPhases::flyway, 0.5), startQuantile(StartPhases::nodeStart, 0.5),
                startQuantile(StartPhases::toClaim, 0.5)));
        return out.toString();
    }

    /** @return the kills as a Markdown table */
    public String markdownKills() {
        StringBuilder out = new StringBuilder("| killed worker | jobs held | rescued | first rescue after | last rescue after |\n|---|---:|---:|---:|---:|\n");
        kills.forEach(k -> out.append(String.format(Locale.ROOT,
                "| %s | %d | %d | %s | %s |%n", k.node(), k.inFlight(), k.rescued(), seconds(k.toFirstRescue()),
                seconds(k.toLastRescue()))));
        return out.toString();
    }

    /** @return the start steps, p50 and max, as a Markdown table */
    public String markdownStarts() {
        StringBuilder out = new StringBuilder("| step | p50 | max |\n|---|---:|---:|\n");
        row(out, "process start to `main` (JVM start, class loading)", StartPhases::jvm);
        row(out, "`main` to an open HikariCP pool", StartPhases::pool);
        row(out, "Flyway migrate (validate, nothing to apply)", StartPhases::flyway);
        row(out, "`Lamplighter.start()`", StartPhases::nodeStart);
        row(out, "node started to first claim", StartPhases::toClaim);
        row(out, "**process start to first claim**", StartPhases::total);
        return out.toString();
    }

    private void row(StringBuilder out, String name, ToDoubleFunction<StartPhases> phase) {
        out.append(String.format(Locale.ROOT, "| %s | %.2f s | %.2f s |%n", name, startQuantile(phase, 0.5), startQuantile(phase, 1.0)));
    }

    private static void line(StringBuilder out, String name, long value) {
        out.append(String.format(Locale.ROOT, "  %-48s %10d%n", name, value));
    }

    static String seconds(Duration d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }
}
