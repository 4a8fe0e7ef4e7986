package dev.lamplighter.worker.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A payload the node cannot read fails its attempt with a message that names the payload and why. */
class PayloadReadTest {

    @Test
    void a_payload_nested_deeper_than_the_parser_reads_names_the_payload_and_the_limit() {
        String deep = "{\"a\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        assertThatThrownBy(() -> AttemptRunner.payload(deep))
                .isInstanceOf(AttemptRunner.UnreadablePayloadException.class)
                .hasMessageStartingWith("payload = {\"a\": [[[[")
                .hasMessageContaining("... (" + deep.length() + " chars) is not allowed: ")
                .hasMessageContaining("nesting depth")
                .hasMessageEndingWith("expected a JSON object this node's JSON parser reads")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(600).doesNotContain("\n"));
    }

    @Test
    void a_readable_payload_is_read_as_is() {
        assertThat(AttemptRunner.payload("{\"n\": 1}")).isEqualTo(Map.of("n", 1));
    }
}
