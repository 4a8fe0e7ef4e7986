package dev.lamplighter.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lamplighter.JobContext;
import dev.lamplighter.JobHandler;
import dev.lamplighter.Schedule;
import dev.lamplighter.client.JobRequest;
import dev.lamplighter.client.LamplighterClient;
import dev.lamplighter.conditions.Conditions;
import dev.lamplighter.worker.Lamplighter;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Lamplighter embedded in a plain Java service: a shop that sends a receipt for every order at
 * once, and runs an invoice batch when enough orders have come in. The README's "Using it in your
 * service" shows the two regions between the {@code example:} markers, character for character
 * ({@code ReadmeExampleTest} checks it).
 *
 * <p>Run it against any PostgreSQL: {@code DATABASE_URL=jdbc:postgresql://localhost:5432/shop
 * DATABASE_USER=shop DATABASE_PASSWORD=... java -cp ... dev.lamplighter.examples.ShopService}; it
 * migrates the {@code lamplighter} schema, places three orders and stops on Ctrl-C.
 */
public final class ShopService {

    private ShopService() {
    }

    // example:handler start
    /** The work: invoices the orders placed since the last run. A JobHandler runs on a worker thread. */
    public static final class InvoiceRunHandler implements JobHandler {
        private final Consumer<Map<String, Object>> invoices;

        public InvoiceRunHandler(Consumer<Map<String, Object>> invoices) {
            this.invoices = invoices;
        }

        @Override
        public String jobType() {
            return "invoice_run";
        }

        @Override
        public Map<String, Object> run(JobContext job) {
            invoices.accept(job.payload());             // the launcher's payload: what to invoice
            return Map.of("invoiced", true);            // kept in lamplighter.jobs.result
        }
    }
    // example:handler end

    /**
     * Starts Lamplighter inside the service on the service's own pool, places three orders, and
     * runs until {@code stopping} is counted down; then closes the node and the pool.
     *
     * @param jdbcUrl   the service's database, {@code jdbc:postgresql://host:port/db}
     * @param user      its user
     * @param password  its password, or null
     * @param invoices  the invoice run's work
     * @param receipts  what sending a receipt does, with the job's payload
     * @param stopping  counted down when the service stops
     * @throws InterruptedException if interrupted while running
     */
    public static void run(String jdbcUrl, String user, String password, InvoiceRunHandler invoices,
                           Consumer<Map<String, Object>> receipts, CountDownLatch stopping) throws InterruptedException {
        // example:embedding start
        HikariConfig pool = new HikariConfig();          // the service's own pool: any DataSource will do
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(user);
        pool.setPassword(password);
        try (HikariDataSource dataSource = new HikariDataSource(pool);
             Lamplighter lamplighter = Lamplighter.builder(dataSource)
                     .nodeId("shop-1")                  // unique per node; default <hostname>-<pid>
                     .workerThreads(4)                  // jobs at once on this node; 0: launch only
                     .handler(invoices)
                     .handler(JobHandler.of("send_receipt", job -> {
                         receipts.accept(job.payload());
                         return Map.of();
                     }))
                     .schedule(Schedule.builder("invoice_run")
                             .cron("*/15 * * * *")      // checked every 15 minutes (and when triggered)
                             .launcher(Conditions.launcher("OrdersPlacedLauncher",
                                     Conditions.changeCounter("orders_placed", 3)))   // work only after 3 orders
                             .jobType("invoice_run")
                             .build())
                     .start()) {                        // migrates the lamplighter schema, then runs
            LamplighterClient client = lamplighter.client();
            for (int order = 1; order <= 3; order++) {
                client.enqueue(JobRequest.builder("send_receipt").put("order", order).build());
                client.bumpCounter("orders_placed", 1);
            }
            client.trigger("invoice_run");              // check now, not at the next quarter hour
            stopping.await();                           // ... the service runs ...
        }                                               // close(): finishes in-flight jobs (up to 30 s), then stops
        // example:embedding end
    }

    /**
     * Runs the shop against {@code DATABASE_URL} ({@code DATABASE_USER}, {@code DATABASE_PASSWORD})
     * until Ctrl-C.
     *
     * @param args none
     * @throws InterruptedException if interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        CountDownLatch stopping = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stopping::countDown, "shop-stop"));
        run(env.getOrDefault("DATABASE_URL", "jdbc:postgresql://localhost:5432/shop"),
                env.getOrDefault("DATABASE_USER", "shop"), env.get("DATABASE_PASSWORD"),
                new InvoiceRunHandler(payload -> System.out.println("Invoicing " + payload)),
                payload -> System.out.println("Receipt for " + payload), stopping);
    }
}
