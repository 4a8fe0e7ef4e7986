package dev.lamplighter.spring.example;

import dev.lamplighter.Decision;
import dev.lamplighter.JobHandler;
import dev.lamplighter.LaunchContext;
import dev.lamplighter.Launcher;
import dev.lamplighter.Schedule;
import dev.lamplighter.client.LamplighterClient;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Service;

/** The README's Spring Boot example, verbatim; ReportsApplicationTest runs it. */
@SpringBootApplication
public class ReportsApplication {

    @Bean
    Launcher reportLauncher() {   // cheap check; launches a job when there is work
        return new Launcher() {
            @Override public String name() { return "ReportLauncher"; }
            @Override public Decision checkConditions(LaunchContext ctx) {
                return Decision.launch(Map.of("from", "spring"), "always");
            }
        };
    }

    @Bean
    JobHandler reportHandler() {   // the work
        return JobHandler.of("report", ctx -> Map.of("done", true));
    }

    @Bean
    Schedule nightlyReport() {
        return Schedule.builder("nightly_report").cron("0 3 * * *").timeZone("Europe/Berlin")
                .launcher("ReportLauncher").jobType("report").build();
    }
}

@Service
class ReportButton {
    private final LamplighterClient lamplighter;
    ReportButton(LamplighterClient lamplighter) { this.lamplighter = lamplighter; }
    void now() { lamplighter.trigger("nightly_report"); }   // checked at once, not at 03:00
}
