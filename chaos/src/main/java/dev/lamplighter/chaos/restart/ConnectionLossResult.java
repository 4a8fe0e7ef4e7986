package dev.lamplighter.chaos.restart;

import java.util.List;
import java.util.Locale;

/**
 * What {@link ConnectionLoss} saw, one {@link Case} per way of cutting a connection.
 *
 * @param cases the cases, in order
 */
public record ConnectionLossResult(List<Case> cases) {

    /**
     * One case over every round.
     *
     * @param name which connection was cut, and when
     * @param rounds rounds run
     * @param lost slots never launched, or jobs never completed, within the wait
     * @param duplicated slots launched more than once, or jobs whose handler succeeded more than once
     * @param recordedFailed failed checks in the decision log, or attempts recorded other than completed
     * @param mostPasses most checks of one slot, or runs of one job (the held one included)
     * @param errorLines WARN and ERROR lines logged, over every round
     * @param mostRecoveryMs longest time from the release to the slot launched or the job completed
     * @param firstRoundLines the lines logged in the first round, as written
     */
    public record Case(String name, int rounds, int lost, int duplicated, int recordedFailed, int mostPasses,
                       int errorLines, long mostRecoveryMs, List<LogTally.Line> firstRoundLines) {
    }

    /** {@return whether no slot or job was lost or doubled, and nothing was recorded failed} */
    public boolean guaranteesHeld() {
        return cases.stream().allMatch(c -> c.lost() == 0 && c.duplicated() == 0 && c.recordedFailed() == 0);
    }

    /** {@return the figures as printed} */
    public String table() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-58s | %6s | %4s | %10s | %15s | %11s | %11s | %12s%n",
                "connection cut", "rounds", "lost", "duplicated", "recorded failed", "most passes", "error lines",
                "most recovery"));
        for (Case c : cases) {
            b.append(String.format(Locale.ROOT, "%-58s | %6d | %4d | %10d | %15d | %11d | %11d | %9.1f s%n", c.name(),
                    c.rounds(), c.lost(), c.duplicated(), c.recordedFailed(), c.mostPasses(), c.errorLines(),
                    c.mostRecoveryMs() / 1000.0));
        }
        return b.toString();
    }

    /** {@return the lines of each case's first round} */
    public String firstRoundLines() {
        StringBuilder b = new StringBuilder();
        for (Case c : cases) {
            b.append("--- ").append(c.name()).append(", round 1 ---\n");
            c.firstRoundLines().forEach(l -> b.append(l).append('\n'));
        }
        return b.toString();
    }
}
