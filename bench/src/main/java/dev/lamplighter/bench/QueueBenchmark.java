package dev.lamplighter.bench;

import dev.lamplighter.worker.Lamplighter;
import dev.lamplighter.worker.internal.db.ConnectionInfo;
import dev.lamplighter.worker.internal.db.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.LoggerFactory;

/**
 * Prints what the job queue costs on one PostgreSQL server, side by side with a raw
 * {@code FOR UPDATE SKIP LOCKED} loop and db-scheduler: drain rate of a no-op backlog at 2 and 8
 * threads (median and range over {@code --repeats}), write transactions and WAL bytes per job,
 * Lamplighter's enqueue rate, add-to-start latency at a steady rate, and the poll tick over many
 * due schedules and over none. A program, not a test; see docs/performance.md for the command.
 *
 * <p>Options: {@code --database-url postgresql://user:password@host:port/db} (or
 * {@code LAMPLIGHTER_DATABASE_URL}; a database of its own: the bench truncates its tables and
 * deletes Lamplighter rows named {@code bench_*}), {@code --repeats 3}, {@code --jobs 20000},
 * {@code --threads 2,8}, {@code --warmup-seconds 20} (each system drains
 * unmeasured backlogs for this long first, at the largest thread count, so that the JIT has
 * compiled its code before it is measured: a node's first 15 s or so run mostly interpreted), {@code --enqueue 5000}, {@code --rate 100}, {@code --latency-seconds 20},
 * {@code --schedules 1000,10000}, {@code --history 1000000}, {@code --future 100000},
 * {@code --history-threads 8} (the drain with a long history, {@link HistoryDrain}), {@code --quick} (small sizes, one repeat: under a minute),
 * {@code --systems "SKIP LOCKED, 100|Lamplighter"} (drain only the systems whose names contain
 * one of these |-separated parts), {@code --drains-only} (print the drain table and stop: no history, enqueue, latency or tick figures, no docs),
 * {@code --docs docs} (write docs/performance.md and docs/performance-drain.svg),
 * {@code --label "..."} (what the run measured, e.g. the commit), {@code -Dbench.prefetch=N} (a JVM
 * option: the node's prefetch cap instead of its default), {@code --redraw-chart docs} (draw
 * docs/performance-drain.svg again from the table in docs/performance.md, measuring nothing).
 */
public final class QueueBenchmark {

