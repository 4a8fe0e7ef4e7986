package dev.lamplighter.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Limits declared in lamplighter.job-types.* are registered in lamplighter.job_types at start. */
class JobTypeLimitPropertiesTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
        LamplighterAutoConfigurationTest.signals = new LamplighterAutoConfigurationTest.Signals();
    }

    @Test
    void limits_declared_in_properties_are_registered_at_start() {
        try (ConfigurableApplicationContext ignored = LamplighterAutoConfigurationTest.run(
                "lamplighter.job-types.[send_receipt].max-running=3",
                "lamplighter.job-types.payout.exclusive=true")) {
            Map<String, Object> report = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT max_running, exclusive FROM lamplighter.job_types WHERE job_type = 'send_receipt'").mapToMap().one());
            Map<String, Object> payout = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT effective_limit FROM lamplighter.job_type_limits WHERE job_type = 'payout'").mapToMap().one());
            assertThat(report).containsEntry("max_running", 3).containsEntry("exclusive", false);
            assertThat(payout).containsEntry("effective_limit", 1);
        }
    }

    @Test
    void a_limit_below_1_stops_the_application_naming_the_property() {
        assertThatThrownBy(() -> LamplighterAutoConfigurationTest.run("lamplighter.job-types.report.max-running=0"))
                .rootCause()
                .hasMessage("Invalid property lamplighter.job-types.report.max-running: "
                        + "maxRunning = 0 (job type \"report\") is not allowed: expected 1 or more");
    }
}
