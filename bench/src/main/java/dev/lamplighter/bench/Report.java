package dev.lamplighter.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The benchmark's rows, printed as a table, written as Markdown and as an SVG bar chart. */
final class Report {

    /**
     * One figure: its repeats, and (when it moves jobs) the median write transactions and WAL
     * bytes per job. NaN where a figure does not apply; {@code note} for a row not measured.
     */
    record Row(String measurement, String system, String unit, List<Double> values, double xactsPerJob,
               double walPerJob, String note) {

        double median() {
            return values.isEmpty() ? Double.NaN : Stats.median(values);
        }

        String range() {
            if (values.size() < 2) {
                return "";
            }
            return fmt(Collections.min(values)) + "–" + fmt(Collections.max(values));
        }
    }

    private final List<Row> rows = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
        System.out.printf(Locale.ROOT, "  %-34s %-34s %10s %s%n", row.measurement(), row.system(),
                row.note() != null ? row.note() : fmt(row.median()), row.note() != null ? "" : row.unit());
    }

    List<Row> rows() {
        return rows;
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        String f = "%-34s %-34s %12s %-22s %-8s %9s %11s%n";
        sb.append(String.format(Locale.ROOT, f, "measurement", "system", "median", "range", "unit", "xacts/job", "WAL B/job"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, f, r.measurement(), r.system(), r.note() != null ? "TODO" : fmt(r.median()),
                    r.note() != null ? r.note() : r.range(), r.unit(), fmt(r.xactsPerJob()), fmt(r.walPerJob())));
        }
        return sb.toString();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| measurement | system | median | range | unit | write xacts/job | WAL bytes/job |\n");
        sb.append("|---|---|---:|---|---|---:|---:|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.measurement()).append(" | ").append(r.system()).append(" | ")
                    .append(r.note() != null ? "**TODO**" : fmt(r.median())).append(" | ")
                    .append(r.note() != null ? r.note() : r.range()).append(" | ").append(r.unit()).append(" | ")
                    .append(fmt(r.xactsPerJob())).append(" | ").append(fmt(r.walPerJob())).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * A horizontal bar per drain row (median jobs/s) on a log scale (the batched raw loop is a
     * hundred times the others), with the range over the repeats drawn as a thin line.
     */
    String drainSvg(String title) {
        List<Row> drains = rows.stream().filter(r -> r.measurement().startsWith("drain") && r.note() == null).toList();
        double max = drains.stream().flatMap(r -> r.values().stream()).mapToDouble(Double::doubleValue).max().orElse(10);
        double min = drains.stream().flatMap(r -> r.values().stream()).mapToDouble(Double::doubleValue).min().orElse(1);
        double lo = Math.pow(10, Math.floor(Math.log10(Math.max(1, min))));
        double hi = Math.pow(10, Math.ceil(Math.log10(Math.max(lo * 10, max))));
        int labelW = 330;
        int barW = 420;
        int rowH = 26;
        int top = 50;
        int bottom = top + rowH * drains.size();
        int width = labelW + barW + 110;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, bottom + 30));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, bottom + 30));
        sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", esc(title)));
        sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"40\" fill=\"#555\">drain of a no-op backlog, jobs/s, "
                + "log scale (bar: median; line: range over repeats)</text>%n"));
        for (double g = lo; g <= hi * 1.001; g *= 10) {
            double x = labelW + barW * Math.log10(g / lo) / Math.log10(hi / lo);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, top, x, bottom));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
                    x, bottom + 16, fmt(g)));
        }
        for (int i = 0; i < drains.size(); i++) {
            Row r = drains.get(i);
            int y = top + i * rowH;
            double w = scale(r.median(), lo, hi, barW);
            String colour = r.system().startsWith("Lamplighter") ? "#d98e04" : r.system().startsWith("db-scheduler") ? "#4a7ab5" : "#7a7a7a";
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s, %s</text>%n",
                    labelW - 8, y + 16, esc(r.system()), esc(r.measurement().replace("drain, ", ""))));
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>%n",
                    labelW, y + 3, w, colour));
            if (r.values().size() > 1) {
                sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>%n",
                        labelW + scale(Collections.min(r.values()), lo, hi, barW), y + 12,
                        labelW + scale(Collections.max(r.values()), lo, hi, barW), y + 12));
            }
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
                    labelW + scale(Collections.max(r.values()), lo, hi, barW) + 6, y + 16, fmt(r.median())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static double scale(double v, double lo, double hi, int width) {
        return width * Math.log10(Math.max(v, lo) / lo) / Math.log10(hi / lo);
    }

    void writeDocs(Path docs, String header, String command, String label) throws IOException {
        String template = new String(Report.class.getResourceAsStream("performance-template.md").readAllBytes(), StandardCharsets.UTF_8);
        String md = template.replace("{{LABEL}}", label).replace("{{COMMAND}}", command)
                .replace("{{HEADER}}", header).replace("{{TABLE}}", markdown());
        Files.createDirectories(docs);
        Files.writeString(docs.resolve("performance.md"), md);
        Files.writeString(docs.resolve("performance-drain.svg"), drainSvg("Lamplighter queue benchmark: " + label));
    }

    /**
     * Draws {@code performance-drain.svg} again from the table of an existing
     * {@code performance.md} (median and range of each drain row), without measuring again.
     */
    static void redrawChart(Path docs) throws IOException {
        List<String> lines = Files.readAllLines(docs.resolve("performance.md"));
        String label = lines.stream().filter(l -> l.startsWith("## Latest run: ")).map(l -> l.substring(15)).findFirst().orElse("");
        Report report = new Report();
        for (String line : lines) {
            String[] cells = line.split("\\|");
            if (cells.length >= 6 && cells[1].strip().startsWith("drain")) {
                double median = parse(cells[3]);
                String[] range = cells[4].strip().split("–");
                List<Double> values = range.length == 2 ? List.of(parse(range[0]), median, parse(range[1])) : List.of(median);
                report.rows.add(new Row(cells[1].strip(), cells[2].strip(), "jobs/s", values, Double.NaN, Double.NaN, null));
            }
        }
        Files.writeString(docs.resolve("performance-drain.svg"), report.drainSvg("Lamplighter queue benchmark: " + label));
    }

    private static double parse(String cell) {
        return Double.parseDouble(cell.strip().replace(",", ""));
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
