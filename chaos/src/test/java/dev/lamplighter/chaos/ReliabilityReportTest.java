package dev.lamplighter.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReliabilityReportTest {

    @Test
    void replacesOnlyItsOwnSection(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(ReliabilityReport.FILE), """
                # Title
                <!-- BEGIN a -->
                old a
                <!-- END a -->
                kept
                <!-- BEGIN b -->
                old b
                <!-- END b -->
                """);

        ReliabilityReport.replaceSection(dir, "a", "new a\nsecond line");

        assertThat(Files.readString(dir.resolve(ReliabilityReport.FILE))).isEqualTo("""
                # Title
                <!-- BEGIN a -->
                new a
                second line
                <!-- END a -->
                kept
                <!-- BEGIN b -->
                old b
                <!-- END b -->
                """);
    }

    @Test
    void aMissingSectionIsNamed() {
        assertThatThrownBy(() -> ReliabilityReport.replaced("# nothing\n", "broken-rows", "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no section broken-rows")
                .hasMessageContaining("<!-- BEGIN broken-rows -->");
    }
}
