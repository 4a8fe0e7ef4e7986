package dev.lamplighter.worker.internal.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** At most one failed-job message per type per window, with a count of what was folded. */
class FailedJobFolderTest {

    @Test
    void the_first_failure_of_a_type_is_sent_and_the_next_ones_are_folded_until_the_window_ends() {
        FailedJobFolder folder = new FailedJobFolder();
        assertThat(folder.failed("report", 1)).isTrue();
        assertThat(folder.failed("report", 2)).isFalse();
        assertThat(folder.failed("report", 3)).isFalse();
        assertThat(folder.failed("invoice", 4)).as("another type has a window of its own").isTrue();
        assertThat(folder.pending()).isEqualTo(2);

        assertThat(folder.windowEnded("report")).contains(new FailedJobFolder.Folded("report", 2, 3));
        assertThat(folder.failed("report", 5)).as("the folded message opened the next window").isFalse();
        assertThat(folder.windowEnded("report")).contains(new FailedJobFolder.Folded("report", 1, 5));
        assertThat(folder.windowEnded("report")).as("nothing folded: the window closes").isEmpty();
        assertThat(folder.failed("report", 6)).as("a closed window: sent at once again").isTrue();

        assertThat(folder.windowEnded("invoice")).isEmpty();
        assertThat(folder.windowEnded("unknown")).isEmpty();
        assertThat(folder.pending()).isZero();
    }
}
