package dev.lamplighter.worker.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.security.OperatorLogins;
import dev.lamplighter.worker.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file of the operator cookbook runs, and the seed's own SQL runs verbatim. */
class CookbookTest {

    /** Sample values for the psql variables the cookbook uses ({@code psql -v name=...}). */
    private static final Map<String, String> VARIABLES = Map.ofEntries(
            Map.entry("name", "epistemic_remeasurement"),
            Map.entry("limit", "10"),
            Map.entry("job_id", "3"),
            Map.entry("mode", "hitl"),
            Map.entry("table", "public.cookbook_documents"),
            Map.entry("counter", "document_changes"),
            Map.entry("job_type", "send_receipt"),
            Map.entry("max_running", "3"),
            Map.entry("exclusive", "false"),
            Map.entry("reason", "database upgrade"),
            Map.entry("node_id", "worker-7"));

    private static final Pattern ROLE_LINE = Pattern.compile("(?m)^-- Role: (.+)$");

    private static final Pattern PSQL_VARIABLE = Pattern.compile("(?<!:):(?:'([a-z_]+)'|\"([a-z_]+)\"|([a-z_]+))");

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();

    @BeforeEach
    void sampleData() {
        db.reset();
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, enabled, next_run, retry_count)
                VALUES ('epistemic_remeasurement', 'EpistemicRemeasurementLauncher', 'epistemic_remeasurement', '0 * * * *',
                        false, now() + interval '1 hour', 5),
                       ('category_refresh', 'CategoryRefreshLauncher', 'category_refresh', '0 */6 * * *',
                        true, now() + interval '6 hours', 0);
                INSERT INTO lamplighter.jobs (job_type, status, schedule_name, is_system_job, job_source)
                VALUES ('epistemic_remeasurement', 'completed', 'epistemic_remeasurement', true, 'scheduled_task'),
                       ('category_refresh', 'failed', 'category_refresh', true, 'scheduled_task'),
                       ('ontology_annealing', 'awaiting_approval', 'ontology_annealing', true, 'scheduled_task');
                DROP TABLE IF EXISTS public.cookbook_documents;
                CREATE TABLE public.cookbook_documents (id int PRIMARY KEY, title text);
                INSERT INTO lamplighter.decision_log (schedule_name, slot, outcome, reason, figures)
                VALUES ('epistemic_remeasurement', now(), 'skipped', 'Delta (5) below threshold (10)', '{"delta": 5}')"""));
    }

    static Stream<Path> cookbook() {
        return SqlTree.files(true).stream();
    }

    /** Substitutes psql variables as psql does: :'v' a literal, :"v" an identifier, :v as is. */
    static String substitute(String sql, Map<String, String> variables) {
        Matcher m = PSQL_VARIABLE.matcher(SqlTree.withoutComments(sql));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = variables.get(name);
            if (value == null) {
                throw new AssertionError("psql variable :" + name + " has no sample value in CookbookTest.VARIABLES");
            }
            String replaced = m.group(1) != null ? "'" + value.replace("'", "''") + "'"
                    : m.group(2) != null ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
            m.appendReplacement(out, Matcher.quoteReplacement(replaced));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void runFile(String file) throws Exception {
        String sql = substitute(SqlTree.read(SqlTree.ROOT.resolve("cookbook").resolve(file)), VARIABLES);
        try (Connection c = db.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private Map<String, Object> schedule() {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT enabled, retry_count, next_run <= now() AS due FROM lamplighter.scheduled_jobs WHERE name = 'epistemic_remeasurement'")
                .mapToMap().one());
    }

    @Test
    void the_cookbook_has_the_files_the_readme_promises() {
        assertThat(cookbook().map(p -> p.getFileName().toString())).contains("status.sql", "history.sql", "trigger.sql",
                "disable.sql", "enable.sql", "failures.sql", "decisions.sql", "job_retry.sql", "grants.sql", "nodes.sql",
                "approve.sql", "reject.sql", "automation.sql", "conditions.sql", "counter_trigger_example.sql",
                "job_type_limits.sql");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cookbook")
    void every_cookbook_file_runs(Path file) throws Exception {
        String sql = substitute(SqlTree.read(file), VARIABLES);
        try (Connection c = db.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        try (Connection c = db.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The role a cookbook file's header says it is for ({@code -- Role: ...}). */
    static String roleOf(Path file) {
        Matcher m = ROLE_LINE.matcher(SqlTree.read(file));
        if (!m.find()) {
            throw new AssertionError(file.getFileName() + " has no '-- Role: ...' line saying who runs it");
        }
        return m.group(1).strip();
    }

    private static void runAs(String user, String sql) throws SQLException {
        try (Connection c = OperatorLogins.connect(TestDatabase.get(), user); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cookbook")
    void every_cookbook_file_runs_as_the_role_its_header_names_and_a_reader_cannot_write(Path file) throws Exception {
        OperatorLogins.ensure(db);
        String role = roleOf(file);
        String sql = substitute(SqlTree.read(file), VARIABLES);
        switch (role) {
            case "lamplighter_reader" -> {
                runAs(OperatorLogins.READER, sql);
                runAs(OperatorLogins.OPERATOR, sql);
            }
            case "lamplighter_operator" -> {
                runAs(OperatorLogins.OPERATOR, sql);
                assertThatThrownBy(() -> runAs(OperatorLogins.READER, sql))
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
            // Files for a superuser or a table's owner run as the test's superuser (every_cookbook_file_runs).
            default -> assertThat(role).as("%s is for a superuser or an owner", file.getFileName())
                    .containsAnyOf("superuser", "owner");
        }
    }

    @Test
    void an_operator_enables_triggers_and_disables_a_schedule_and_approves_a_job() throws Exception {
        OperatorLogins.ensure(db);
        for (String file : List.of("enable.sql", "trigger.sql")) {
            runAs(OperatorLogins.OPERATOR, substitute(SqlTree.read(SqlTree.ROOT.resolve("cookbook").resolve(file)), VARIABLES));
        }
        assertThat(schedule()).containsEntry("enabled", true).containsEntry("retry_count", 0).containsEntry("due", true);
        runAs(OperatorLogins.OPERATOR, substitute(SqlTree.read(SqlTree.ROOT.resolve("cookbook/disable.sql")), VARIABLES));
        assertThat(schedule()).containsEntry("enabled", false);
        runAs(OperatorLogins.OPERATOR, substitute(SqlTree.read(SqlTree.ROOT.resolve("cookbook/reject.sql")), VARIABLES));
        String status = jdbi.withHandle(h -> h.createQuery("SELECT status || ' ' || last_error FROM lamplighter.jobs WHERE job_id = 3")
                .mapTo(String.class).one());
        assertThat(status).isEqualTo("rejected rejected by " + OperatorLogins.OPERATOR);
    }

    @Test
    void enable_disable_trigger_and_job_retry_have_their_effect() throws Exception {
        runFile("enable.sql");
        assertThat(schedule()).containsEntry("enabled", true).containsEntry("retry_count", 0).containsEntry("due", false);
        runFile("trigger.sql");
        assertThat(schedule()).containsEntry("due", true);
        runFile("disable.sql");
        assertThat(schedule()).containsEntry("enabled", false);
        runFile("approve.sql");
        String status = jdbi.withHandle(h -> h.createQuery("SELECT status FROM lamplighter.jobs WHERE job_id = 3").mapTo(String.class).one());
        assertThat(status).isEqualTo("queued");
        runFile("automation.sql");
        String automation = jdbi.withHandle(h -> h.createQuery(
                "SELECT automation FROM lamplighter.scheduled_jobs WHERE name = 'epistemic_remeasurement'").mapTo(String.class).one());
        assertThat(automation).isEqualTo("hitl");
    }

    @Test
    void pause_resume_and_drain_change_the_rows_the_nodes_read() throws Exception {
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO lamplighter.cluster_state (id) VALUES (true);
                INSERT INTO lamplighter.nodes (node_id, hostname, pid, version) VALUES ('worker-7', 'h', 1, 'v')"""));
        OperatorLogins.ensure(db);
        runAs(OperatorLogins.OPERATOR, substitute(SqlTree.read(SqlTree.ROOT.resolve("cookbook/pause.sql")), VARIABLES));
        Map<String, Object> paused = jdbi.withHandle(h -> h.createQuery(
                "SELECT paused, reason, paused_by, paused_at IS NOT NULL AS since FROM lamplighter.cluster_state").mapToMap().one());
        assertThat(paused).containsEntry("paused", true).containsEntry("reason", "database upgrade")
                .containsEntry("paused_by", OperatorLogins.OPERATOR).containsEntry("since", true);
        runAs(OperatorLogins.OPERATOR, substitute(SqlTree.read(SqlTree.ROOT.resolve("cookbook/resume.sql")), VARIABLES));
        assertThat(isTrue("SELECT paused FROM lamplighter.cluster_state")).isFalse();
        runAs(OperatorLogins.OPERATOR, substitute(SqlTree.read(SqlTree.ROOT.resolve("cookbook/drain.sql")), VARIABLES));
        assertThat(isTrue("SELECT drain_requested_at IS NOT NULL FROM lamplighter.nodes WHERE node_id = 'worker-7'")).isTrue();
    }

    private boolean isTrue(String sql) {
        Boolean value = jdbi.withHandle(h -> h.createQuery(sql).mapTo(Boolean.class).one());
        return value;
    }

    @Test
    void the_counter_trigger_example_counts_changes_of_a_table() throws Exception {
        runFile("counter_trigger_example.sql");
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO public.cookbook_documents VALUES (1, 'a'), (2, 'b');
                UPDATE public.cookbook_documents SET title = 'c' WHERE id = 1;
                DELETE FROM public.cookbook_documents WHERE id = 2"""));
        long value = jdbi.withHandle(h -> h.createQuery(
                "SELECT value FROM lamplighter.counters WHERE name = 'document_changes'").mapTo(Long.class).one());
        assertThat(value).isEqualTo(4);
    }

    @Test
    void the_seeds_sql_runs_verbatim_with_kg_api_replaced_by_lamplighter() throws Exception {
        List<String> seed = List.of("""
                SELECT name, schedule_cron, enabled, last_run, last_success, next_run
                FROM kg_api.scheduled_jobs
                ORDER BY name;""", """
                SELECT job_id, job_type, status, created_at, completed_at
                FROM kg_api.jobs
                WHERE is_system_job = true
                  AND job_source = 'scheduled_task'
                ORDER BY created_at DESC
                LIMIT 10;""", """
                -- Set next_run to now to trigger on next scheduler check
                UPDATE kg_api.scheduled_jobs
                SET next_run = NOW()
                WHERE name = 'epistemic_remeasurement';""", """
                UPDATE kg_api.scheduled_jobs
                SET enabled = false
                WHERE name = 'epistemic_remeasurement';""", """
                UPDATE kg_api.scheduled_jobs
                SET enabled = true, retry_count = 0
                WHERE name = 'epistemic_remeasurement';""");
        try (Connection c = db.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String statement : seed) {
                s.execute(statement.replace("kg_api.", "lamplighter."));
            }
        }
        assertThat(schedule()).containsEntry("enabled", true).containsEntry("retry_count", 0).containsEntry("due", true);
        List<String> names = jdbi.withHandle(h -> h.createQuery(seed.get(0).replace("kg_api.", "lamplighter."))
                .map((rs, ctx) -> rs.getString("name")).list());
        assertThat(names).containsExactly("category_refresh", "epistemic_remeasurement");
        List<String> history = jdbi.withHandle(h -> h.createQuery(seed.get(1).replace("kg_api.", "lamplighter."))
                .map((rs, ctx) -> rs.getString("job_type")).list());
        assertThat(history).containsExactlyInAnyOrder("epistemic_remeasurement", "category_refresh", "ontology_annealing");
    }
}
