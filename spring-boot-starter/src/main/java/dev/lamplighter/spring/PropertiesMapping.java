package dev.lamplighter.spring;

import dev.lamplighter.Schedule;
import dev.lamplighter.worker.LamplighterConfig;
import dev.lamplighter.worker.internal.config.EnvironmentConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@link LamplighterProperties} into a {@link LamplighterConfig} and {@link Schedule}s. A
 * value out of bounds is an {@link IllegalArgumentException} that names the Spring property.
 */
final class PropertiesMapping {

    private static final Pattern SETTING = Pattern.compile("^([a-z][A-Za-z]*) \\(LAMPLIGHTER_[A-Z_]+\\)");
    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+([eE][-+]?\\d+)?");

    private PropertiesMapping() {
    }

    static LamplighterConfig config(LamplighterProperties p) {
        dev.lamplighter.worker.escalation.EscalationConfig escalation = escalation(p.getEscalation());
        try {
            LamplighterConfig.Builder b = LamplighterConfig.builder()
                    .migrate(p.isMigrate())
                    .schedulerEnabled(p.isSchedulerEnabled())
                    .pollInterval(p.getPollInterval())
                    .launcherRetryBase(p.getLauncherRetryBase())
                    .workerThreads(p.getWorkerThreads())
                    .workerPollInterval(p.getWorkerPollInterval())
                    .jobLease(p.getJobLease())
                    .jobRetryBase(p.getJobRetryBase())
                    .jobRetryMax(p.getJobRetryMax())
                    .jobTimeout(p.getJobTimeout())
                    .shutdownTimeout(p.getShutdownTimeout())
                    .retention(p.isRetention())
                    .retainCompleted(window("retainCompleted (LAMPLIGHTER_RETAIN_COMPLETED)", p.getRetainCompleted()))
                    .retainFailed(window("retainFailed (LAMPLIGHTER_RETAIN_FAILED)", p.getRetainFailed()))
                    .retainDecisions(window("retainDecisions (LAMPLIGHTER_RETAIN_DECISIONS)", p.getRetainDecisions()))
                    .retentionBatch(p.getRetentionBatch())
                    .retentionInterval(p.getRetentionInterval())
                    .capabilities(p.getCapabilities())
                    .conditionRole(p.getConditionRole())
                    .listen(p.isListen())
                    .workerCompletionFlush(p.getWorkerCompletionFlush())
                    .pollChunkSize(p.getPollChunkSize());
            if (p.getWorkerPrefetch() != null) {
                b.workerPrefetch(p.getWorkerPrefetch());
            }
            if (p.getNodeId() != null && !p.getNodeId().isBlank()) {
                b.nodeId(p.getNodeId());
            }
            b.escalation(escalation);
            return b.build();
        } catch (IllegalArgumentException e) {
            // Not chained: the message says all, and the builder's stack trace says nothing to the user.
            throw new IllegalArgumentException("Invalid property " + propertyOf(e.getMessage()) + ": " + e.getMessage());
        }
    }

