package dev.lamplighter.admin.internal;

/** The page at {@code /}: what the admin server offers, as plain HTML links (no JavaScript). Not API. */
final class IndexPage {

    static final String HTML = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Lamplighter admin</title></head>
            <body>
            <h1>Lamplighter admin</h1>
            <p>JSON endpoints; every one but <code>/health</code> needs the token
            (<code>Authorization: Bearer &lt;token&gt;</code> or <code>X-Internal-Token: &lt;token&gt;</code>).
            Changes are POST requests and are written to <code>lamplighter.admin_audit</code>.</p>
            <ul>
            <li><a href="/health">GET /health</a>: database, poll loop, workers (no token)</li>
            <li><a href="/metrics">GET /metrics</a>: Prometheus text format</li>
            <li><a href="/api/schedules">GET /api/schedules</a>: every schedule and its last check</li>
            <li>GET /api/schedules/{name}: one schedule with its recent decisions (<code>?decisions=20</code>)</li>
            <li>POST /api/schedules/{name}/trigger, /enable, /disable</li>
            <li><a href="/api/jobs">GET /api/jobs</a>: jobs, newest first
            (<code>?status=&amp;schedule=&amp;type=&amp;limit=100&amp;before=</code>)</li>
            <li>GET /api/jobs/{id}: one job with its payload and result</li>
            <li>POST /api/jobs/{id}/approve, /reject, /retry, /cancel</li>
            <li><a href="/api/nodes">GET /api/nodes</a>: live nodes, and who led the last tick</li>
            </ul>
            </body>
            </html>
            """;

    private IndexPage() {
    }
}
