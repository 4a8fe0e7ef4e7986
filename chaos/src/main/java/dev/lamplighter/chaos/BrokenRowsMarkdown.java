package dev.lamplighter.chaos;

import java.util.Map;

/** The broken-rows section of docs/reliability.md: figures, then one table row per case. */
final class BrokenRowsMarkdown {

    private BrokenRowsMarkdown() {
    }

    static String render(BrokenRows.Findings f) {
        StringBuilder b = new StringBuilder();
        long rowCases = f.rows().size();
        Map<BrokenRowsCase.Expected, Long> counts = BrokenRows.counts(f.rows());
        b.append("Last run: `BrokenRows --bulk ").append(f.bulk()).append(" --ticks ").append(f.ticks())
                .append("`, ").append(rowCases).append(" broken rows (")
                .append(f.rows().stream().filter(r -> r.kase().table().equals(BrokenRowsCatalogue.SCHEDULES)).count())
                .append(" `scheduled_jobs`, ")
                .append(f.rows().stream().filter(r -> r.kase().table().equals(BrokenRowsCatalogue.JOBS)).count())
                .append(" `jobs`) plus ").append(f.bulk()).append(" bulk rows that stay due forever, and ")
                .append(f.settings().size()).append(" bad settings; ").append(f.took().toSeconds()).append(" s. ")
                .append(f.figures()).append("\n\n");
        b.append("| outcome | cases |\n|---|---|\n");
        counts.forEach((k, v) -> b.append("| ").append(k.text).append(" | ").append(v).append(" |\n"));
        b.append("| settings: start refused with one line | ")
                .append(f.settings().stream().filter(s -> !s.setting().accepted() && s.ok()).count()).append(" |\n");
        b.append("| settings: blank, default kept | ")
                .append(f.settings().stream().filter(s -> s.setting().accepted() && s.ok()).count()).append(" |\n\n");
        var problems = f.problems();
        b.append(problems.isEmpty()
                ? "Every case had its expected outcome; healthy schedules kept their cadence; no stored column changed; "
                  + "at most one log line per case and check; no stack trace.\n\n"
                : "**" + problems.size() + " problem(s):**\n\n");
        problems.forEach(p -> b.append("- ").append(safe(p, 300)).append('\n'));
        if (!problems.isEmpty()) {
            b.append('\n');
        }
        b.append("| case | column | value | outcome | message |\n|---|---|---|---|---|\n");
        for (BrokenRowsResult r : f.rows()) {
            BrokenRowsCase c = r.kase();
            b.append("| ").append(c.id()).append(" | ").append(c.table()).append('.').append(c.column())
                    .append(" | ").append(cell(c.shown(), 40)).append(" | ")
                    .append(r.outcome() == null ? "?" : r.outcome().text).append(r.ok() ? "" : " **(wrong)**")
                    .append(" | ").append(cell(r.message(), 160)).append(" |\n");
        }
        b.append("\n| setting | value | outcome | message |\n|---|---|---|---|\n");
        for (BrokenRowsSettings.Outcome s : f.settings()) {
            b.append("| ").append(s.setting().variable()).append(" | ").append(cell(s.setting().value(), 40))
                    .append(" | ").append(s.setting().accepted() ? "default kept" : "start refused (exit " + s.exitCode() + ")")
                    .append(s.ok() ? "" : " **(wrong)**").append(" | ").append(cell(s.output(), 160)).append(" |\n");
        }
        return b.toString();
    }

    /** A table cell: safe, with | escaped, in backticks when not empty. */
    private static String cell(String text, int limit) {
        if (text == null) {
            return "";
        }
        String s = safe(text, limit).replace("|", "\\|");
        return s.isEmpty() ? "(empty)" : "`" + s.replace("`", "'") + "`";
    }

    /** One line: control characters as \n, \t or \\uXXXX, cut to {@code limit} characters. */
    static String safe(String text, int limit) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < limit; i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(Character.isISOControl(ch) ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
            }
        }
        return text.length() > limit ? b + "… (" + text.length() + " chars)" : b.toString();
    }
}