    private QueueBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        if (opt.containsKey("redraw-chart")) {
            Report.redrawChart(Path.of(opt.get("redraw-chart")));
            return;
        }
        boolean quick = opt.containsKey("quick");
        String url = opt.getOrDefault("database-url", System.getenv("LAMPLIGHTER_DATABASE_URL"));
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("--database-url is not set (nor LAMPLIGHTER_DATABASE_URL): expected "
                    + "postgresql://user:password@host:port/database of a database the bench may fill and empty");
        }
        int repeats = intOpt(opt, "repeats", quick ? 1 : 3);
        int warmupSeconds = intOpt(opt, "warmup-seconds", quick ? 0 : 20);
        int jobs = intOpt(opt, "jobs", quick ? 2_000 : 20_000);
        int[] threads = intsOpt(opt, "threads", "2,8");
        int enqueue = intOpt(opt, "enqueue", quick ? 500 : 5_000);
        int rate = intOpt(opt, "rate", 100);
        int latencySeconds = intOpt(opt, "latency-seconds", quick ? 3 : 20);
        int[] scheduleSizes = intsOpt(opt, "schedules", quick ? "200,1000" : "1000,10000");
        String label = opt.getOrDefault("label", "Lamplighter " + Lamplighter.VERSION);
        quietLogs();

        try (Database db = Database.connect(ConnectionInfo.parse("--database-url", url), 24, "bench")) {
            db.migrate();
            Jdbi jdbi = db.jdbi();
            String header = header(jdbi, repeats, warmupSeconds, jobs, label);
            System.out.println(header);
            Report report = new Report();

            String only = opt.get("systems");
            List<Drains.Drain> drains = Drains.all(db.dataSource(), jdbi).stream()
                    .filter(d -> only == null || Arrays.stream(only.split("\\|")).anyMatch(name -> d.name().contains(name.strip())))
                    .toList();
            Map<String, List<Measure>> drainRuns = new LinkedHashMap<>();
            int warmThreads = Arrays.stream(threads).max().orElse(8);
            for (Drains.Drain d : drains) {   // not counted: each system's code compiled by the JIT before it is measured
                long until = System.nanoTime() + warmupSeconds * 1_000_000_000L;
                for (int w = 1; System.nanoTime() < until; w++) {
                    Measure m = d.run(warmThreads, jobs);
                    System.out.printf(Locale.ROOT, "  warm-up %d: %-33s %d threads  %,10.0f jobs/s (not counted)%n", w, d.name(), warmThreads, m.perSecond(jobs));
                }
            }
            for (int r = 1; r <= repeats; r++) {
                for (int t : threads) {
                    for (Drains.Drain d : drains) {   // repeats outermost: a noisy minute spreads over every system
                        Measure m = d.run(t, jobs);
                        System.out.printf(Locale.ROOT, "  repeat %d: %-34s %d threads  %,10.0f jobs/s%n", r, d.name(), t, m.perSecond(jobs));
                        drainRuns.computeIfAbsent(t + "\u0000" + d.name(), k -> new ArrayList<>()).add(m);
                    }
                }
            }
            System.out.println();
            for (Map.Entry<String, List<Measure>> e : drainRuns.entrySet()) {
                String[] key = e.getKey().split("\u0000");
                report.add(jobsRow("drain, " + key[0] + " threads", key[1], e.getValue(), jobs));
            }

            if (opt.containsKey("drains-only")) {
                System.out.println(report.text());
                return;
            }
            historyDrain(opt, db, report, drainRuns, repeats, jobs);

            LamplighterFigures lamp = new LamplighterFigures(db.dataSource(), jdbi);
            String lampName = "Lamplighter " + Lamplighter.VERSION;
            List<Measure> oneTx = new ArrayList<>();
            List<Measure> oneEach = new ArrayList<>();
            List<Measure> bulk = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                oneTx.add(lamp.enqueueOneTransaction(enqueue));
                oneEach.add(lamp.enqueueOneEach(enqueue));
                bulk.add(lamp.enqueueAll(enqueue));
            }
            report.add(jobsRow("enqueue, " + enqueue + " in 1 tx", lampName, oneTx, enqueue));
            report.add(jobsRow("enqueue, " + enqueue + " tx of 1", lampName, oneEach, enqueue));
            report.add(jobsRow("enqueue, enqueueAll of " + enqueue, lampName, bulk, enqueue));

            List<Double> p50 = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                double[] lat = lamp.addToStartLatency(rate, latencySeconds);
                p50.add(Stats.percentile(lat, 50));
                p99.add(Stats.percentile(lat, 99));
            }
            String at = "add-to-start, " + rate + " jobs/s ";
            report.add(new Report.Row(at + "p50", lampName + ", 4 threads", "ms", p50, Double.NaN, Double.NaN, null));
            report.add(new Report.Row(at + "p99", lampName + ", 4 threads", "ms", p99, Double.NaN, Double.NaN, null));

            for (int size : scheduleSizes) {
                List<Measure> ticks = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    ticks.add(lamp.dueTick(size, r == 0));
                }
                report.add(new Report.Row("tick, " + size + " due (always skip)", lampName, "ms",
                        ticks.stream().map(m -> m.nanos() / 1e6).toList(),
                        Stats.median(ticks.stream().map(m -> (double) m.xacts() / size).toList()),
                        Stats.median(ticks.stream().map(m -> (double) m.walBytes() / size).toList()), null));
            }
            int idleOver = scheduleSizes[scheduleSizes.length - 1];
            List<Double> idle = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                idle.add(lamp.idleTickMillis(50));
            }
            report.add(new Report.Row("tick, none due (" + idleOver + " rows)", lampName, "ms", idle, Double.NaN, Double.NaN, null));
            lamp.clearJobs();
            lamp.clearSchedules();

            System.out.println();
            System.out.println(report.text());
            if (opt.containsKey("docs")) {
                Path docs = Path.of(opt.get("docs"));
                report.writeDocs(docs, header, "QueueBenchmark " + String.join(" ", redact(args)), label);
                System.out.println("Wrote " + docs.resolve("performance.md") + " and " + docs.resolve("performance-drain.svg"));
            }
        }
    }

    // ---- The drain with a long history in the table (retention) -------------------------------

    /**
     * The drain of a backlog into a jobs table that already holds {@code --history} finished jobs
     * (1,000,000) and {@code --future} queued jobs due later (100,000), at {@code --history-threads}
     * (8), and its ratio to the empty-table drain of the same run at that thread count (the issue's
     * target: 80 % or more). {@code --history 0} leaves it out.
     */
    private static void historyDrain(Map<String, String> opt, Database db, Report report,
                                     Map<String, List<Measure>> drainRuns, int repeats, int jobs) throws Exception {
        int finished = intOpt(opt, "history", 1_000_000);
        int future = intOpt(opt, "future", 100_000);
        int threads = intOpt(opt, "history-threads", 8);
        if (finished <= 0) {
            return;
        }
        HistoryDrain drain = new HistoryDrain(db.dataSource(), db.jdbi(), finished, future);
        List<Measure> runs = new ArrayList<>();
        try {
            for (int r = 1; r <= repeats; r++) {
                Measure m = drain.run(threads, jobs);
                System.out.printf(Locale.ROOT, "  repeat %d: %-34s %d threads  %,10.0f jobs/s (history in the table)%n", r,
                        "Lamplighter " + Lamplighter.VERSION, threads, m.perSecond(jobs));
                runs.add(m);
            }
        } finally {
            drain.clear();
        }
        String lampName = "Lamplighter " + Lamplighter.VERSION;
        report.add(jobsRow(drain.measurement(threads), lampName, runs, jobs));
        List<Measure> empty = drainRuns.get(threads + "\u0000" + lampName);
        if (empty != null) {
            double emptyMedian = Stats.median(empty.stream().map(m -> m.perSecond(jobs)).toList());
            List<Double> ratios = runs.stream().map(m -> 100 * m.perSecond(jobs) / emptyMedian).toList();
            report.add(new Report.Row("history ÷ empty-table drain, " + threads + " threads", lampName, "%", ratios,
                    Double.NaN, Double.NaN, null));
        }
    }

    private static Report.Row jobsRow(String measurement, String system, List<Measure> runs, int jobs) {
        return new Report.Row(measurement, system, "jobs/s", runs.stream().map(m -> m.perSecond(jobs)).toList(),
                Stats.median(runs.stream().map(m -> (double) m.xacts() / jobs).toList()),
                Stats.median(runs.stream().map(m -> (double) m.walBytes() / jobs).toList()), null);
    }

    private static String header(Jdbi jdbi, int repeats, int warmupSeconds, int jobs, String label) throws Exception {
        Map<String, String> s = jdbi.withHandle(h -> h.createQuery(BenchSql.get("server_settings")).mapToMap(String.class).one());
        String os = Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                .map(l -> l.substring(12).replace("\"", "")).findFirst().orElse(System.getProperty("os.name"));
        long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
        return String.format(Locale.ROOT, """
                - run: %s
                - machine: %d vCPU, %.0f GiB, %s, JDK %s (%s)
                - PostgreSQL %s on the same machine: synchronous_commit=%s, fsync=%s, shared_buffers=%s, max_connections=%s
                - backlog %,d no-op jobs per drain, %d repeat(s) after %d s of unmeasured warm-up drains of each system; figures are medians, ranges min–max over the repeats
                """, label, Runtime.getRuntime().availableProcessors(), memKb / 1024.0 / 1024.0, os,
                System.getProperty("java.version"), System.getProperty("java.vm.name"), s.get("server_version"),
                s.get("synchronous_commit"), s.get("fsync"), s.get("shared_buffers"), s.get("max_connections"), jobs, repeats, warmupSeconds);
    }

    /** Keeps the run's output to the figures: the libraries under test log at WARN and above only. */
    private static void quietLogs() {
        for (String name : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "dev.lamplighter", "com.github.kagkarlsson",
                "com.zaxxer.hikari", "org.flywaydb")) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
    }

    private static List<String> redact(String[] args) {
        return Arrays.stream(args).map(a -> a.replaceAll("//([^:/@]+):[^@]*@", "//$1:***@"))
                .map(a -> a.contains(" ") ? "\"" + a + "\"" : a).toList();
    }

    private static int intOpt(Map<String, String> opt, String name, int dflt) {
        String v = opt.get(name);
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " = \"" + v + "\" is not a whole number");
        }
    }

    private static int[] intsOpt(Map<String, String> opt, String name, String dflt) {
        String v = opt.getOrDefault(name, dflt);
        try {
            return Arrays.stream(v.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " = \"" + v + "\" is not a comma-separated list of whole numbers");
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument \"" + args[i] + "\": options are --name value, --quick or --drains-only");
            }
            String name = args[i].substring(2);
            if (name.equals("quick") || name.equals("drains-only")) {
                out.put(name, "true");
            } else if (i + 1 < args.length) {
                out.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " has no value");
            }
        }
        return out;
    }
}
