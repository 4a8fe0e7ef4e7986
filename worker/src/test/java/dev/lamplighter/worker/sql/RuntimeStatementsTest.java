package dev.lamplighter.worker.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.internal.SqlFiles;
import dev.lamplighter.worker.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statement the runtime runs is planned by PostgreSQL against the current schema, with every
 * parameter null, so that a statement that no longer fits the schema fails the build.
 */
class RuntimeStatementsTest {

    private static final Pattern NAMED = Pattern.compile("(?<!:):([A-Za-z][A-Za-z0-9_]*)");

    private final TestDatabase db = TestDatabase.get();

    static Stream<Path> statements() {
        return SqlTree.files(false).stream();
    }

    @Test
    void there_are_runtime_statements_to_check() {
        assertThat(statements().count()).isGreaterThan(20);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void every_runtime_statement_is_one_statement_that_fits_the_schema(Path file) throws Exception {
        String relative = SqlTree.ROOT.relativize(file).toString().replace('\\', '/');
        String sql = SqlFiles.load(relative.substring(0, relative.length() - ".sql".length()));
        assertThat(sql).as("%s is empty", relative).isNotBlank();
        assertThat(sql.replaceAll(";\\s*$", "")).as("%s holds one statement", relative).doesNotContain(";");

        Matcher m = NAMED.matcher(sql);
        String positional = m.replaceAll("?");
        try (Connection c = db.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("EXPLAIN " + positional)) {
            int params = ps.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= params; i++) {
                ps.setNull(i, Types.OTHER);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("%s has a plan", relative).isTrue();
            }
        }
    }
}
