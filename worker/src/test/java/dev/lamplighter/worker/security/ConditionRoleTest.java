package dev.lamplighter.worker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.conditions.ConditionRoleException;
import dev.lamplighter.conditions.Conditions;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import dev.lamplighter.worker.internal.poll.PollerSettings;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.testing.DirectLaunchContext;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SQL conditions run as the condition role, not as the node's role: whoever writes a schedule's
 * params gets that role's privileges (USAGE on the schema, SELECT on what the team granted) and
 * nothing more. The test database's node role is the superuser {@code postgres}, the worst case.
 */
@Tag(TestClock.TAG)
class ConditionRoleTest {

    private static final Instant START = TestClock.start();
    private static final String ROLE = LaunchContext.DEFAULT_CONDITION_ROLE;

    private final TestDatabase db = TestDatabase.get();
    private final Jdbi jdbi = db.jdbi();
    private final MutableClock clock = new MutableClock(START);

    @BeforeEach
    void reset() {
        db.reset();
        jdbi.useHandle(h -> h.execute("""
                DROP TABLE IF EXISTS public.role_test_secrets, public.role_test_documents;
                CREATE TABLE public.role_test_secrets (secret text);
                INSERT INTO public.role_test_secrets VALUES ('the node can read this, a condition cannot');
                CREATE TABLE public.role_test_documents (id int, title text);
                INSERT INTO public.role_test_documents VALUES (1, 'pending')"""));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void schedule(String name, String query) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run, params)
                VALUES (:name, 'lamplighter.sql', :name, '0 * * * *', :now, jsonb_build_object('query', CAST(:query AS text)))""")
                .bind("name", name).bind("now", START).bind("query", query).execute());
    }

    private SchedulePoller poller(String conditionRole) {
        Map<String, Launcher> byName = new HashMap<>();
        Conditions.builtInLaunchers().forEach(l -> byName.put(l.name(), l));
        return new SchedulePoller(jdbi, byName, new PollerSettings("n1", Duration.ofSeconds(60), Duration.ofMinutes(2),
                92L, clock, 100).withConditionRole(conditionRole));
    }

    private record Row(int retryCount, Instant nextRun, String lastError, String lastOutcome, long jobs) {
    }

    private Row row(String name) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT retry_count, next_run, last_error, last_outcome,
                       (SELECT count(*) FROM lamplighter.jobs WHERE schedule_name = :name) AS jobs
                FROM lamplighter.scheduled_jobs WHERE name = :name""")
                .bind("name", name)
                .map((rs, ctx) -> new Row(rs.getInt("retry_count"), rs.getObject("next_run", OffsetDateTime.class).toInstant(),
                        rs.getString("last_error"), rs.getString("last_outcome"), rs.getLong("jobs")))
                .one());
    }

    /** The schedule failed like any launcher failure: error kept, retry 1, due again in 2 minutes, no job. */
    private String failedOnce(String name) {
        Row row = row(name);
        assertThat(row.lastOutcome()).isEqualTo("failed");
        assertThat(row.retryCount()).isEqualTo(1);
        assertThat(row.nextRun()).isEqualTo(START.plus(Duration.ofMinutes(2)));
        assertThat(row.jobs()).isZero();
        return row.lastError();
    }

    private ConnectionInfo as(String user, String database) {
        ConnectionInfo info = db.database().connectionInfo();
        String url = database == null ? info.jdbcUrl()
                : info.jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
        return new ConnectionInfo(url, user, "role-test-secret");
    }

    // ---- what a condition may not do ------------------------------------------------------------

    @Test
    void a_condition_that_reads_a_server_file_fails_with_the_permission_error_and_backs_off() {
        schedule("file", "SELECT pg_read_file('/etc/hostname') AS f, (SELECT count(*) FROM pg_stat_activity) AS n");
        poller(ROLE).runOnce();
        assertThat(failedOnce("file")).contains("SQL condition failed: ERROR: permission denied for function pg_read_file");
    }

    @Test
    void a_condition_that_terminates_another_session_fails_and_the_session_lives_on() throws Exception {
        try (Connection victim = db.database().openDedicatedConnection()) {
            int pid;
            try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            schedule("terminate", "SELECT pg_terminate_backend(" + pid + ") AS killed");
            poller(ROLE).runOnce();
            assertThat(failedOnce("terminate")).contains("permission denied to terminate process");
            try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void a_condition_that_reads_a_table_not_granted_to_the_condition_role_fails_and_a_granted_one_is_read() {
        schedule("secrets", "SELECT secret FROM public.role_test_secrets");
        schedule("documents", "SELECT id, title FROM public.role_test_documents");
        jdbi.useHandle(h -> h.execute("GRANT SELECT ON public.role_test_documents TO " + ROLE));
        poller(ROLE).runOnce();
        assertThat(failedOnce("secrets")).contains("ERROR: permission denied for table role_test_secrets")
                .doesNotContain("the node can read this");
        Row documents = row("documents");
        assertThat(documents.lastOutcome()).isEqualTo("launched");
        assertThat(documents.retryCount()).isZero();
        String payload = jdbi.withHandle(h -> h.createQuery(
                "SELECT CAST(payload AS text) FROM lamplighter.jobs WHERE schedule_name = 'documents'").mapTo(String.class).one());
        assertThat(payload).contains("\"rows\": [{\"id\": 1, \"title\": \"pending\"}]", "\"row_count\": 1");
    }

    @Test
    void a_condition_cannot_switch_back_to_the_node_role_with_set_config() {
        schedule("climb", "SELECT set_config('role', 'none', true) AS r,"
                + " query_to_xml('SELECT pg_read_file(''/etc/hostname'') AS f', false, false, '') AS x");
        poller(ROLE).runOnce();
        assertThat(failedOnce("climb")).contains("cannot set parameter \"role\" within security-definer function");
    }

    @Test
    void a_condition_runs_exactly_one_query_and_no_copy_to_program() {
        schedule("two", "SELECT 1; RESET ROLE; SELECT pg_read_file('/etc/hostname')");
        schedule("copy", "COPY (SELECT 1) TO PROGRAM 'true'");
        poller(ROLE).runOnce();
        assertThat(failedOnce("two")).contains("cannot open multi-query plan as cursor");
        assertThat(failedOnce("copy")).contains("cannot open COPY query as cursor");
    }

    @Test
    void the_rest_of_the_decision_runs_as_the_node_again_after_the_condition() throws Exception {
        try (Connection c = db.database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            var decision = Conditions.sql("SELECT current_user AS who").evaluate(new DirectLaunchContext("direct", c, ROLE, START));
            assertThat(decision.payload().get("rows")).isEqualTo(List.of(Map.of("who", ROLE)));
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_user, current_setting('transaction_read_only')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(db.database().connectionInfo().user());
                assertThat(rs.getString(2)).isEqualTo("off");
            }
            c.rollback();
        }
    }

    // ---- a role that cannot be used is refused, with what to run -------------------------------

    @Test
    void a_missing_condition_role_fails_with_one_error_naming_the_role_and_the_fix() {
        schedule("orphan", "SELECT true");
        poller("lamplighter_no_such_role").runOnce();
        assertThat(failedOnce("orphan"))
                .contains("condition role \"lamplighter_no_such_role\" (LAMPLIGHTER_CONDITION_ROLE) does not exist",
                        "CALL lamplighter.setup_condition_role('lamplighter_no_such_role', '"
                                + db.database().connectionInfo().user() + "')")
                .doesNotContain("\n");
    }

    @Test
    void a_superuser_condition_role_is_refused() throws Exception {
        jdbi.useHandle(h -> h.execute("""
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'role_test_strong') THEN
                        CREATE ROLE role_test_strong NOLOGIN SUPERUSER;
                    END IF;
                END $$"""));
        try (Connection c = db.database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> Conditions.sql("SELECT true").evaluate(new DirectLaunchContext("direct", c, "role_test_strong", START)))
                    .isInstanceOf(ConditionRoleException.class)
                    .hasMessageContaining("condition role \"role_test_strong\" (LAMPLIGHTER_CONDITION_ROLE) is not allowed");
            c.rollback();
        }
    }

    @Test
    void a_node_that_may_not_set_role_to_the_condition_role_is_told_what_to_grant() throws Exception {
        jdbi.useHandle(h -> h.execute("""
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'role_test_node') THEN
                        CREATE ROLE role_test_node LOGIN PASSWORD 'role-test-secret';
                    END IF;
                END $$;
                GRANT USAGE ON SCHEMA lamplighter TO role_test_node"""));
        try (Database node = Database.connect(as("role_test_node", null), 1, "role-test-node");
             Connection c = node.dataSource().getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> Conditions.sql("SELECT true").evaluate(new DirectLaunchContext("direct", c, ROLE, START)))
                    .isInstanceOf(ConditionRoleException.class)
                    .hasMessageContaining("node role \"role_test_node\" may not SET ROLE to the condition role \"" + ROLE + "\"")
                    .hasMessageContaining("GRANT " + ROLE + " TO role_test_node WITH INHERIT FALSE, SET TRUE");
            c.rollback();
        }
    }

    @Test
    void another_condition_role_set_up_with_the_procedure_is_the_one_conditions_run_as() throws Exception {
        jdbi.useHandle(h -> h.execute("CALL lamplighter.setup_condition_role('role_test_custom')"));
        try (Connection c = db.database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            var decision = Conditions.sql("SELECT current_user AS who").evaluate(new DirectLaunchContext("direct", c, "role_test_custom", START));
            assertThat(decision.payload().get("rows")).isEqualTo(List.of(Map.of("who", "role_test_custom")));
            assertThatThrownBy(() -> Conditions.sql("SELECT true").evaluate(new DirectLaunchContext("direct", c, ROLE, START)))
                    .isInstanceOf(ConditionRoleException.class)
                    .hasMessageContaining("is owned by \"role_test_custom\", not by the condition role \"" + ROLE + "\"");
            c.rollback();
        } finally {
            jdbi.useHandle(h -> h.execute("CALL lamplighter.setup_condition_role('" + ROLE + "')"));
        }
    }

    // ---- the migration -------------------------------------------------------------------------

    @Test
    void the_migration_creates_a_condition_role_with_usage_on_the_schema_and_nothing_else() {
        Map<String, Object> role = jdbi.withHandle(h -> h.createQuery("""
                SELECT r.rolcanlogin, r.rolsuper, r.rolcreaterole, r.rolbypassrls,
                       has_schema_privilege(r.oid, 'lamplighter', 'USAGE') AS usage,
                       has_schema_privilege(r.oid, 'lamplighter', 'CREATE') AS create,
                       has_table_privilege(r.oid, 'lamplighter.scheduled_jobs', 'SELECT') AS reads_schedules,
                       has_table_privilege(r.oid, 'lamplighter.jobs', 'SELECT') AS reads_jobs,
                       pg_has_role(r.oid, 'pg_read_server_files', 'USAGE') AS reads_files,
                       pg_has_role(r.oid, 'pg_signal_backend', 'USAGE') AS signals,
                       (SELECT pg_get_userbyid(proowner) FROM pg_proc
                        WHERE oid = to_regprocedure('lamplighter.run_condition(text)')) AS runner_owner,
                       has_function_privilege('public', 'lamplighter.run_condition(text)', 'EXECUTE') AS public_runs_it
                FROM pg_roles r WHERE r.rolname = :role""").bind("role", ROLE).mapToMap().one());
        assertThat(role).containsEntry("rolcanlogin", false).containsEntry("rolsuper", false)
                .containsEntry("rolcreaterole", false).containsEntry("rolbypassrls", false)
                .containsEntry("usage", true).containsEntry("create", false)
                .containsEntry("reads_schedules", false).containsEntry("reads_jobs", false)
                .containsEntry("reads_files", false).containsEntry("signals", false)
                .containsEntry("runner_owner", ROLE).containsEntry("public_runs_it", false);
    }

    @Test
    void a_migrating_role_that_may_not_create_roles_migrates_and_conditions_say_what_a_superuser_runs() throws Exception {
        jdbi.useHandle(h -> {
            h.execute("DROP DATABASE IF EXISTS role_test_owned");
            h.execute("""
                    DO $$ BEGIN
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'role_test_owner') THEN
                            CREATE ROLE role_test_owner LOGIN NOCREATEROLE PASSWORD 'role-test-secret';
                        END IF;
                    END $$""");
            h.execute("CREATE DATABASE role_test_owned OWNER role_test_owner");
        });
        try (Database owned = Database.connect(as("role_test_owner", "role_test_owned"), 2, "role-test-owned")) {
            assertThat(owned.migrate()).as("every migration, V6 included, applies").isPositive();
            String owner = owned.jdbi().withHandle(h -> h.createQuery(
                    "SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE oid = to_regprocedure('lamplighter.run_condition(text)')")
                    .mapTo(String.class).one());
            assertThat(owner).isEqualTo("role_test_owner");
            try (Connection c = owned.dataSource().getConnection()) {
                c.setAutoCommit(false);
                assertThatThrownBy(() -> Conditions.sql("SELECT true").evaluate(new DirectLaunchContext("direct", c, ROLE, START)))
                        .isInstanceOf(ConditionRoleException.class)
                        .hasMessageContaining("lamplighter.run_condition(text) is owned by \"role_test_owner\"")
                        .hasMessageContaining("CALL lamplighter.setup_condition_role('" + ROLE + "', 'role_test_owner')");
                c.rollback();
            }
            // What the README tells a superuser to run; afterwards the same node runs its conditions.
            ConnectionInfo superuser = db.database().connectionInfo();
            try (Database dba = Database.connect(new ConnectionInfo(as(superuser.user(), "role_test_owned").jdbcUrl(),
                    superuser.user(), superuser.password()), 1, "role-test-dba")) {
                dba.jdbi().useHandle(h -> h.execute("CALL lamplighter.setup_condition_role('" + ROLE + "', 'role_test_owner')"));
            }
            try (Connection c = owned.dataSource().getConnection()) {
                c.setAutoCommit(false);
                var decision = Conditions.sql("SELECT current_user AS who").evaluate(new DirectLaunchContext("direct", c, ROLE, START));
                assertThat(decision.payload().get("rows")).isEqualTo(List.of(Map.of("who", ROLE)));
                c.rollback();
            }
        } finally {
            jdbi.useHandle(h -> h.execute("DROP DATABASE IF EXISTS role_test_owned WITH (FORCE)"));
        }
    }
}
