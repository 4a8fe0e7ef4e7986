package dev.lamplighter.admin.internal;

import dev.lamplighter.admin.AdminSettings;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The token guard: {@code Authorization: Bearer <token>} or {@code X-Internal-Token: <token>}.
 * Two tokens: the admin token may do everything; the read token, when one is set, may read
 * ({@code GET} and {@code HEAD}: the API's lists, {@code /metrics}) and any other method answers
 * 403 naming the missing permission, whatever the route (so a route added later is guarded too).
 * The comparison takes the same time whatever the token sent: both sides are hashed to SHA-256
 * first (so neither the length nor a common prefix shows) and compared with
 * {@link MessageDigest#isEqual}, against both tokens every time. Not API.
 */
final class TokenCheck {

    static final String HEADER = "X-Internal-Token";
    /** The request attribute that holds the {@link Kind} of the token a request carried. */
    static final String ATTRIBUTE = "lamplighter.token";
    /** The permission a read token lacks. */
    static final String WRITE = "write";

    /** What a token may do. */
    enum Kind {
        /** Everything: read and write. */
        ADMIN("admin"),
        /** Read only. */
        READ("read");

        /** As the audit records it. */
        final String label;

        Kind(String label) {
            this.label = label;
        }

        boolean mayWrite() {
            return this == ADMIN;
        }
    }

    private final byte[] admin;
    private final byte[] read;

    /** {@code readToken} null: no read token. */
    TokenCheck(String token, String readToken) {
        this.admin = sha256(token);
        this.read = readToken == null ? null : sha256(readToken);
    }

    /** A before-handler: 401 unless the request carries a token; 403 when a read token asks for a write. */
    void require(Context ctx) {
        String given = given(ctx);
        if (given == null) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiException.unauthorized("missing token: send Authorization: Bearer <token> or " + HEADER + ": <token>");
        }
        Optional<Kind> kind = kindOf(given);
        if (kind.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw ApiException.unauthorized("wrong token");
        }
        ctx.attribute(ATTRIBUTE, kind.get());
        if (!kind.get().mayWrite() && !reads(ctx.method())) {
            throw ApiException.forbidden(WRITE, "the read token (" + AdminSettings.ENV_READ_TOKEN + ") may not "
                    + ctx.method().name() + " " + ctx.path() + ": it lacks the " + WRITE
                    + " permission; send the admin token (" + AdminSettings.ENV_TOKEN + ") to change anything");
        }
    }

    /** Which token {@code given} is, in constant time (both are compared); empty when neither. */
    Optional<Kind> kindOf(String given) {
        if (given == null) {
            return Optional.empty();
        }
        byte[] hash = sha256(given);
        boolean isAdmin = MessageDigest.isEqual(admin, hash);
        boolean isRead = read != null && MessageDigest.isEqual(read, hash);
        return isAdmin ? Optional.of(Kind.ADMIN) : isRead ? Optional.of(Kind.READ) : Optional.empty();
    }

    /** The kind of token the request carried ({@link #require} set it); the admin's when none was checked. */
    static Kind kind(Context ctx) {
        Kind k = ctx.attribute(ATTRIBUTE);
        return k == null ? Kind.ADMIN : k;
    }

    private static boolean reads(HandlerType method) {
        return HandlerType.GET.equals(method) || HandlerType.HEAD.equals(method);
    }

    private static String given(Context ctx) {
        String internal = ctx.header(HEADER);
        if (internal != null && !internal.isEmpty()) {
            return internal;
        }
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).strip();
        }
        return null;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
