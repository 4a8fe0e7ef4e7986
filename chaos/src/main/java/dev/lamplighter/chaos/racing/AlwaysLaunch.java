package dev.lamplighter.chaos.racing;

import dev.lamplighter.Decision;
import dev.lamplighter.Launcher;
import dev.lamplighter.conditions.Conditions;

/** The race's launcher, {@value #NAME}: every check launches, so every due slot should give one job. */
final class AlwaysLaunch {

    static final String NAME = "chaos.race.always";
    static final String JOB_TYPE = "chaos_race";

    private AlwaysLaunch() {
    }

    static Launcher launcher() {
        return Conditions.launcher(NAME, ctx -> Decision.launch("the race launches every slot"));
    }
}
