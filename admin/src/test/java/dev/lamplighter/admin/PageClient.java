package dev.lamplighter.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a browser does with the page, by hand: keeps the session cookie, posts forms, follows nothing. */
final class PageClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final int port;
    String cookie;

    PageClient(int port) {
        this.port = port;
    }

    record Page(int status, String body, String location, List<String> setCookies, String csp) {
    }

    Page get(String path) {
        return send(request(path).GET().build());
    }

    /** POST an application/x-www-form-urlencoded form of name, value pairs. */
    Page post(String path, String... fields) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < fields.length; i += 2) {
            parts.add(URLEncoder.encode(fields[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", parts))).build());
    }

    /** Logs in and keeps the cookie. */
    Page login(String token, String name) {
        Page p = post("/login", "token", token, "name", name);
        for (String c : p.setCookies()) {
            if (c.startsWith("lamplighter_session=")) {
                cookie = c.substring(0, c.indexOf(';'));
            }
        }
        return p;
    }

    /** The CSRF token in the page's forms. */
    String csrf() {
        Matcher m = CSRF.matcher(get("/").body());
        if (!m.find()) {
            throw new AssertionError("no csrf field on the page");
        }
        return m.group(1);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return b;
    }

    private Page send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Page(r.statusCode(), r.body(), r.headers().firstValue("Location").orElse(null),
                    r.headers().allValues("Set-Cookie"), r.headers().firstValue("Content-Security-Policy").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
