package dev.lamplighter.conditions;

import dev.lamplighter.Decision;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Params;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The built-in conditions of the launcher pattern: check often, run only when work is needed.
 *
 * <pre>{@code
 * Launcher remeasure = Conditions.launcher("EpistemicRemeasurementLauncher",
 *         Conditions.changeCounter("vocabulary_changes", 10));
 * Launcher anneal = Conditions.launcher("AnnealingLauncher",
 *         Conditions.all(Conditions.sql("SELECT EXISTS (SELECT 1 FROM graph.ontologies)"),
 *                        Conditions.epochDelta("ingestion", 5)));
 * }</pre>
 *
 * Every condition records the figures it looked at in the decision log.
 */
public final class Conditions {

    /** Default rows of a SQL condition's result put in the job's payload. */
    public static final int DEFAULT_SQL_MAX_ROWS = 100;
    /** Default statement timeout of a SQL condition. */
    public static final Duration DEFAULT_SQL_TIMEOUT = Duration.ofSeconds(5);

    private Conditions() {
    }

    /**
     * Launches when the change counter moved by at least {@code threshold} since the last
     * successful job: {@code value - consumed >= threshold}. The job carries the value it consumes
     * (payload {@code consume_up_to}); {@code consumed} moves up to it only when the job completes,
     * so a failed job leaves the work pending, and changes made while it ran stay counted. Count
     * changes with {@code SELECT lamplighter.bump_counter('name')} (in a trigger) or
     * {@code LamplighterClient.bumpCounter}. A counter that does not exist yet reads 0.
     *
     * @param counter   the counter's name in {@code lamplighter.counters};
     *                  1 to 128 of {@code A-Za-z0-9_.:-}, starting with a letter or digit
     * @param threshold the change that calls for work; 1 or more
     * @return the condition
     * @throws IllegalArgumentException if a name or the threshold is not allowed
     */
    public static Condition changeCounter(String counter, long threshold) {
        return new ChangeCounter(counter, threshold);
    }

    /**
     * Launches when the named epoch advanced by at least {@code interval} since the epoch this
     * schedule last claimed, and claims the current epoch in the same statement. Cron, post-event
     * and manual triggers racing each other launch at most once per claimed epoch. Advance it with
     * {@code SELECT lamplighter.advance_epoch('name')}.
     *
     * @param epoch    the epoch's name in {@code lamplighter.epochs};
     *                 1 to 128 of {@code A-Za-z0-9_.:-}, starting with a letter or digit
     * @param interval how far the epoch must advance before the next launch; 1 or more
     * @return the condition
     * @throws IllegalArgumentException if the name or the interval is not allowed
     */
    public static Condition epochDelta(String epoch, long interval) {
        return new EpochDelta(epoch, interval);
    }

    /**
     * On above {@code high}, off below {@code low}, unchanged in between; launches while on. The
     * state is stored per schedule and condition name in {@code lamplighter.hysteresis_state}, so
     * it survives restarts and is shared by nodes. With the seed's watermarks (0.20 / 0.10), the
     * ratios 0.25, 0.15, 0.12, 0.09, 0.15, 0.21 give launch, launch, launch, skip, skip, launch.
     *
     * @param name   the condition's name, which keys its stored state;
     *               1 to 128 of {@code A-Za-z0-9_.:-}, starting with a letter or digit
     * @param source where the figure is read
     * @param high   the high watermark: above it the condition turns on
     * @param low    the low watermark: below it the condition turns off; at most {@code high}
     * @return the condition
     * @throws IllegalArgumentException if the name is not allowed, a watermark is NaN, or
     *                                  {@code low > high}
     */
    public static Condition hysteresis(String name, ValueSource source, double high, double low) {
        return new Hysteresis(name, source, high, low);
    }

