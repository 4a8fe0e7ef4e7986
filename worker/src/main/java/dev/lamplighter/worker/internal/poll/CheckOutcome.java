package dev.lamplighter.worker.internal.poll;

/** What became of one due schedule in one tick. */
enum CheckOutcome {
    LAUNCHED,
    SKIPPED,
    FAILED,
    /**
     * Another node holds it or already checked this slot, or it changed so that this node can no
     * longer check it.
     */
    TAKEN
}
