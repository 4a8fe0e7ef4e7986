package dev.lamplighter.chaos.restart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log lines of the nodes under test, per node: from a worker process's log file, or from this
 * JVM's {@link LogTally} (nodes in-process, told apart by the "node n1" their lines name).
 */
interface NodeLogs {

    /** {@return a mark per node, for {@link #since}} */
    Map<String, Integer> mark();

    /** {@return per node, the lines written since {@code marks}} */
    Map<String, List<LogTally.Line>> since(Map<String, Integer> marks);

    /** Nodes in this JVM: one tally, split by the node a line names. */
    static NodeLogs inProcess(LogTally tally, List<String> nodes) {
        return new NodeLogs() {
            @Override
            public Map<String, Integer> mark() {
                return Map.of("*", tally.mark());
            }

            @Override
            public Map<String, List<LogTally.Line>> since(Map<String, Integer> marks) {
                Map<String, List<LogTally.Line>> out = new LinkedHashMap<>();
                nodes.forEach(n -> out.put(n, new ArrayList<>()));
                out.put("(no node)", new ArrayList<>());
                for (LogTally.Line l : tally.since(marks.get("*"))) {
                    String node = LogTally.perNode(List.of(l)).keySet().iterator().next();
                    out.computeIfAbsent(node, n -> new ArrayList<>()).add(l);
                }
                return out;
            }
        };
    }

    /** Worker processes, one log file each ({@code HH:mm:ss.SSS LEVEL message}, the CLI's pattern). */
    static NodeLogs files(Map<String, Path> files) {
        return new NodeLogs() {
            @Override
            public Map<String, Integer> mark() {
                Map<String, Integer> out = new LinkedHashMap<>();
                files.forEach((node, file) -> out.put(node, read(file).size()));
                return out;
            }

            @Override
            public Map<String, List<LogTally.Line>> since(Map<String, Integer> marks) {
                Map<String, List<LogTally.Line>> out = new LinkedHashMap<>();
                files.forEach((node, file) -> {
                    List<String> all = read(file);
                    List<LogTally.Line> lines = new ArrayList<>();
                    for (String l : all.subList(Math.min(marks.get(node), all.size()), all.size())) {
                        if (l.startsWith("\tat ") || l.startsWith("Caused by: ") || l.startsWith("\t... ")) {
                            if (!lines.isEmpty() && !lines.get(lines.size() - 1).stackTrace()) {
                                LogTally.Line last = lines.remove(lines.size() - 1);
                                lines.add(new LogTally.Line(last.level(), last.text(), true));
                            }
                        } else {
                            lines.add(parse(l));
                        }
                    }
                    out.put(node, lines);
                });
                return out;
            }
        };
    }

    private static List<String> read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');   // whole lines only
            return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static LogTally.Line parse(String line) {
        String[] f = line.split(" +", 3);
        return f.length == 3 && f[0].matches("\\d\\d:\\d\\d:\\d\\d\\.\\d+") ? new LogTally.Line(f[1], f[2], false)
                : new LogTally.Line("", line, false);
    }
}