    /**
     * {@link #hysteresis(String, ValueSource, double, double)} over a query that returns one number
     * (the first column of its first row), run as a {@link #sql(String) SQL condition}.
     *
     * @param name  the condition's name, which keys its stored state;
     *              1 to 128 of {@code A-Za-z0-9_.:-}, starting with a letter or digit
     * @param query a {@code SELECT} whose first row's first column is a number
     * @param high  the high watermark: above it the condition turns on
     * @param low   the low watermark: below it the condition turns off; at most {@code high}
     * @return the condition
     * @throws IllegalArgumentException if the name, the query or a watermark is not allowed
     */
    public static Condition hysteresis(String name, String query, double high, double low) {
        Condition value = sql(query, 1, DEFAULT_SQL_TIMEOUT);
        return new Hysteresis(name, ctx -> {
            Decision d = value.evaluate(ctx);
            Object rows = d.payload().get("rows");
            if (!(rows instanceof List<?> list) || list.isEmpty()
                    || !(((java.util.Map<?, ?>) list.get(0)).values().iterator().next() instanceof Number n)) {
                throw new IllegalStateException("hysteresis '" + name + "': query returned no number: expected one row "
                        + "whose first column is a number (query: " + query + ")");
            }
            return n.doubleValue();
        }, high, low);
    }

    /**
     * A query that says whether work exists. If it returns a single boolean column, the first row
     * decides; otherwise it launches when it returns any row, with up to {@value #DEFAULT_SQL_MAX_ROWS}
     * rows in the payload ({@code rows}, {@code row_count}; each row a map of column to value, in
     * column order, as JSON gives it: numbers, booleans, strings). It runs read-only, with a
     * statement timeout of 5 s, as the condition role ({@link LaunchContext#conditionRole()},
     * default {@code lamplighter_condition}), never as the node's role: it reads only what was
     * granted to that role ({@code GRANT SELECT ON my_table TO lamplighter_condition}). One query,
     * no {@code COPY}. A query that writes, fails, lacks a privilege or runs too long is a launcher
     * failure with PostgreSQL's error kept; a condition role that is missing or unusable is a
     * {@link ConditionRoleException} that names the statement to fix it.
     *
     * @param query one {@code SELECT} (or {@code WITH ... SELECT}); not blank
     * @return the condition
     * @throws IllegalArgumentException if the query is blank
     */
    public static Condition sql(String query) {
        return new SqlCondition(query, DEFAULT_SQL_MAX_ROWS, DEFAULT_SQL_TIMEOUT);
    }

