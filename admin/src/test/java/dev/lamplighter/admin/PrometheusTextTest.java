package dev.lamplighter.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void parses_help_type_labels_escapes_and_special_values() {
        PrometheusText p = PrometheusText.parse("""
                # HELP lamplighter_queue_depth Runnable jobs
                # TYPE lamplighter_queue_depth gauge
                lamplighter_queue_depth{job_type="a"} 3.0
                lamplighter_queue_depth{job_type="b \\"q\\" \\\\ x\\ny"} 1
                up 1 1700000000000
                x_seconds{a="1",b="2",} +Inf
                nan_metric NaN
                """);
        assertThat(p.types).containsEntry("lamplighter_queue_depth", "gauge");
        assertThat(p.help).containsEntry("lamplighter_queue_depth", "Runnable jobs");
        assertThat(p.value("lamplighter_queue_depth", Map.of("job_type", "a"))).contains(3.0);
        assertThat(p.value("lamplighter_queue_depth", Map.of("job_type", "b \"q\" \\ x\ny"))).contains(1.0);
        assertThat(p.value("up", Map.of())).contains(1.0);
        assertThat(p.value("x_seconds", Map.of("a", "1", "b", "2"))).contains(Double.POSITIVE_INFINITY);
        assertThat(p.value("nan_metric", Map.of()).orElseThrow()).isNaN();
        assertThat(p.value("lamplighter_queue_depth", Map.of("job_type", "c"))).isEmpty();
    }

    @Test
    void a_line_it_cannot_read_fails_the_parse() {
        assertThatThrownBy(() -> PrometheusText.parse("{job=\"a\"} 1\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbad{a=1} 2\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> PrometheusText.parse("novalue\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("m 1 2 3\n")).hasMessageContaining("line 1");
    }
}
