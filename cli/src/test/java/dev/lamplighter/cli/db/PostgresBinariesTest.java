package dev.lamplighter.cli.db;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lamplighter.LamplighterException;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.junit.jupiter.api.Test;

/** The embedded default on a platform whose PostgreSQL binaries the CLI jar does not bundle. */
class PostgresBinariesTest {

    @Test
    void a_platform_without_bundled_binaries_gets_an_error_naming_it_and_the_two_ways_out() {
        // The embedded library's own resolver, asked what it asks on an Apple-silicon Mac.
        PgBinaryResolver onAMac = (system, arch) -> DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Darwin", "aarch64");

        assertThatThrownBy(() -> PostgresBinaries.extract(onAMac, "Mac OS X", "aarch64", null))
                .isInstanceOf(LamplighterException.class)
                .hasMessageContaining("No embedded PostgreSQL for this platform (os.name Mac OS X, os.arch aarch64)")
                .hasMessageContaining("bundles PostgreSQL binaries for Linux x86_64 (glibc), Linux arm64 (glibc) only")
                .hasMessageContaining("LAMPLIGHTER_DATABASE_URL")
                .hasMessageContaining("-Pembedded-all-platforms");
    }

    @Test
    void alpine_linux_without_the_alpine_binaries_is_told_so_instead_of_getting_glibc_binaries_that_cannot_start() {
        // The library itself falls back to the glibc archive on Alpine; its initdb then fails with "not found".
        assertThatThrownBy(() -> PostgresBinaries.extract(DefaultPostgresBinaryResolver.INSTANCE, "Linux", "amd64", "Alpine Linux"))
                .isInstanceOf(LamplighterException.class)
                .hasMessageContaining("No embedded PostgreSQL for this platform (os.name Linux (Alpine Linux), os.arch amd64)")
                .hasMessageContaining("LAMPLIGHTER_DATABASE_URL")
                .hasMessageContaining("-Pembedded-all-platforms");
    }
}