    /**
     * {@link #sql(String)} with the query read from a {@code .sql} file on the classpath (read once,
     * here; whole-line {@code --} comments are dropped).
     *
     * @param classpathResource the file's path on the classpath, e.g. {@code conditions/backlog.sql}
     * @return the condition
     * @throws IllegalArgumentException if the resource is missing
     */
    public static Condition sqlFile(String classpathResource) {
        try (java.io.InputStream in = Conditions.class.getClassLoader().getResourceAsStream(classpathResource)) {
            if (in == null) {
                throw new IllegalArgumentException("sqlFile = \"" + classpathResource
                        + "\" is not allowed: expected a .sql file on the classpath");
            }
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return sql(text.lines().filter(l -> !l.stripLeading().startsWith("--"))
                    .collect(java.util.stream.Collectors.joining("\n")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + classpathResource, e);
        }
    }

    /**
     * {@link #sql(String)} with the rows kept in the payload and the statement timeout given.
     *
     * @param query   one {@code SELECT} (or {@code WITH ... SELECT}); not blank
     * @param maxRows rows of the result put in the job's payload; 0 to 10000 (default
     *                {@value #DEFAULT_SQL_MAX_ROWS})
     * @param timeout the statement timeout; 1 ms to 10 min (default 5 s)
     * @return the condition
     * @throws IllegalArgumentException if a value is not allowed
     */
    public static Condition sql(String query, int maxRows, Duration timeout) {
        return new SqlCondition(query, maxRows, timeout);
    }

    /**
     * Launches when every part launches (payloads and consumed counters merged, reasons joined);
     * the first part that skips decides, and what earlier parts wrote (an epoch claim) is undone.
     *
     * @param parts the conditions, checked in order
     * @return the composed condition
     */
    public static Condition all(Condition... parts) {
        return new Composite(true, List.of(parts));
    }

    /**
     * Launches with the first part that launches; parts that skipped leave nothing behind.
     *
     * @param parts the conditions, checked in order until one launches
     * @return the composed condition
     */
    public static Condition any(Condition... parts) {
        return new Composite(false, List.of(parts));
    }

    /**
     * A launcher named {@code name} that decides with {@code condition}.
     *
     * @param name      the name schedule rows use in their {@code launcher} column;
     *                  1 to 128 of {@code A-Za-z0-9_.:-}, starting with a letter or digit
     * @param condition what decides
     * @return the launcher
     * @throws IllegalArgumentException if the name is not allowed
     */
    public static Launcher launcher(String name, Condition condition) {
        Objects.requireNonNull(condition, "condition");
        requireName("name", name);
        return new Launcher() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Decision checkConditions(LaunchContext ctx) throws Exception {
                return condition.evaluate(ctx);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /**
     * Launchers that take their settings from the schedule's {@code params}, so a schedule can be
     * written with SQL alone:
     * <ul>
     *   <li>{@code lamplighter.counter}: {@code counter} (required), {@code threshold} (default 10);</li>
     *   <li>{@code lamplighter.epoch}: {@code epoch} (required), {@code interval} (default 5);</li>
     *   <li>{@code lamplighter.sql}: {@code query} (required), {@code max_rows} (default 100),
     *       {@code timeout_ms} (default 5000);</li>
     *   <li>{@code lamplighter.hysteresis}: {@code query} (required, one number), {@code high},
     *       {@code low} (required).</li>
     * </ul>
     * Every node registers them.
     *
     * @return the four built-in launchers
     */
    public static List<Launcher> builtInLaunchers() {
        return List.of(
                new ParamsLauncher("lamplighter.counter", p -> changeCounter(p.requireString("counter"),
                        p.longValue("threshold", 10, 1, Long.MAX_VALUE))),
                new ParamsLauncher("lamplighter.epoch", p -> epochDelta(p.requireString("epoch"),
                        p.longValue("interval", 5, 1, Long.MAX_VALUE))),
                new ParamsLauncher("lamplighter.sql", p -> sql(p.requireString("query"),
                        (int) p.longValue("max_rows", DEFAULT_SQL_MAX_ROWS, 0, 10_000),
                        Duration.ofMillis(p.longValue("timeout_ms", DEFAULT_SQL_TIMEOUT.toMillis(), 1, 600_000)))),
                new ParamsLauncher("lamplighter.hysteresis", p -> {
                    if (!p.has("high")) {
                        throw Params.missing("high", "a number, the watermark above which the schedule turns on");
                    }
                    if (!p.has("low")) {
                        throw Params.missing("low", "a number, the watermark below which the schedule turns off");
                    }
                    double high = p.doubleValue("high", 0, -Double.MAX_VALUE, Double.MAX_VALUE);
                    double low = p.doubleValue("low", 0, -Double.MAX_VALUE, high);
                    return hysteresis("value", p.requireString("query"), high, low);
                }));
    }

    static String requireName(String what, String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")) {
            throw new IllegalArgumentException(what + " = " + (name == null ? "null" : "\"" + name + "\"")
                    + " is not allowed: expected 1 to 128 letters, digits, '_', '.', ':' or '-'");
        }
        return name;
    }

    /** A launcher whose condition is built from the schedule's params at each check. */
    private static final class ParamsLauncher implements Launcher {
        private final String name;
        private final java.util.function.Function<Params, Condition> build;

        ParamsLauncher(String name, java.util.function.Function<Params, Condition> build) {
            this.name = name;
            this.build = build;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void validateParams(Params params) {
            try {
                build.apply(params);
            } catch (IllegalArgumentException e) {
                throw new dev.lamplighter.InvalidParamsException("params of " + name + ": " + e.getMessage());
            }
        }

        @Override
        public Decision checkConditions(LaunchContext ctx) throws Exception {
            return build.apply(ctx.params()).evaluate(ctx);
        }
    }
}
