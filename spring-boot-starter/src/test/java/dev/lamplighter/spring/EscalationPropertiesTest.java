package dev.lamplighter.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.escalation.EscalationConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The lamplighter.escalation.* properties: defaults, values, and errors naming the property. */
class EscalationPropertiesTest {

    @Test
    void the_escalation_property_defaults_equal_the_node_defaults_no_webhook() {
        EscalationConfig e = PropertiesMapping.config(new LamplighterProperties()).escalation();
        assertThat(e.enabled()).isFalse();
        assertThat(e.failedJobs()).isFalse();
        assertThat(e.failedJobsInterval()).isEqualTo(EscalationConfig.DEFAULT_FAILED_JOBS_INTERVAL);
        assertThat(e.webhookTimeout()).isEqualTo(EscalationConfig.DEFAULT_WEBHOOK_TIMEOUT);
        assertThat(e.webhookAttempts()).isEqualTo(EscalationConfig.DEFAULT_WEBHOOK_ATTEMPTS);
        assertThat(e.webhookRetryBase()).isEqualTo(EscalationConfig.DEFAULT_WEBHOOK_RETRY_BASE);
    }

    @Test
    void the_properties_set_the_webhook() {
        LamplighterProperties p = new LamplighterProperties();
        p.getEscalation().setWebhookUrl("https://hooks.example.com/lamplighter");
        p.getEscalation().setWebhookHeader("Authorization: Bearer abc");
        p.getEscalation().setFailedJobs(true);
        p.getEscalation().setFailedJobsInterval(Duration.ofMinutes(30));
        LamplighterConfig config = PropertiesMapping.config(p);
        assertThat(config.escalation().webhookUrl()).hasValueSatisfying(u -> assertThat(u).hasToString("https://hooks.example.com/lamplighter"));
        assertThat(config.escalation().webhookHeaderName()).contains("Authorization");
        assertThat(config.escalation().failedJobs()).isTrue();
        assertThat(config.escalation().failedJobsInterval()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void a_bad_escalation_property_is_refused_naming_the_property() {
        LamplighterProperties badUrl = new LamplighterProperties();
        badUrl.getEscalation().setWebhookUrl("ftp://hooks.example.com/x");
        assertThatThrownBy(() -> PropertiesMapping.config(badUrl)).hasMessageStartingWith(
                "Invalid property lamplighter.escalation.webhook-url: escalationWebhookUrl (LAMPLIGHTER_ESCALATION_WEBHOOK_URL)"
                        + " = \"ftp://hooks.example.com/x\" is not allowed");
        LamplighterProperties noUrl = new LamplighterProperties();
        noUrl.getEscalation().setFailedJobs(true);
        assertThatThrownBy(() -> PropertiesMapping.config(noUrl)).hasMessageStartingWith(
                "Invalid property lamplighter.escalation.failed-jobs: escalateFailedJobs (LAMPLIGHTER_ESCALATE_FAILED_JOBS)");
        LamplighterProperties slow = new LamplighterProperties();
        slow.getEscalation().setWebhookUrl("https://hooks.example.com/x");
        slow.getEscalation().setWebhookRetryBase(Duration.ofMillis(10));
        assertThatThrownBy(() -> PropertiesMapping.config(slow)).hasMessage(
                "Invalid property lamplighter.escalation.webhook-retry-base: escalationWebhookRetryBase"
                        + " (LAMPLIGHTER_ESCALATION_WEBHOOK_RETRY_BASE) = 10ms is not allowed: expected from 100ms to 5min");
    }
}
