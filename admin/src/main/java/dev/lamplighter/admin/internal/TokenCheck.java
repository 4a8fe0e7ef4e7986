package dev.lamplighter.admin.internal;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The token guard: {@code Authorization: Bearer <token>} or {@code X-Internal-Token: <token>}.
 * The comparison takes the same time whatever the token sent: both sides are hashed to SHA-256
 * first (so neither the length nor a common prefix shows) and compared with
 * {@link MessageDigest#isEqual}. Not API.
 */
final class TokenCheck {

    static final String HEADER = "X-Internal-Token";

    private final byte[] expected;

    TokenCheck(String token) {
        this.expected = sha256(token);
    }

    /** A before-handler: 401 unless the request carries the token. */
    void require(Context ctx) {
        String given = given(ctx);
        if (given == null) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiException.unauthorized("missing token: send Authorization: Bearer <token> or " + HEADER + ": <token>");
        }
        if (!MessageDigest.isEqual(expected, sha256(given))) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw ApiException.unauthorized("wrong token");
        }
    }

    /** Whether {@code given} is the token (the same constant-time comparison; the page's login uses it). */
    boolean matches(String given) {
        return given != null && MessageDigest.isEqual(expected, sha256(given));
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
