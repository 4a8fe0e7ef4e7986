package dev.lamplighter.admin.internal;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.javalin.http.Context;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's page at {@code /}: a login form that takes the API token and a name, then one
 * server-rendered page (Mustache templates, escaped by default) with the schedules, jobs, nodes
 * and the chart, and a form per button. Each button posts to {@code /page/...}, which checks the
 * session and the form's CSRF token, runs the same change as the JSON API (with its audit row,
 * the actor being the name given at login), and redirects back to {@code /} with a one-shot
 * message (POST-redirect-GET). Readable without JavaScript; it has none. Not API.
 */
final class AdminPage {

    private static final Logger log = LoggerFactory.getLogger(AdminPage.class);

    static final String COOKIE = "lamplighter_session";
    static final String CSRF_FIELD = "csrf";
    /**
     * Sent with every page: no script, no framing (a button cannot be clicked through another
     * site's frame), forms post only here, no referrer, no content sniffing.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final DefaultMustacheFactory TEMPLATES = new DefaultMustacheFactory("lamplighter/admin");
    private static final Mustache PAGE = TEMPLATES.compile("page.mustache");
    private static final Mustache LOGIN = TEMPLATES.compile("login.mustache");
    private static final Mustache REFUSED = TEMPLATES.compile("refused.mustache");

    private final TokenCheck token;
    private final PageSessions sessions;
    private final PageView view;
    private final ScheduleApi schedules;
    private final JobApi jobs;

    AdminPage(TokenCheck token, PageSessions sessions, PageView view, ScheduleApi schedules, JobApi jobs) {
        this.token = token;
        this.sessions = sessions;
        this.view = view;
        this.schedules = schedules;
        this.jobs = jobs;
    }

    /** GET /: the page for a logged-in browser, the login form otherwise. */
    void show(Context ctx) {
        Optional<PageSessions.Session> session = session(ctx);
        if (session.isEmpty()) {
            login(ctx, 200, null, "");
            return;
        }
        PageSessions.Session s = session.get();
        PageView.Paging paging;
        try {
            paging = paging(ctx);
        } catch (ApiException e) {
            refused(ctx, 400, e.getMessage());
            return;
        }
        Map<String, Object> scope = new LinkedHashMap<>(view.read(paging));
        scope.put("actor", s.actor);
        scope.put("csrf", s.csrf);
        // A read session's page has no buttons (its posts would be refused anyway).
        scope.put("writer", s.kind.mayWrite());
        PageSessions.Flash flash = s.takeFlash();
        scope.put("flash", flash == null ? null : Map.of("error", flash.error(), "message", flash.message()));
        html(ctx, 200, PAGE, scope);
    }

    /** The job lists' pages: {@code recent_before}, {@code failed_before}, {@code awaiting_before}, each a job id. */
    private static PageView.Paging paging(Context ctx) {
        Map<PageView.JobList, Long> before = new java.util.EnumMap<>(PageView.JobList.class);
        for (PageView.JobList list : PageView.JobList.values()) {
            String text = Requests.single(ctx, list.param());
            if (text != null) {
                before.put(list, Requests.positiveLong(list.param(), text,
                        "a job id (the older link of the page): a whole number from 1 to " + Long.MAX_VALUE));
            }
        }
        return before.isEmpty() ? PageView.Paging.NEWEST : new PageView.Paging(Map.copyOf(before));
    }

