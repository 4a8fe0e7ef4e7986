package dev.lamplighter.admin.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page's chart of one schedule: a bar per hour of the last day, stacked launched (bottom),
 * skipped, failed (top), scaled to the busiest hour. Turns the rows of
 * {@code sql/admin/decisions_per_hour.sql} into the numbers {@code chart.mustache} draws as SVG, so
 * the chart needs no JavaScript. Not API.
 */
final class HourlyChart {

    static final int BAR_WIDTH = 12;
    static final int BAR_GAP = 3;
    static final int LEFT = 28;
    static final int PLOT_HEIGHT = 60;
    static final int TOP = 6;
    static final int BOTTOM = 16;
    static final List<String> OUTCOMES = List.of("launched", "skipped", "failed");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private HourlyChart() {
    }

    /**
     * One chart per schedule, in the rows' order: name, width, height, totals, bars (x, y, w, h,
     * outcome, title), hour labels.
     */
    static List<Map<String, Object>> charts(List<Map<String, Object>> rows) {
        Map<String, List<Map<String, Object>>> bySchedule = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            bySchedule.computeIfAbsent((String) row.get("schedule_name"), k -> new ArrayList<>()).add(row);
        }
        List<Map<String, Object>> charts = new ArrayList<>();
        int index = 0;
        for (var e : bySchedule.entrySet()) {
            charts.add(chart(index++, e.getKey(), e.getValue()));
        }
        return charts;
    }

    private static Map<String, Object> chart(int index, String name, List<Map<String, Object>> hours) {
        long max = 1;
        long[] totals = new long[OUTCOMES.size()];
        for (Map<String, Object> h : hours) {
            long sum = 0;
            for (int i = 0; i < OUTCOMES.size(); i++) {
                long n = count(h, OUTCOMES.get(i));
                totals[i] += n;
                sum += n;
            }
            max = Math.max(max, sum);
        }
        List<Map<String, Object>> bars = new ArrayList<>();
        List<Map<String, Object>> labels = new ArrayList<>();
        double perCheck = (double) PLOT_HEIGHT / max;
        for (int slot = 0; slot < hours.size(); slot++) {
            Map<String, Object> h = hours.get(slot);
            Instant hour = (Instant) h.get("hour");
            int x = LEFT + slot * (BAR_WIDTH + BAR_GAP);
            double base = TOP + PLOT_HEIGHT;
            for (String outcome : OUTCOMES) {
                long n = count(h, outcome);
                if (n == 0) {
                    continue;
                }
                double height = n * perCheck;
                base -= height;
                Map<String, Object> bar = new LinkedHashMap<>();
                bar.put("x", x);
                bar.put("y", num(base));
                bar.put("w", BAR_WIDTH);
                bar.put("h", num(height));
                bar.put("outcome", outcome);
                bar.put("title", name + " " + HOUR.format(hour) + "-" + HOUR.format(hour.plusSeconds(3600)) + " UTC: "
                        + n + " " + outcome);
                bars.add(bar);
            }
            if (slot % 6 == 0 || slot == hours.size() - 1) {
                labels.add(Map.of("x", x, "text", HOUR.format(hour)));
            }
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("index", index);
        c.put("name", name);
        c.put("width", LEFT + hours.size() * (BAR_WIDTH + BAR_GAP) + 10);
        c.put("height", TOP + PLOT_HEIGHT + BOTTOM);
        c.put("plotBottom", TOP + PLOT_HEIGHT);
        c.put("labelY", TOP + PLOT_HEIGHT + BOTTOM - 3);
        c.put("max", max);
        c.put("launched", totals[0]);
        c.put("skipped", totals[1]);
        c.put("failed", totals[2]);
        c.put("bars", bars);
        c.put("labels", labels);
        return c;
    }

    private static long count(Map<String, Object> row, String outcome) {
        Object v = row.get(outcome);
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
