package dev.lamplighter.admin.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page's logins, kept in memory on this server: a random session id (the cookie) maps to who
 * logged in and the CSRF token of their forms. The map is keyed by the SHA-256 of the id, so a
 * look-up's time says nothing about the ids that exist; the CSRF token is compared in constant
 * time. A session ends on logout, after {@link #IDLE} without a request, or {@link #ABSOLUTE} after
 * the login, whichever comes first. A restart logs everyone out. Thread-safe. Not API.
 */
final class PageSessions {

    /** A session unused this long ends. */
    static final Duration IDLE = Duration.ofMinutes(30);
    /** A session ends this long after its login, used or not. */
    static final Duration ABSOLUTE = Duration.ofHours(8);
    /** Most sessions at once; a login beyond it is refused until one ends. */
    static final int MAX_SESSIONS = 1000;

    /** One login: who, with which token, its forms' CSRF token, and a one-shot message for the next page view. */
    static final class Session {
        final String actor;
        final TokenCheck.Kind kind;
        final String csrf;
        final Instant created;
        volatile Instant lastUsed;
        volatile Flash flash;

        Session(String actor, TokenCheck.Kind kind, String csrf, Instant created) {
            this.actor = actor;
            this.kind = kind;
            this.csrf = csrf;
            this.created = created;
            this.lastUsed = created;
        }

        /** Whether {@code given} is this session's CSRF token (constant time). */
        boolean csrfMatches(String given) {
            return given != null && MessageDigest.isEqual(sha256(csrf), sha256(given));
        }

        /** The message set by the last change, once. */
        Flash takeFlash() {
            Flash f = flash;
            flash = null;
            return f;
        }
    }

    /** What the last change did (or why it was refused), shown once after the redirect. */
    record Flash(boolean error, String message) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byIdHash = new ConcurrentHashMap<>();
    private final Clock clock;

    /** {@code clock} null: the system clock. */
    PageSessions(Clock clock) {
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** A new session for {@code actor}, who logged in with a token of {@code kind}; returns its id (the cookie's value), or empty when full. */
    synchronized Optional<String> create(String actor, TokenCheck.Kind kind) {
        Instant now = clock.instant();
        byIdHash.values().removeIf(s -> expired(s, now));
        if (byIdHash.size() >= MAX_SESSIONS) {
            return Optional.empty();
        }
        String id = randomToken();
        byIdHash.put(key(id), new Session(actor, kind, randomToken(), now));
        return Optional.of(id);
    }

    /** The live session with this id, its idle time restarted; empty when unknown or expired. */
    Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        String key = key(id);
        Session s = byIdHash.get(key);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            byIdHash.remove(key, s);
            return Optional.empty();
        }
        s.lastUsed = now;
        return Optional.of(s);
    }

    /** Ends the session with this id, if there is one. */
    void remove(String id) {
        if (id != null && id.length() <= 100) {
            byIdHash.remove(key(id));
        }
    }

    private static boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastUsed.plus(IDLE)) || !now.isBefore(s.created.plus(ABSOLUTE))
                || now.isBefore(s.created.minus(Duration.ofMinutes(5)));
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String key(String id) {
        return HexFormat.of().formatHex(sha256(id));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
