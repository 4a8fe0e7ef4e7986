package dev.lamplighter.cli.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a kept data directory says about who uses it: the Lamplighter process that holds it (an OS
 * file lock on {@value #LOCK_FILE}, which also names that process), and the PostgreSQL server
 * running over it ({@code postmaster.pid}: its pid and port).
 *
 * <p>The lock belongs to the JVM, so it goes when the JVM dies, even by {@code kill -9}; the
 * server does not. A live server with no holder is therefore an orphan left by a node that is
 * gone.
 */
final class DataDirectory {

    /** The holder's lock file, inside the data directory (PostgreSQL ignores files it does not know). */
    static final String LOCK_FILE = "lamplighter.lock";

    /** A PostgreSQL server running over the directory. */
    record Postmaster(long pid, int port) {
    }

    private DataDirectory() {
    }

    /** The server named by {@code postmaster.pid}, if that process is alive and is a postgres. */
    static Optional<Postmaster> postmaster(Path dir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir.resolve("postmaster.pid"), e);
        }
        if (lines.size() < 4) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            int port = Integer.parseInt(lines.get(3).trim());
            // After a reboot a stale postmaster.pid may name a pid that another program now has:
            // only a live process whose executable is postgres counts (when the OS says which).
            boolean alive = ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .map(p -> p.info().command().map(c -> c.endsWith("/postgres") || c.endsWith("\\postgres.exe")).orElse(true))
                    .orElse(false);
            return alive ? Optional.of(new Postmaster(pid, port)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The pid written by the process that holds (or last held) the directory. */
    static OptionalLong holderPid(Path dir) {
        try {
            String text = Files.readString(dir.resolve(LOCK_FILE), StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Takes the directory for this process and writes its pid into the lock file, or returns null
     * when another holder has it (another process, or another start in this JVM).
     */
    static Lock tryLock(Path dir) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return null;
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new Lock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // reported below
                }
            }
            throw new UncheckedIOException("Cannot lock " + dir.resolve(LOCK_FILE), e);
        }
    }

    /** This process's hold on a data directory; closing lets go of it. */
    static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
