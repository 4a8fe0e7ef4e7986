package dev.lamplighter.worker.internal.singleton;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The restart backoff of a singleton service: doubling from the base, capped, never overflowing. */
class SingletonBackoffTest {

    @Test
    void the_backoff_doubles_from_the_base_up_to_the_cap() {
        Duration base = Duration.ofSeconds(1);
        Duration max = Duration.ofMinutes(1);
        assertThat(SingletonRunner.backoff(base, max, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(SingletonRunner.backoff(base, max, 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(SingletonRunner.backoff(base, max, 6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(SingletonRunner.backoff(base, max, 7)).isEqualTo(Duration.ofMinutes(1));
        assertThat(SingletonRunner.backoff(base, max, Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(1));
        assertThat(SingletonRunner.backoff(Duration.ofHours(1), Duration.ofHours(1), 1_000)).isEqualTo(Duration.ofHours(1));
    }
}
