package dev.lamplighter.worker.singleton;

import dev.lamplighter.worker.Lamplighter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The README's singleton example ({@code <!-- example:singleton -->}), compiled and run by
 * {@link ReadmeSingletonExampleTest}: a feed consumer that runs on one node and fences its writes
 * with the leadership's token.
 */
final class FeedConsumerExample {

    private FeedConsumerExample() {
    }

    static Lamplighter start(DataSource dataSource, String nodeId, Supplier<List<String>> feed, Duration pollEvery) {
        // example:singleton start
        Lamplighter node = Lamplighter.builder(dataSource)
                .nodeId(nodeId)
                .singleton("feed_consumer", ctx -> {
                    while (ctx.sleep(pollEvery)) {          // false once this node no longer leads
                        List<String> events = feed.get();
                        ctx.verifyLeadership();              // LeadershipLostException once another node took over
                        try (Connection c = dataSource.getConnection();
                             PreparedStatement write = c.prepareStatement("""
                                     UPDATE feed_position SET position = position + ?, token = ?
                                     WHERE token <= ?""")) {  // a former leader's late write changes nothing
                            write.setLong(1, events.size());
                            write.setLong(2, ctx.fencingToken());
                            write.setLong(3, ctx.fencingToken());
                            write.executeUpdate();
                        }
                    }
                })
                .start();
        // example:singleton end
        return node;
    }

    static void createTable(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                DROP TABLE IF EXISTS public.feed_position;
                CREATE TABLE public.feed_position (position bigint NOT NULL, token bigint NOT NULL);
                INSERT INTO public.feed_position VALUES (0, 0)""")) {
            s.execute();
        }
    }
}
