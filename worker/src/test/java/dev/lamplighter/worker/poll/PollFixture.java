package dev.lamplighter.worker.poll;

import dev.lamplighter.Launcher;
import dev.lamplighter.worker.internal.poll.PollerSettings;
import dev.lamplighter.worker.internal.poll.SchedulePoller;
import dev.lamplighter.worker.testing.MutableClock;
import dev.lamplighter.worker.testing.TestClock;
import dev.lamplighter.worker.testing.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** Schedules written by SQL, pollers on the test clock, and reads of what they recorded. */
final class PollFixture {

    static final Instant START = TestClock.start();

    final TestDatabase db = TestDatabase.get();
    final Jdbi jdbi = db.jdbi();
    final MutableClock clock = new MutableClock(START);

    PollFixture() {
        db.reset();
    }

    PollerSettings settings(String node, int batchLimit) {
        return new PollerSettings(node, Duration.ofSeconds(60), Duration.ofMinutes(2), 4242L, clock, batchLimit);
    }

    SchedulePoller poller(Launcher... launchers) {
        return new SchedulePoller(jdbi, byName(launchers), settings("node-a", 1000));
    }

    static Map<String, Launcher> byName(Launcher... launchers) {
        return Arrays.stream(launchers).collect(Collectors.toMap(Launcher::name, l -> l));
    }

    void insert(String name, String launcher, String cron, Instant nextRun) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.scheduled_jobs (name, launcher, job_type, schedule_cron, next_run)
                VALUES (:name, :launcher, :name, :cron, :nextRun)
                """).bind("name", name).bind("launcher", launcher).bind("cron", cron).bind("nextRun", nextRun).execute());
    }

    void sql(String statement) {
        jdbi.useHandle(h -> h.execute(statement));
    }

    Map<String, Object> row(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM lamplighter.scheduled_jobs WHERE name = :name")
                .bind("name", name).mapToMap().one());
    }

    Instant nextRun(String name) {
        return ((Timestamp) row(name).get("next_run")).toInstant();
    }

    String text(String query) {
        return jdbi.withHandle(h -> h.createQuery(query).mapTo(String.class).one());
    }

    List<String> texts(String query) {
        return jdbi.withHandle(h -> h.createQuery(query).mapTo(String.class).list());
    }

    int count(String query) {
        return jdbi.withHandle(h -> h.createQuery(query).mapTo(Integer.class).one());
    }
}
