package dev.lamplighter.cli.db;

import dev.lamplighter.LamplighterException;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A second node, or a second demo, was started over a data directory that a running one holds. */
public final class DataDirectoryInUseException extends LamplighterException {

    private static final long serialVersionUID = 1L;

    private final transient Path dataDirectory;
    private final long holderPid;

    DataDirectoryInUseException(Path dataDirectory, OptionalLong holderPid, String serverHint) {
        super("LAMPLIGHTER_DATA_DIR " + dataDirectory + " is in use by process "
                + (holderPid.isPresent() ? holderPid.getAsLong() : "(unknown pid)") + serverHint
                + ": stop that node first, or give this one another LAMPLIGHTER_DATA_DIR"
                + " (status, history, decisions, trigger, enable and disable connect to the running server)");
        this.dataDirectory = dataDirectory;
        this.holderPid = holderPid.orElse(-1);
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The pid of the process that holds the directory, or -1 if it did not say. */
    public long holderPid() {
        return holderPid;
    }
}
