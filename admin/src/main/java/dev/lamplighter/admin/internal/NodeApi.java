package dev.lamplighter.admin.internal;

import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /api/nodes}: the cluster's pause ({@code cluster}: paused, reason, paused_by,
 * paused_at) and the nodes table, the leader of the last tick first, with each node's drain and
 * declared schedules. Not API.
 */
final class NodeApi {

    private final Jdbi jdbi;
    private final Clock clock;

    NodeApi(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    void list(Context ctx) {
        Requests.onlyParams(ctx, Set.of());
        Map<String, Object> body = new LinkedHashMap<>();
        List<Map<String, Object>> rows = jdbi.withHandle(h -> {
            body.put("cluster", ClusterApi.state(h));
            return h.createQuery(AdminSql.NODES).bind("now", clock == null ? null : clock.instant()).map(Rows.JSON).list();
        });
        body.put("count", rows.size());
        body.put("nodes", rows);
        AdminServer.json(ctx, 200, body);
    }
}
