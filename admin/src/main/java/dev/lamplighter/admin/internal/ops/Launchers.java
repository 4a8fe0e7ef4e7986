package dev.lamplighter.admin.internal.ops;

import dev.lamplighter.Launcher;
import dev.lamplighter.conditions.Conditions;
import java.util.Collection;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The launchers an explanation can run, and where they came from in the words of a finding ("this
 * CLI's classpath"), with the advice for a launcher that is not there. Not API.
 *
 * @param byName        the launchers by name
 * @param place         where they were looked for, as a finding says it
 * @param explainAdvice what to do when explain cannot find a schedule's launcher; {@code %s} is the schedule
 * @param doctorAdvice  what to do when doctor cannot evaluate a schedule's conditions
 */
public record Launchers(Map<String, Launcher> byName, String place, String explainAdvice, String doctorAdvice) {

    /** Copies the map. */
    public Launchers {
        byName = Map.copyOf(byName);
    }

    /**
     * The launchers {@code lamplighter run} would have: the built-in params launchers, then
     * {@code extra} (the CLI's demo launchers), then those listed for {@link ServiceLoader} on
     * {@code loader}; a later one wins on a name.
     */
    public static Map<String, Launcher> discover(ClassLoader loader, Collection<? extends Launcher> extra) {
        Map<String, Launcher> found = new TreeMap<>();
        Conditions.builtInLaunchers().forEach(l -> found.put(l.name(), l));
        extra.forEach(l -> found.put(l.name(), l));
        ServiceLoader.load(Launcher.class, loader).forEach(l -> found.put(l.name(), l));
        return found;
    }

    /** The launcher named so, or null. */
    public Launcher get(String name) {
        return byName.get(name);
    }

    /** The names, sorted. */
    public Collection<String> names() {
        return new TreeMap<>(byName).keySet();
    }
}
