package dev.lamplighter.worker.cli;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Prints rows as an aligned text table, as psql does. */
final class Table {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_WIDTH = 60;

    private Table() {
    }

    static void print(PrintStream out, List<String> columns, List<Map<String, Object>> rows) {
        List<String[]> cells = new ArrayList<>();
        int[] width = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            width[i] = columns.get(i).length();
        }
        for (Map<String, Object> row : rows) {
            String[] line = new String[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                line[i] = show(row.get(columns.get(i)));
                width[i] = Math.max(width[i], line[i].length());
            }
            cells.add(line);
        }
        printLine(out, columns.toArray(String[]::new), width);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        out.println(rule);
        cells.forEach(line -> printLine(out, line, width));
        out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
    }

    private static void printLine(PrintStream out, String[] values, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", values[i]));
        }
        out.println(sb.toString().stripTrailing());
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
        String s = String.valueOf(value).replace('\n', ' ');
        return s.length() > MAX_WIDTH ? s.substring(0, MAX_WIDTH - 1) + "…" : s;
    }
}
