package dev.lamplighter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's embedding example, run against the test database: the jobs it asks for run. */
class ShopServiceTest {

    private final TestDatabase db = TestDatabase.get();

    @BeforeEach
    void reset() {
        db.reset();
    }

    @Test
    void the_embedding_example_sends_every_receipt_and_runs_the_invoice_batch_once() throws Exception {
        BlockingQueue<Map<String, Object>> invoices = new LinkedBlockingQueue<>();
        BlockingQueue<Map<String, Object>> receipts = new LinkedBlockingQueue<>();
        CountDownLatch stopping = new CountDownLatch(1);
        ConnectionInfo info = db.database().connectionInfo();
        CompletableFuture<Void> service = CompletableFuture.runAsync(() -> {
            try {
                ShopService.run(info.jdbcUrl(), info.user(), info.password(),
                        new ShopService.InvoiceRunHandler(invoices::add), receipts::add, stopping);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(receipts.poll(30, TimeUnit.SECONDS)).as("receipt %d within 30 s", i + 1).isNotNull();
            }
            assertThat(invoices.poll(30, TimeUnit.SECONDS)).as("the invoice run within 30 s").isNotNull();
        } finally {
            stopping.countDown();
        }
        service.get(60, TimeUnit.SECONDS);

        List<Map<String, Object>> jobs = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT job_type, count(*) AS n, bool_and(status = 'completed') AS completed
                FROM lamplighter.jobs GROUP BY job_type ORDER BY job_type""").mapToMap().list());
        assertThat(jobs).containsExactly(
                Map.of("job_type", "invoice_run", "n", 1L, "completed", true),
                Map.of("job_type", "send_receipt", "n", 3L, "completed", true));
        assertThat(invoices).as("one invoice run only").isEmpty();
        int nodes = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM lamplighter.nodes").mapTo(Integer.class).one());
        assertThat(nodes).as("the node left on close").isZero();
    }
}
