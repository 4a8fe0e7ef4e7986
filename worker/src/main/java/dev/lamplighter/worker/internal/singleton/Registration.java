package dev.lamplighter.worker.internal.singleton;

import dev.lamplighter.worker.singleton.SingletonOptions;
import dev.lamplighter.worker.singleton.SingletonService;
import java.util.Objects;
import java.util.regex.Pattern;

/** A singleton as the application registered it. */
public record Registration(String name, SingletonService service, SingletonOptions options) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");

    /** @throws IllegalArgumentException naming the value and what is allowed */
    public Registration {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("singleton name = " + (name == null ? "null" : "\"" + name + "\"")
                    + " is not allowed: expected 1 to 128 letters, digits, '_', '.', ':', '@' or '-'");
        }
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(options, "options");
    }
}