    /** {@code lamplighter.escalation.*}; a bad value names its property ({@code lamplighter.escalation.webhook-url}, ...). */
    private static dev.lamplighter.worker.escalation.EscalationConfig escalation(LamplighterProperties.EscalationProperties e) {
        try {
            return dev.lamplighter.worker.escalation.EscalationConfig.builder()
                    .webhookUrl(e.getWebhookUrl())
                    .webhookHeader(e.getWebhookHeader())
                    .failedJobs(e.isFailedJobs())
                    .failedJobsInterval(e.getFailedJobsInterval())
                    .webhookTimeout(e.getWebhookTimeout())
                    .webhookAttempts(e.getWebhookAttempts())
                    .webhookRetryBase(e.getWebhookRetryBase())
                    .build();
        } catch (IllegalArgumentException x) {
            Matcher m = SETTING.matcher(x.getMessage() == null ? "" : x.getMessage());
            String setting = m.find() ? m.group(1) : "";
            String property = setting.equals("escalateFailedJobs") ? "failed-jobs"
                    : setting.startsWith("escalation") && setting.length() > "escalation".length()
                    ? setting.substring("escalation".length(), "escalation".length() + 1).toLowerCase(Locale.ROOT)
                            + setting.substring("escalation".length() + 1).replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT)
                    : "*";
            throw new IllegalArgumentException("Invalid property lamplighter.escalation." + property + ": " + x.getMessage());
        }
    }

    /** Declares the limits of {@code lamplighter.job-types.*} on the node's builder. */
    static void jobTypeLimits(LamplighterProperties p, dev.lamplighter.worker.Lamplighter.Builder builder) {
        p.getJobTypes().forEach((type, limit) -> {
            try {
                if (limit.getMaxRunning() != null) {
                    builder.limit(type, limit.getMaxRunning());
                }
                if (limit.isExclusive()) {
                    builder.exclusive(type);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid property lamplighter.job-types." + type + ".max-running: "
                        + e.getMessage());
            }
        });
    }

    /** A retention window property: {@code forever} or a duration; the message names the setting as the builder's do. */
    private static java.time.Duration window(String setting, String value) {
        return EnvironmentConfig.retentionWindow(setting, value);
    }

    /** {@code lamplighter.poll-interval} for a message that starts {@code pollInterval (LAMPLIGHTER_POLL_INTERVAL)}. */
    static String propertyOf(String message) {
        Matcher m = SETTING.matcher(message == null ? "" : message);
        if (!m.find()) {
            return "lamplighter.*";
        }
        return "lamplighter." + m.group(1).replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    static List<Schedule> schedules(LamplighterProperties p) {
        List<Schedule> out = new ArrayList<>();
        p.getSchedules().forEach((name, s) -> out.add(schedule(name, s)));
        return out;
    }

    private static Schedule schedule(String name, LamplighterProperties.ScheduleProperties s) {
        String prefix = "lamplighter.schedules." + name;
        try {
            Schedule.Builder b = Schedule.builder(name)
                    .timeZone(s.getTimeZone())
                    .launcher(s.getLauncher())
                    .jobType(s.getJobType())
                    .params(typed(s.getParams()))
                    .initialDelay(s.getInitialDelay())
                    .maxRetries(s.getMaxRetries())
                    .maxAttempts(s.getMaxAttempts())
                    .priority(s.getPriority())
                    .automation(automation(prefix, s.getAutomation()))
                    .enabled(s.isEnabled())
                    .requires(s.getRequires().toArray(String[]::new))
                    .misfireGrace(s.getMisfireGrace());
            if (s.getCron() != null) {
                b.cron(s.getCron());
            }
            if (s.getEvery() != null) {
                b.every(s.getEvery());
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid properties " + prefix + ".*: " + e.getMessage());
        }
    }

    private static Schedule.Automation automation(String prefix, String value) {
        for (Schedule.Automation a : Schedule.Automation.values()) {
            if (a.dbValue().equalsIgnoreCase(value == null ? "" : value.strip())) {
                return a;
            }
        }
        throw new IllegalArgumentException(prefix + ".automation = " + (value == null ? "null" : "\"" + value + "\"")
                + " is not allowed: expected autonomous or hitl");
    }

    /** Property values arrive as strings: whole numbers, decimals and true/false become JSON numbers and booleans. */
    static Map<String, Object> typed(Map<String, ?> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, typedValue(v)));
        return out;
    }

    private static Object typedValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> nested = new LinkedHashMap<>();
            m.forEach((k, x) -> nested.put(String.valueOf(k), typedValue(x)));
            return nested;
        }
        if (v instanceof List<?> list) {
            return list.stream().map(PropertiesMapping::typedValue).toList();
        }
        if (v instanceof String s) {
            if (s.equals("true") || s.equals("false")) {
                return Boolean.valueOf(s);
            }
            if (WHOLE.matcher(s).matches()) {
                return Long.valueOf(s);
            }
            if (DECIMAL.matcher(s).matches()) {
                return new BigDecimal(s);
            }
        }
        return v;
    }
}
