package dev.lamplighter.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one program's figures into its own section of {@code docs/reliability.md}.
 *
 * <p>Each program owns the text between {@code <!-- BEGIN name -->} and {@code <!-- END name -->};
 * the rest of the page (what each program proves, how to run it) is written by hand and left as
 * it is. A program run with {@code --docs DIR} replaces its section only, so the programs can be
 * rerun one at a time.
 */
public final class ReliabilityReport {

    /** The page's file name under the docs directory. */
    public static final String FILE = "reliability.md";

    private ReliabilityReport() {
    }

    /**
     * Replaces the section {@code name} of {@code docsDir/reliability.md} with {@code body}.
     *
     * @param docsDir the docs directory
     * @param name the section's name, as in its markers
     * @param body the new text between the markers (Markdown)
     * @throws IOException when the page cannot be read or written
     * @throws IllegalStateException when the page has no markers for {@code name}
     */
    public static void replaceSection(Path docsDir, String name, String body) throws IOException {
        Path page = docsDir.resolve(FILE);
        String text = Files.readString(page, StandardCharsets.UTF_8);
        Files.writeString(page, replaced(text, name, body), StandardCharsets.UTF_8);
    }

    static String replaced(String text, String name, String body) {
        String begin = "<!-- BEGIN " + name + " -->";
        String end = "<!-- END " + name + " -->";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException(FILE + " has no section " + name + ": expected the lines "
                    + begin + " and " + end);
        }
        String inner = body.endsWith("\n") ? body : body + "\n";
        return text.substring(0, from + begin.length()) + "\n" + inner + text.substring(to);
    }
}