    /** POST /login: token and name; a session cookie and back to / when the token is right. */
    void login(Context ctx) {
        String given = ctx.formParam("token");
        String name = ctx.formParam("name");
        name = name == null ? "" : name.strip();
        if (given == null || given.isEmpty()) {
            login(ctx, 400, "token is missing: expected the admin token (LAMPLIGHTER_ADMIN_TOKEN)", name);
            return;
        }
        if (!Requests.ACTOR.matcher(name).matches()) {
            login(ctx, 400, ApiException.badRequest("name", name, Requests.ACTOR_ALLOWED).getMessage(), name);
            return;
        }
        Optional<TokenCheck.Kind> kind = token.kindOf(given);
        if (kind.isEmpty()) {
            log.warn("Admin page: login as {} from {} refused: wrong token", name, ctx.ip());
            login(ctx, 401, "wrong token", name);
            return;
        }
        sessions.remove(ctx.cookie(COOKIE)); // a new login never keeps the old id
        Optional<String> id = sessions.create(name, kind.get());
        if (id.isEmpty()) {
            login(ctx, 503, "too many sessions (" + PageSessions.MAX_SESSIONS + "): try again when one has ended", name);
            return;
        }
        ctx.header("Set-Cookie", COOKIE + "=" + id.get() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + PageSessions.ABSOLUTE.toSeconds());
        log.info("Admin page: {} logged in from {} with the {} token", name, ctx.ip(), kind.get().label);
        redirect(ctx);
    }

    /** POST /logout: ends the session (with its CSRF token) and clears the cookie. */
    void logout(Context ctx) {
        Optional<PageSessions.Session> session = session(ctx);
        if (session.isPresent() && !session.get().csrfMatches(ctx.formParam(CSRF_FIELD))) {
            refused(ctx, 403, csrfMessage(ctx));
            return;
        }
        sessions.remove(ctx.cookie(COOKIE));
        session.ifPresent(s -> log.info("Admin page: {} logged out", s.actor));
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        redirect(ctx);
    }

    /** POST /page/schedules/{name}/{action}. */
    void scheduleChange(Context ctx, String action) {
        change(ctx, caller -> schedules.apply(Requests.scheduleName(ctx), action, caller));
    }

    /** POST /page/jobs/{id}/{action}. */
    void jobChange(Context ctx, JobApi.Action action) {
        change(ctx, caller -> jobs.apply(Requests.jobId(ctx), action, caller));
    }

    private void change(Context ctx, Function<Audit.Caller, Map<String, Object>> action) {
        Optional<PageSessions.Session> session = session(ctx);
        if (session.isEmpty()) {
            login(ctx, 401, "log in first: no session, or it has ended (nothing was changed)", "");
            return;
        }
        PageSessions.Session s = session.get();
        if (!s.csrfMatches(ctx.formParam(CSRF_FIELD))) {
            refused(ctx, 403, csrfMessage(ctx));
            return;
        }
        if (!s.kind.mayWrite()) {
            refused(ctx, 403, "logged in with the read token (" + dev.lamplighter.admin.AdminSettings.ENV_READ_TOKEN
                    + "): it lacks the " + TokenCheck.WRITE + " permission; log in with the admin token to change anything"
                    + " (nothing was changed)");
            return;
        }
        try {
            Map<String, Object> done = action.apply(new Audit.Caller(s.actor, ctx.ip(), null, s.kind.label));
            s.flash = new PageSessions.Flash(false, done.get("action") + " " + done.get("target") + " by " + done.get("actor")
                    + " (audit row " + done.get("audit_id") + ")");
        } catch (ApiException e) {
            s.flash = new PageSessions.Flash(true, e.status() + ": " + e.getMessage() + " (nothing was changed)");
        }
        redirect(ctx);
    }

    private static String csrfMessage(Context ctx) {
        String given = ctx.formParam(CSRF_FIELD);
        return ApiException.badRequest(CSRF_FIELD, given == null ? "" : given,
                "the form token of this session's page: reload the page and press the button again").getMessage()
                + " (nothing was changed)";
    }

    private Optional<PageSessions.Session> session(Context ctx) {
        return sessions.find(ctx.cookie(COOKIE));
    }

    private static void login(Context ctx, int status, String error, String name) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("error", error);
        scope.put("name", name);
        html(ctx, status, LOGIN, scope);
    }

    private static void refused(Context ctx, int status, String message) {
        html(ctx, status, REFUSED, Map.of("status", status, "message", message));
    }

    private static void redirect(Context ctx) {
        secure(ctx);
        ctx.status(303).header("Location", "/");
    }

    private static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private static void html(Context ctx, int status, Mustache template, Map<String, Object> scope) {
        secure(ctx);
        StringWriter out = new StringWriter();
        template.execute(out, scope);
        ctx.status(status).html(out.toString());
    }
}
