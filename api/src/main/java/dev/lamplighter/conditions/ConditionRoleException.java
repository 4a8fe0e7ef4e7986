package dev.lamplighter.conditions;

import dev.lamplighter.LamplighterException;

/**
 * A SQL condition cannot run under its condition role ({@link dev.lamplighter.LaunchContext#conditionRole()}):
 * the role does not exist, is too powerful, does not own {@code lamplighter.run_condition}, or the
 * node may not {@code SET ROLE} to it. The message names the role and the statement a superuser
 * runs to fix it; the node never falls back to running the query as its own role.
 */
public final class ConditionRoleException extends LamplighterException {

    private static final long serialVersionUID = 1L;

    ConditionRoleException(String message) {
        super(message);
    }
}
