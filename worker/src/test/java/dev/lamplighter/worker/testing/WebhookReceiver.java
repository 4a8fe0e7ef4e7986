package dev.lamplighter.worker.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on 127.0.0.1 (the JDK's {@link HttpServer}): records every POST (body and
 * headers) and answers each with the next scripted status (200 once the script is used up), or,
 * with {@link #hang()}, holds every request until {@link #close()}. Tests wait for requests with
 * {@link #await}, inside a hard timeout.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Request(String body, Map<String, List<String>> headers) {
        /** The first value of a header (names in any case), or null. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> received = new ArrayList<>();
    private final Deque<Integer> statuses = new ConcurrentLinkedDeque<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean hang;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "webhook-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (this) {
                received.add(new Request(body, Map.copyOf(exchange.getRequestHeaders())));
                notifyAll();
            }
            if (hang) {
                try {
                    released.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL to POST to. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** Answers the next requests with these statuses, in order. */
    public WebhookReceiver answer(Integer... codes) {
        statuses.addAll(List.of(codes));
        return this;
    }

    /** Holds every request until {@link #close()}: a receiver that never answers. */
    public WebhookReceiver hang() {
        hang = true;
        return this;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(received);
    }

    /** Waits until at least {@code count} requests arrived; fails after {@code timeout}. */
    public synchronized void await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + count + " request(s); got "
                        + received.size());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
