package dev.lamplighter.cli;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints rows as an aligned text table, as psql does. A value wider than {@link #MAX_WIDTH} is
 * wrapped onto continuation lines, never cut: figures and errors are shown whole.
 */
final class Table {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    static final int MAX_WIDTH = 60;

    private Table() {
    }

    static void print(PrintStream out, List<String> columns, List<Map<String, Object>> rows) {
        List<List<String>[]> cells = new ArrayList<>();
        int[] width = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            width[i] = columns.get(i).length();
        }
        for (Map<String, Object> row : rows) {
            @SuppressWarnings("unchecked")
            List<String>[] line = new List[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                line[i] = wrap(show(row.get(columns.get(i))));
                for (String part : line[i]) {
                    width[i] = Math.max(width[i], part.length());
                }
            }
            cells.add(line);
        }
        printLine(out, columns.toArray(String[]::new), width);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        out.println(rule);
        for (List<String>[] line : cells) {
            int height = 1;
            for (List<String> parts : line) {
                height = Math.max(height, parts.size());
            }
            for (int k = 0; k < height; k++) {
                String[] physical = new String[line.length];
                for (int i = 0; i < line.length; i++) {
                    physical[i] = k < line[i].size() ? line[i].get(k) : "";
                }
                printLine(out, physical, width);
            }
        }
        out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
    }

    private static void printLine(PrintStream out, String[] values, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", values[i]));
        }
        out.println(sb.toString().stripTrailing());
    }

    /** The value in pieces of at most {@link #MAX_WIDTH}, broken after a space or comma where one is near. */
    static List<String> wrap(String value) {
        List<String> parts = new ArrayList<>();
        String rest = value;
        while (rest.length() > MAX_WIDTH) {
            int cut = Math.max(rest.lastIndexOf(' ', MAX_WIDTH - 1), rest.lastIndexOf(',', MAX_WIDTH - 1)) + 1;
            if (cut < MAX_WIDTH / 2) {
                cut = MAX_WIDTH;
            }
            parts.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
        }
        parts.add(rest);
        return parts;
    }

    private static String show(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Timestamp ts) {
            return TIME.format(ts.toInstant());
        }
        if (value instanceof Boolean b) {
            return b ? "t" : "f";
        }
        return String.valueOf(value).replace('\n', ' ');
    }
}
