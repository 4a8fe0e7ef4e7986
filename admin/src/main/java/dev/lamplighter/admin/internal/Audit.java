package dev.lamplighter.admin.internal;

import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Writes the audit row of a change, inside the change's own transaction. Not API. */
final class Audit {

    private Audit() {
    }

    /**
     * Who asked, from where, and why, and the kind of token that let them (admin or read): read
     * from the request before the transaction opens.
     */
    record Caller(String actor, String remoteAddress, String reason, String token) {
        /** A caller with the admin token. */
        Caller(String actor, String remoteAddress, String reason) {
            this(actor, remoteAddress, reason, TokenCheck.Kind.ADMIN.label);
        }
    }

    /** Inserts the row; returns its id. {@code now} is null in production (the database clock). */
    static long write(Handle h, Instant now, Caller caller, String action, String target, Map<String, Object> detail) {
        java.util.Map<String, Object> d = new java.util.LinkedHashMap<>(detail);
        if (caller.reason() != null) {
            d.put("reason", caller.reason());
        }
        d.put("token", caller.token());
        return h.createQuery(AdminSql.AUDIT_INSERT)
                .bind("now", now)
                .bind("actor", caller.actor())
                .bind("action", action)
                .bind("target", target)
                .bind("detail", Json.write(d))
                .bind("remote", caller.remoteAddress())
                .mapTo(Long.class)
                .one();
    }
}
