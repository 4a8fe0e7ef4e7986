package dev.lamplighter.cli.db;


import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.cli.db.DatabaseStarter;
import dev.lamplighter.cli.db.EmbeddedDatabase;
import dev.lamplighter.worker.testing.LogCapture;
import dev.lamplighter.worker.testing.TestDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded default, started the way the CLI starts it (the environment, then
 * {@link DatabaseStarter#start}): a data directory of its own, kept between starts, durable, and a
 * node that is not the superuser.
 */
class EmbeddedDatabaseTest {

    /** The CLI's configuration for a fresh data directory and a free port. */
    static CliSettings cliConfig(Path dir, int port) {
        return CliSettings.fromEnvironment(Map.of("LAMPLIGHTER_DATA_DIR", dir.toString(),
                "LAMPLIGHTER_EMBEDDED_PORT", Integer.toString(port), "LAMPLIGHTER_POOL_SIZE", "3"));
    }

    static Path freshDir() {
        return TestDatabase.tempDir("lamplighter-embedded-").resolve("pg");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String show(DatabaseStarter db, String setting) {
        return db.database().jdbi().withHandle(h -> h.createQuery("SHOW " + setting).mapTo(String.class).one());
    }

    @Test
    void a_second_start_over_the_same_data_directory_keeps_the_data() throws IOException {
        CliSettings config = cliConfig(freshDir(), freePort());
        try (DatabaseStarter first = DatabaseStarter.start(config)) {
            assertThat(first.embedded()).isTrue();
            assertThat(first.psqlTarget()).startsWith("postgresql://lamplighter@localhost:").endsWith("/lamplighter");
            first.database().jdbi().useHandle(h -> h.execute("""
                    INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron)
                    VALUES ('kept', 'L', 'kept', '0 * * * *')"""));
        }
        try (DatabaseStarter second = DatabaseStarter.start(config)) {
            int kept = second.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM lamplighter.scheduled_jobs WHERE name = 'kept'").mapTo(Integer.class).one());
            assertThat(kept).isEqualTo(1);
            assertThat(second.database().migrate()).as("already migrated").isZero();
        }
    }

    @Test
    void a_kept_data_directory_runs_with_fsync_synchronous_commit_and_full_page_writes_on() throws IOException {
        Path dir = freshDir();
        try (DatabaseStarter db = DatabaseStarter.start(cliConfig(dir, freePort()))) {
            assertThat(show(db, "fsync")).isEqualTo("on");
            assertThat(show(db, "synchronous_commit")).isEqualTo("on");
            assertThat(show(db, "full_page_writes")).isEqualTo("on");
            long pid = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
            List<String> commandLine = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).split("\0"));
            assertThat(commandLine).as("the postmaster's command line").isNotEmpty().doesNotContain("-F");
        }
    }

    @Test
    void the_node_connects_as_its_own_role_that_is_no_superuser_and_may_become_lamplighter_condition() throws IOException {
        try (DatabaseStarter db = DatabaseStarter.start(cliConfig(freshDir(), freePort()))) {
            Map<String, Object> me = db.database().jdbi().withHandle(h -> h.createQuery("""
                    SELECT current_user AS name, r.rolsuper, r.rolcreaterole, r.rolcreatedb,
                           (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'lamplighter') AS schema_owner,
                           (SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()) AS database_owner,
                           pg_has_role(current_user, 'lamplighter_condition', 'SET') AS may_set_condition,
                           c.rolcanlogin AS condition_can_login, c.rolsuper AS condition_super
                    FROM pg_roles r, pg_roles c
                    WHERE r.rolname = current_user AND c.rolname = 'lamplighter_condition'""").mapToMap().one());
            assertThat(me).containsEntry("name", "lamplighter").containsEntry("rolsuper", false)
                    .containsEntry("rolcreaterole", false).containsEntry("rolcreatedb", false)
                    .containsEntry("schema_owner", "lamplighter").containsEntry("database_owner", "lamplighter")
                    .containsEntry("may_set_condition", true)
                    .containsEntry("condition_can_login", false).containsEntry("condition_super", false);
            String role = db.database().jdbi().inTransaction(h -> {
                h.execute("SET LOCAL ROLE lamplighter_condition");
                return h.createQuery("SELECT current_user").mapTo(String.class).one();
            });
            assertThat(role).isEqualTo("lamplighter_condition");
        }
    }

    @Test
    void a_taken_port_is_reported_in_one_warning_with_the_port_that_is_used_instead() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("localhost", 0));
            int port = taken.getLocalPort();
            try (LogCapture logs = new LogCapture(); DatabaseStarter db = DatabaseStarter.start(cliConfig(freshDir(), port))) {
                assertThat(db.psqlTarget()).doesNotContain(":" + port + "/");
                String used = db.psqlTarget().replaceAll(".*:(\\d+)/.*", "$1");
                assertThat(logs.warnings()).hasSize(1);
                assertThat(logs.warnings().get(0)).contains("Port " + port + " is taken", "port " + used + " instead");
            }
        }
    }

    @Test
    void a_fresh_database_is_created_and_migrated_without_a_warning() throws IOException {
        try (LogCapture logs = new LogCapture(); DatabaseStarter db = DatabaseStarter.start(cliConfig(freshDir(), freePort()))) {
            assertThat(db.database().migrate()).isZero();
            assertThat(logs.warnings()).isEmpty();
        }
    }

    @Test
    void a_stale_postmaster_pid_that_names_another_live_program_is_not_taken_for_a_server() throws IOException {
        Path dir = freshDir();
        CliSettings config = cliConfig(dir, freePort());
        DatabaseStarter.start(config).close();
        // As after a crash and a reboot: the pid in the file now belongs to another program (this JVM).
        Files.writeString(dir.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + dir + "\n1700000000\n"
                + freePort() + "\n/tmp\nlocalhost\n  1234567   7654321\nready   \n");
        assertThat(EmbeddedDatabase.runningPort(dir)).isEmpty();
        try (DatabaseStarter db = DatabaseStarter.start(config)) {
            assertThat(show(db, "fsync")).isEqualTo("on");
        }
    }
}
