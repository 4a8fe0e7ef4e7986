package dev.lamplighter.worker.internal.poll;

/** What became of one due schedule in one tick. */
enum CheckOutcome {
    LAUNCHED,
    SKIPPED,
    FAILED,
    /** Another node holds it or already checked this slot. */
    TAKEN,
    /** Its launcher is not registered on this node; left due for a node that has it. */
    UNKNOWN_LAUNCHER,
    /** It requires a capability this node lacks; left due for a node that has it. */
    NOT_CAPABLE
}
