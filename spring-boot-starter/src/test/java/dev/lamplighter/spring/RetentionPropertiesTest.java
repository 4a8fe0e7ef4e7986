package dev.lamplighter.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.worker.LamplighterConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The lamplighter.retain-* and lamplighter.retention* properties: defaults, forever, and errors naming the property. */
class RetentionPropertiesTest {

    @Test
    void the_retention_property_defaults_equal_the_node_defaults() {
        LamplighterConfig config = PropertiesMapping.config(new LamplighterProperties());
        assertThat(config.retention()).isTrue();
        assertThat(config.retainCompleted()).isEqualTo(LamplighterConfig.DEFAULT_RETAIN_COMPLETED);
        assertThat(config.retainFailed()).isEqualTo(LamplighterConfig.DEFAULT_RETAIN_FAILED);
        assertThat(config.retainDecisions()).isEqualTo(LamplighterConfig.DEFAULT_RETAIN_DECISIONS);
        assertThat(config.retentionBatch()).isEqualTo(LamplighterConfig.DEFAULT_RETENTION_BATCH);
        assertThat(config.retentionInterval()).isEqualTo(LamplighterConfig.DEFAULT_RETENTION_INTERVAL);
    }

    @Test
    void a_window_is_a_duration_or_forever() {
        LamplighterProperties p = new LamplighterProperties();
        p.setRetention(false);
        p.setRetainCompleted("12h");
        p.setRetainFailed("forever");
        p.setRetentionBatch(500);
        LamplighterConfig config = PropertiesMapping.config(p);
        assertThat(config.retention()).isFalse();
        assertThat(config.retainCompleted()).isEqualTo(Duration.ofHours(12));
        assertThat(config.retainFailed()).isEqualTo(LamplighterConfig.RETAIN_FOREVER);
        assertThat(config.retentionBatch()).isEqualTo(500);
    }

    @Test
    void a_bad_retention_property_is_refused_naming_the_property_the_value_and_what_is_allowed() {
        LamplighterProperties tooShort = new LamplighterProperties();
        tooShort.setRetainDecisions("10m");
        assertThatThrownBy(() -> PropertiesMapping.config(tooShort)).hasMessage(
                "Invalid property lamplighter.retain-decisions: retainDecisions (LAMPLIGHTER_RETAIN_DECISIONS) = 10min "
                        + "is not allowed: expected from 1h to 3650d, or forever (RETAIN_FOREVER) to keep them");
        LamplighterProperties notADuration = new LamplighterProperties();
        notADuration.setRetainCompleted("never");
        assertThatThrownBy(() -> PropertiesMapping.config(notADuration)).hasMessage(
                "Invalid property lamplighter.retain-completed: retainCompleted (LAMPLIGHTER_RETAIN_COMPLETED) = \"never\" "
                        + "is not allowed: expected forever or a duration such as 500ms, 30s, 2m, 1h or PT1M");
        LamplighterProperties smallBatch = new LamplighterProperties();
        smallBatch.setRetentionBatch(1);
        assertThatThrownBy(() -> PropertiesMapping.config(smallBatch)).hasMessageStartingWith(
                "Invalid property lamplighter.retention-batch: retentionBatch (LAMPLIGHTER_RETENTION_BATCH) = 1 is not allowed");
    }
}
