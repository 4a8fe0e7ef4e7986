package dev.lamplighter.spring.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lamplighter.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The README's example application runs: the button triggers the schedule and the report job completes. */
class ReportsApplicationTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    /** The test database as the application's DataSource (an application sets spring.datasource.url). */
    @Configuration(proxyBeanMethods = false)
    static class TestDataSource {
        @Bean(destroyMethod = "")
        DataSource dataSource() {
            return TestDatabase.get().database().dataSource();
        }
    }

    private List<String> reportJobs() {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT status FROM lamplighter.jobs WHERE schedule_name = 'nightly_report'").mapTo(String.class).list());
    }

    @Test
    void the_readme_application_runs_a_report_when_the_button_is_pressed() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ReportsApplication.class, TestDataSource.class)
                .web(WebApplicationType.NONE).properties("spring.flyway.enabled=false").run()) {
            context.getBean(ReportButton.class).now();

            await().atMost(Duration.ofSeconds(30)).until(() -> reportJobs().equals(List.of("completed")));
        }
        String zone = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT time_zone FROM lamplighter.scheduled_jobs WHERE name = 'nightly_report'").mapTo(String.class).one());
        assertThat(zone).isEqualTo("Europe/Berlin");
    }
}
