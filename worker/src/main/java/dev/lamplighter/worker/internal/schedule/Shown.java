package dev.lamplighter.worker.internal.schedule;

/**
 * How a value read from a row appears in an error message: quoted when it is text, and cut to
 * {@value #LIMIT} characters with its full length when longer, so that {@code last_error} and the
 * log stay short whatever an operator wrote.
 */
public final class Shown {

    /** The most characters of a value an error message shows. */
    public static final int LIMIT = 200;

    private Shown() {
    }

    /**
     * {@code "value"}, or {@code "first 200 characters... (8012 chars)"}; control characters
     * (newlines, tabs, escapes) written as {@code \n}, {@code \t}, {@code \u001b}, so that the
     * value stays on one line of a log or a message.
     */
    public static String quoted(String value) {
        return value == null ? "null" : "\"" + escaped(cut(value)) + "\"";
    }

    /** The text with its control characters written as escapes ({@code \n}, {@code \r}, {@code \t}, {@code \u0007}). */
    public static String escaped(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(ch)) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.toString();
    }

    /** The value as is when short, else its first {@value #LIMIT} characters and its length. */
    public static String cut(String value) {
        return cut(value, LIMIT);
    }

    /** The value as is when it has at most {@code limit} characters, else cut with its length. */
    public static String cut(String value, int limit) {
        if (value == null) {
            return "null";
        }
        if (value.length() <= limit) {
            return value;
        }
        return value.substring(0, limit) + "... (" + value.length() + " chars)";
    }

    /** A duration to the second, as people write it: "3h", "2h5min", "45s", "250ms". */
    public static String duration(java.time.Duration d) {
        long s = d.getSeconds();
        if (s == 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            b.append(s % 3600 / 60).append("min");
        }
        if (s % 60 != 0) {
            b.append(s % 60).append('s');
        }
        return b.toString();
    }

    /** The first line of a message (drivers and parsers add context lines that do not belong in one line). */
    public static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
