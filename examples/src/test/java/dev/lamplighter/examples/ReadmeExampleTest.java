package dev.lamplighter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's embedding code is {@link ShopService}'s, character for character (indentation
 * normalised): each {@code <!-- example:NAME start -->} block of the README holds the lines
 * between {@code // example:NAME start} and {@code // example:NAME end} of the Java file.
 */
class ReadmeExampleTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @ParameterizedTest(name = "example:{0}")
    @ValueSource(strings = {"handler", "embedding"})
    void the_readme_shows_the_example_code_as_it_compiles_and_runs(String name) throws IOException {
        String java = Files.readString(ROOT.resolve("examples/src/main/java/dev/lamplighter/examples/ShopService.java"),
                StandardCharsets.UTF_8);
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);

        String code = between(java, "// example:" + name + " start\n", "// example:" + name + " end\n", "ShopService.java");
        String shown = between(readme, "<!-- example:" + name + " start -->\n", "<!-- example:" + name + " end -->\n", "README.md");
        Matcher fenced = Pattern.compile("```java\n(.*)```\n", Pattern.DOTALL).matcher(shown);
        assertThat(fenced.matches()).as("README.md example:%s is one ```java block", name).isTrue();

        assertThat(normalise(fenced.group(1))).as("README.md example:%s (left) against ShopService.java", name)
                .isEqualTo(normalise(code));
    }

    private static String between(String text, String start, String end, String file) {
        int from = text.indexOf(start);
        int to = text.indexOf(end, from + 1);
        assertThat(from).as("%s has the marker %s", file, start.strip()).isNotNegative();
        assertThat(to).as("%s has the marker %s", file, end.strip()).isGreaterThan(from);
        String region = text.substring(from + start.length(), to);
        // the end marker's own indentation
        return region.substring(0, region.lastIndexOf('\n') + 1);
    }

    /** Common leading indentation removed, trailing spaces dropped; every other character kept. */
    private static String normalise(String block) {
        List<String> lines = block.lines().map(String::stripTrailing).toList();
        return String.join("\n", lines).stripIndent().strip();
    }
}
