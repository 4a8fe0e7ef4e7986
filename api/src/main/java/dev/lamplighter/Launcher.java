package dev.lamplighter;

/**
 * Decides, cheaply, whether a schedule's work is needed now.
 *
 * <p>The poll loop calls {@link #checkConditions} each time a schedule is due, inside the
 * transaction that records the decision, enqueues the job and advances {@code next_run}; what the
 * launcher reads through {@link LaunchContext#connection()} is therefore consistent with what is
 * committed. A launcher should answer in milliseconds: it is a condition check, not the work.
 *
 * <p>Outcomes:
 * <ul>
 *   <li>{@link Decision#launch} enqueues one job of the schedule's {@code job_type};</li>
 *   <li>{@link Decision#skip} records the reason; a skip is not an error and resets
 *       {@code retry_count};</li>
 *   <li>an exception is a failure: {@code retry_count + 1}, the schedule is retried after 2, 4, 8,
 *       16 minutes, and disabled when {@code retry_count} reaches {@code max_retries}
 *       (default 5).</li>
 * </ul>
 *
 * <p>A schedule row names its launcher by {@link #name()}. Launchers are registered in code, or
 * found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.lamplighter.Launcher}); a ServiceLoader launcher needs a public
 * no-argument constructor. One instance serves every schedule that names it, from one thread at a
 * time per schedule: keep per-schedule state in the database, not in fields.
 */
public interface Launcher {

    /**
     * The name schedule rows use in their {@code launcher} column. Defaults to the simple class
     * name, as in {@code EpistemicRemeasurementLauncher}.
     *
     * @return the launcher's name, unique among the launchers of a node
     */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * Checks the schedule's parameters before any check runs: called for each due schedule before
     * {@link #checkConditions}. Throw {@link InvalidParamsException} naming the field, the value
     * and what is allowed; the schedule's {@code last_error} will say so. Defaults to accepting
     * anything.
     *
     * @param params the schedule's {@code params}
     * @throws InvalidParamsException if the params are not what this launcher needs
     */
    default void validateParams(Params params) {
    }

    /**
     * Looks at the world and decides. Runs inside the decision's transaction.
     *
     * @param ctx the schedule being checked, and the transaction's connection
     * @return never null
     * @throws Exception any failure; counted as a launcher failure and retried with backoff
     */
    Decision checkConditions(LaunchContext ctx) throws Exception;
}
