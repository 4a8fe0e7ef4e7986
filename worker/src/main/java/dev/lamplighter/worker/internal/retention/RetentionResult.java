package dev.lamplighter.worker.internal.retention;

import java.util.List;

/**
 * What one run of the cleaner did.
 *
 * @param lockBusy whether the run stopped because another node held the cleaner's lock
 * @param completed completed jobs deleted
 * @param failed failed, cancelled and rejected jobs deleted
 * @param decisions decision-log rows deleted
 * @param batches the size of each batch that deleted rows, in order (a batch short of the batch size
 *     ends its kind)
 * @param limitReached whether some kind reached the run's batch limit, so that more may remain
 * @param elapsedMs how long the run took
 */
public record RetentionResult(boolean lockBusy, long completed, long failed, long decisions, List<Integer> batches,
                              boolean limitReached, long elapsedMs) {

    public RetentionResult {
        batches = List.copyOf(batches);
    }

    /** Rows deleted in all. */
    public long deleted() {
        return completed + failed + decisions;
    }
}
