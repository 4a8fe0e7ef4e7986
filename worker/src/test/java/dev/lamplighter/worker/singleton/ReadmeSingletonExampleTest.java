package dev.lamplighter.worker.singleton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's singleton example is {@link FeedConsumerExample}'s code, and it runs. */
class ReadmeSingletonExampleTest {

    private final TestDatabase db = TestDatabase.get();

    @Test
    void the_readme_shows_the_example_as_it_compiles() throws IOException {
        String java = Files.readString(Path.of("src/test/java/dev/lamplighter/worker/singleton/FeedConsumerExample.java"));
        String readme = Files.readString(Path.of("..", "README.md"));
        String code = between(java, "// example:singleton start\n", "// example:singleton end");
        String shown = between(readme, "<!-- example:singleton start -->\n", "<!-- example:singleton end -->");
        Matcher fenced = Pattern.compile("```java\n(.*)```\n", Pattern.DOTALL).matcher(shown);
        assertThat(fenced.matches()).as("README.md example:singleton is one ```java block").isTrue();
        assertThat(normalise(fenced.group(1))).isEqualTo(normalise(code));
    }

    @Test
    void the_example_consumes_the_feed_on_one_node_and_stores_its_token() throws Exception {
        db.reset();
        FeedConsumerExample.createTable(db.database().dataSource());
        CountDownLatch polled = new CountDownLatch(3);
        try (Lamplighter node = FeedConsumerExample.start(db.database().dataSource(), "example-node", () -> {
            polled.countDown();
            return List.of("a", "b");
        }, Duration.ofMillis(10))) {
            assertThat(polled.await(30, TimeUnit.SECONDS)).isTrue();
        }
        Map<String, Object> row = db.jdbi().withHandle(h -> h.createQuery("SELECT position, token FROM public.feed_position")
                .mapToMap().one());
        assertThat((Long) row.get("position")).isGreaterThanOrEqualTo(4L);
        assertThat(row).containsEntry("token", 1L);
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = text.indexOf(end, from + 1);
        assertThat(from).as("marker %s", start.strip()).isNotNegative();
        assertThat(to).as("marker %s", end).isGreaterThan(from);
        String region = text.substring(from + start.length(), to);
        return region.substring(0, region.lastIndexOf('\n') + 1);
    }

    private static String normalise(String block) {
        return String.join("\n", block.lines().map(String::stripTrailing).toList()).stripIndent().strip();
    }
}
