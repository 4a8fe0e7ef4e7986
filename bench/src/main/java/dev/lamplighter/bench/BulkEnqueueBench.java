package dev.lamplighter.bench;

import dev.lamplighter.cli.db.CliSettings;
import dev.lamplighter.cli.db.DatabaseStarter;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Enqueue throughput: {@code --jobs} jobs (10,000 by default) written four ways, each in one
 * transaction, {@code --rounds} times each (5), printing jobs/s of the median round:
 * <ul>
 *   <li>{@code enqueueAll}: {@link LamplighterClient#enqueueAll(Connection, List)}, one statement;</li>
 *   <li>{@code enqueue x N}: {@link LamplighterClient#enqueue(Connection, JobRequest)} per job;</li>
 *   <li>{@code COPY (raw)}: a COPY of the same rows straight into {@code lamplighter.jobs}, without
 *       dedup keys or ids back, as the upper bound of what COPY could give;</li>
 *   <li>{@code COPY to temp}: a COPY into a temporary table, then {@code INSERT ... SELECT ...
 *       RETURNING job_id} (ids back, still no dedup): what a COPY-based enqueueAll would cost at least.</li>
 * </ul>
 * The table is truncated before every round. Uses {@code LAMPLIGHTER_DATABASE_URL}, else the
 * embedded server (data in {@code LAMPLIGHTER_DATA_DIR}), as the CLI does.
 *
 * <pre>
 * LAMPLIGHTER_DATA_DIR=/tmp/bench-pg LAMPLIGHTER_EMBEDDED_PORT=54397 \
 *   java -cp cli/target/lamplighter-cli-*-all.jar:bench/target/lamplighter-bench-*.jar \
 *   dev.lamplighter.bench.BulkEnqueueBench --jobs 10000 --rounds 5
 * </pre>
 */
public final class BulkEnqueueBench {

    public static void main(String[] args) throws Exception {
        int jobs = 10_000;
        int rounds = 5;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--jobs" -> jobs = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException(args[i] + " is not allowed: expected --jobs or --rounds");
            }
        }
        List<JobRequest> requests = new ArrayList<>(jobs);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < jobs; i++) {
            requests.add(JobRequest.builder("bench").put("n", i).priority(i % 3).build());
            csv.append("bench,\"{\"\"n\"\": ").append(i).append("}\",").append(i % 3).append('\n');
        }
        try (DatabaseStarter starter = DatabaseStarter.start(CliSettings.fromEnvironment(System.getenv()))) {
            DataSource ds = starter.database().dataSource();
            LamplighterClient client = LamplighterClient.create(ds);
            double[] bulk = new double[rounds];
            double[] single = new double[rounds];
            double[] copy = new double[rounds];
            double[] copyStaged = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                bulk[r] = timed(ds, jobs, c -> client.enqueueAll(c, requests));
                single[r] = timed(ds, jobs, c -> {
                    for (JobRequest q : requests) {
                        client.enqueue(c, q);
                    }
                });
                copy[r] = timed(ds, jobs, c -> c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                        "COPY lamplighter.jobs (job_type, payload, priority) FROM STDIN (FORMAT csv)",
                        new StringReader(csv.toString())));
                copyStaged[r] = timed(ds, jobs, c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE TEMPORARY TABLE batch (ord bigserial, job_type text, payload jsonb, priority integer) "
                                + "ON COMMIT DROP");
                    }
                    c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                            "COPY batch (job_type, payload, priority) FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
                    try (Statement s = c.createStatement();
                         var rs = s.executeQuery("INSERT INTO lamplighter.jobs (job_type, payload, priority) "
                                 + "SELECT job_type, payload, priority FROM batch ORDER BY ord RETURNING job_id")) {
                        while (rs.next()) {
                            rs.getLong(1);
                        }
                    }
                });
            }
            System.out.printf("%,d jobs, %d rounds, median jobs/s:%n", jobs, rounds);
            System.out.printf("  enqueueAll (one statement)   %,10.0f%n", median(bulk));
            System.out.printf("  enqueue x %,d (one tx)   %,10.0f%n", jobs, median(single));
            System.out.printf("  COPY, raw (no dedup, no ids) %,10.0f%n", median(copy));
            System.out.printf("  COPY to temp + INSERT..SELECT RETURNING (no dedup) %,10.0f%n", median(copyStaged));
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("TRUNCATE lamplighter.jobs");
            }
        }
    }

    private interface Work {
        void run(Connection c) throws Exception;
    }

    private static double timed(DataSource ds, int jobs, Work work) throws Exception {
        try (Connection c = ds.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE lamplighter.jobs");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            work.run(c);
            c.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            c.setAutoCommit(true);
            return jobs / seconds;
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
