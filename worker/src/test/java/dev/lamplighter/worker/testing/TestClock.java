package dev.lamplighter.worker.testing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Where a test's clock starts: 10:00 UTC on today's date, moved by
 * {@value #SHIFT_PROPERTY} years (0 unless set).
 *
 * <p>The build runs the time-dependent tests (tag {@value #TAG}) three times: at the real date,
 * ten years before it and ten years after it. A statement that reads the database's {@code now()}
 * while its caller binds the test clock then fails at once, instead of passing until the real date
 * overtakes a fixed instant in a test.
 */
public final class TestClock {

    /** System property: how many years to move every test clock from the real date. */
    public static final String SHIFT_PROPERTY = "lamplighter.test.clockShiftYears";

    /** JUnit tag of the tests that the build reruns with the clock moved. */
    public static final String TAG = "clock";

    private TestClock() {
    }

    /** 10:00 UTC today, moved by the configured shift. */
    public static Instant start() {
        return at(LocalTime.of(10, 0));
    }

    /** {@code time} UTC today, moved by the configured shift. */
    public static Instant at(LocalTime time) {
        return LocalDate.now(ZoneOffset.UTC).plusYears(shiftYears()).atTime(time).toInstant(ZoneOffset.UTC);
    }

    /** A mutable clock that starts at {@link #start()}. */
    public static MutableClock mutable() {
        return new MutableClock(start());
    }

    public static int shiftYears() {
        String value = System.getProperty(SHIFT_PROPERTY, "0").trim();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SHIFT_PROPERTY + " = \"" + value
                    + "\" is not allowed: expected a whole number of years, e.g. -10 or 10", e);
        }
    }
}
