package dev.lamplighter.worker.escalation;

import dev.lamplighter.worker.internal.config.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a node sends what needs a human: a schedule that disabled itself after {@code max_retries}
 * launcher failures, and (opt-in) jobs that failed for good. Immutable; built by
 * {@link #builder()}, checked in {@link Builder#build()} (a bad value is an
 * {@link IllegalArgumentException} naming the setting, its environment variable, the value and what
 * is allowed). {@link #none()} (the default of every node) sends nothing; the node's
 * {@code LamplighterListener.scheduleDisabled} is called either way.
 *
 * <table>
 * <caption>Settings, their environment variables, defaults and bounds</caption>
 * <tr><th>setting</th><th>environment</th><th>default</th><th>bounds</th></tr>
 * <tr><td>{@link #webhookUrl()}</td><td>{@code LAMPLIGHTER_ESCALATION_WEBHOOK_URL}</td><td>unset: no webhook</td>
 *     <td>an {@code http://} or {@code https://} URL with a host</td></tr>
 * <tr><td>{@link #webhookHeader()}</td><td>{@code LAMPLIGHTER_ESCALATION_WEBHOOK_HEADER}</td><td>unset</td>
 *     <td>{@code Name: value}, e.g. {@code Authorization: Bearer x}</td></tr>
 * <tr><td>{@link #failedJobs()}</td><td>{@code LAMPLIGHTER_ESCALATE_FAILED_JOBS}</td><td>false</td>
 *     <td>true (needs the webhook) or false</td></tr>
 * <tr><td>{@link #failedJobsInterval()}</td><td>{@code LAMPLIGHTER_ESCALATION_FAILED_JOBS_INTERVAL}</td>
 *     <td>15 min</td><td>1 min to 24 h</td></tr>
 * <tr><td>{@link #webhookTimeout()}</td><td>{@code LAMPLIGHTER_ESCALATION_WEBHOOK_TIMEOUT}</td><td>10 s</td>
 *     <td>1 s to 2 min</td></tr>
 * <tr><td>{@link #webhookAttempts()}</td><td>{@code LAMPLIGHTER_ESCALATION_WEBHOOK_ATTEMPTS}</td><td>4</td>
 *     <td>1 to 10</td></tr>
 * <tr><td>{@link #webhookRetryBase()}</td><td>{@code LAMPLIGHTER_ESCALATION_WEBHOOK_RETRY_BASE}</td><td>2 s</td>
 *     <td>100 ms to 5 min</td></tr>
 * </table>
 *
 * <p>{@link #toString()} never shows the header's value nor the URL's path (either is often a secret).
 */
public final class EscalationConfig {

    /** Default {@link #failedJobsInterval()}: 15 min. */
    public static final Duration DEFAULT_FAILED_JOBS_INTERVAL = Duration.ofMinutes(15);
    /** Shortest {@link #failedJobsInterval()}: 1 min. */
    public static final Duration MIN_FAILED_JOBS_INTERVAL = Duration.ofMinutes(1);
    /** Longest {@link #failedJobsInterval()}: 24 h. */
    public static final Duration MAX_FAILED_JOBS_INTERVAL = Duration.ofHours(24);
    /** Default {@link #webhookTimeout()}: 10 s. */
    public static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
    /** Shortest {@link #webhookTimeout()}: 1 s. */
    public static final Duration MIN_WEBHOOK_TIMEOUT = Duration.ofSeconds(1);
    /** Longest {@link #webhookTimeout()}: 2 min. */
    public static final Duration MAX_WEBHOOK_TIMEOUT = Duration.ofMinutes(2);
    /** Default {@link #webhookAttempts()}: 4. */
    public static final int DEFAULT_WEBHOOK_ATTEMPTS = 4;
    /** Most {@link #webhookAttempts()}: 10. */
    public static final int MAX_WEBHOOK_ATTEMPTS = 10;
    /** Default {@link #webhookRetryBase()}: 2 s. */
    public static final Duration DEFAULT_WEBHOOK_RETRY_BASE = Duration.ofSeconds(2);
    /** Shortest {@link #webhookRetryBase()}: 100 ms. */
    public static final Duration MIN_WEBHOOK_RETRY_BASE = Duration.ofMillis(100);
    /** Longest {@link #webhookRetryBase()}: 5 min. */
    public static final Duration MAX_WEBHOOK_RETRY_BASE = Duration.ofMinutes(5);

    /** Headers the JDK's HTTP client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private static final EscalationConfig NONE = builder().build();

    private final URI webhookUrl;
    private final String headerName;
    private final String headerValue;
    private final boolean failedJobs;
    private final Duration failedJobsInterval;
    private final Duration webhookTimeout;
    private final int webhookAttempts;
    private final Duration webhookRetryBase;

    private EscalationConfig(Builder b, URI url, String headerName, String headerValue) {
        this.webhookUrl = url;
        this.headerName = headerName;
        this.headerValue = headerValue;
        this.failedJobs = b.failedJobs;
        this.failedJobsInterval = b.failedJobsInterval;
        this.webhookTimeout = b.webhookTimeout;
        this.webhookAttempts = b.webhookAttempts;
        this.webhookRetryBase = b.webhookRetryBase;
    }

    /**
     * No webhook: nothing is sent (the default of every node).
     *
     * @return the settings that send nothing
     */
    public static EscalationConfig none() {
        return NONE;
    }

    /**
     * A builder with every setting at its default (no webhook).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code LAMPLIGHTER_ESCALATION_WEBHOOK_URL}: where the node POSTs a JSON document when one of
     * its ticks disables a schedule (and, with {@link #failedJobs()}, when jobs fail for good).
     *
     * @return the webhook's URL, or empty when no webhook is set
     */
    public Optional<URI> webhookUrl() {
        return Optional.ofNullable(webhookUrl);
    }

    /**
     * {@code LAMPLIGHTER_ESCALATION_WEBHOOK_HEADER}: one header sent with every POST, for receivers
     * that want a secret (Slack-, PagerDuty- or Opsgenie-style endpoints).
     *
     * @return the header's name, or empty when none is set
     */
    public Optional<String> webhookHeaderName() {
        return Optional.ofNullable(headerName);
    }

    /**
     * The value of {@link #webhookHeaderName()}.
     *
     * @return the header's value, or empty when no header is set
     */
    public Optional<String> webhookHeaderValue() {
        return Optional.ofNullable(headerValue);
    }

    /**
     * {@code LAMPLIGHTER_ESCALATE_FAILED_JOBS}: whether a job that failed for good (its last
     * attempt failed) is escalated too, at most one message per job type per
     * {@link #failedJobsInterval()}; default false.
     *
     * @return whether failed jobs are escalated
     */
    public boolean failedJobs() {
        return failedJobs;
    }

    /**
     * {@code LAMPLIGHTER_ESCALATION_FAILED_JOBS_INTERVAL}: at most one failed-job message per job
     * type per this interval, on each node; the failures in between are folded into a count sent
     * when the interval ends. Default 15 min, 1 min to 24 h.
     *
     * @return the interval
     */
    public Duration failedJobsInterval() {
        return failedJobsInterval;
    }

    /**
     * {@code LAMPLIGHTER_ESCALATION_WEBHOOK_TIMEOUT}: how long one POST may take, connection
     * included; default 10 s, 1 s to 2 min.
     *
     * @return the timeout of one attempt
     */
    public Duration webhookTimeout() {
        return webhookTimeout;
    }

    /**
     * {@code LAMPLIGHTER_ESCALATION_WEBHOOK_ATTEMPTS}: how many times one message is tried (a
     * status other than 2xx, a timeout or a refused connection is a failed attempt); default 4,
     * 1 to 10.
     *
     * @return the attempts per message
     */
    public int webhookAttempts() {
        return webhookAttempts;
    }

    /**
     * {@code LAMPLIGHTER_ESCALATION_WEBHOOK_RETRY_BASE}: the wait before the second attempt,
     * doubled before each further one; default 2 s, 100 ms to 5 min.
     *
     * @return the first retry delay
     */
    public Duration webhookRetryBase() {
        return webhookRetryBase;
    }

    /**
     * Whether anything is sent: a webhook is set.
     *
     * @return whether a webhook URL is set
     */
    public boolean enabled() {
        return webhookUrl != null;
    }

    /**
     * A builder holding these settings, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.webhookUrl = webhookUrl == null ? null : webhookUrl.toString();
        b.webhookHeader = headerName == null ? null : headerName + ": " + headerValue;
        b.failedJobs = failedJobs;
        b.failedJobsInterval = failedJobsInterval;
        b.webhookTimeout = webhookTimeout;
        b.webhookAttempts = webhookAttempts;
        b.webhookRetryBase = webhookRetryBase;
        return b;
    }

    /** The settings in one line, the header's value hidden. */
    @Override
    public String toString() {
        if (webhookUrl == null) {
            return "none";
        }
        // The path may hold a secret (as Slack's do): only the scheme and host are shown.
        return "webhook " + webhookUrl.getScheme() + "://" + webhookUrl.getRawAuthority() + "/..."
                + (headerName == null ? "" : " (with header " + headerName + ")")
                + ", failedJobs=" + failedJobs + (failedJobs ? " every " + Durations.human(failedJobsInterval) : "")
                + ", timeout=" + Durations.human(webhookTimeout) + ", attempts=" + webhookAttempts
                + ", retryBase=" + Durations.human(webhookRetryBase);
    }

    /** Builds an {@link EscalationConfig}; {@link #build()} checks every setting. Not thread-safe. */
    public static final class Builder {
        private String webhookUrl;
        private String webhookHeader;
        private boolean failedJobs;
        private Duration failedJobsInterval = DEFAULT_FAILED_JOBS_INTERVAL;
        private Duration webhookTimeout = DEFAULT_WEBHOOK_TIMEOUT;
        private int webhookAttempts = DEFAULT_WEBHOOK_ATTEMPTS;
        private Duration webhookRetryBase = DEFAULT_WEBHOOK_RETRY_BASE;

        private Builder() {
        }

        /**
         * Sets {@link EscalationConfig#webhookUrl()}.
         *
         * @param url an http or https URL; null or blank for none
         * @return this builder
         */
        public Builder webhookUrl(String url) {
            this.webhookUrl = url;
            return this;
        }

        /**
         * Sets the header of {@link EscalationConfig#webhookHeaderName()}.
         *
         * @param header {@code Name: value}, e.g. {@code Authorization: Bearer x}; null or blank for none
         * @return this builder
         */
        public Builder webhookHeader(String header) {
            this.webhookHeader = header;
            return this;
        }

        /**
         * Sets {@link EscalationConfig#failedJobs()}.
         *
         * @param escalate whether jobs failed for good are escalated (needs the webhook)
         * @return this builder
         */
        public Builder failedJobs(boolean escalate) {
            this.failedJobs = escalate;
            return this;
        }

        /**
         * Sets {@link EscalationConfig#failedJobsInterval()}.
         *
         * @param interval 1 min to 24 h
         * @return this builder
         */
        public Builder failedJobsInterval(Duration interval) {
            this.failedJobsInterval = interval;
            return this;
        }

        /**
         * Sets {@link EscalationConfig#webhookTimeout()}.
         *
         * @param timeout 1 s to 2 min
         * @return this builder
         */
        public Builder webhookTimeout(Duration timeout) {
            this.webhookTimeout = timeout;
            return this;
        }

        /**
         * Sets {@link EscalationConfig#webhookAttempts()}.
         *
         * @param attempts 1 to 10
         * @return this builder
         */
        public Builder webhookAttempts(int attempts) {
            this.webhookAttempts = attempts;
            return this;
        }

        /**
         * Sets {@link EscalationConfig#webhookRetryBase()}.
         *
         * @param base 100 ms to 5 min
         * @return this builder
         */
        public Builder webhookRetryBase(Duration base) {
            this.webhookRetryBase = base;
            return this;
        }

        /**
         * Checks every setting and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the setting, its value and what is allowed
         */
        public EscalationConfig build() {
            URI url = url(webhookUrl);
            String name = null;
            String value = null;
            if (webhookHeader != null && !webhookHeader.isBlank()) {
                int colon = webhookHeader.indexOf(':');
                name = colon < 0 ? "" : webhookHeader.substring(0, colon).strip();
                value = colon < 0 ? "" : webhookHeader.substring(colon + 1).strip();
                if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}") || RESTRICTED.contains(name.toLowerCase(Locale.ROOT))
                        || value.isEmpty() || !value.matches("[\\x20-\\x7e]{1,4096}")) {
                    throw new IllegalArgumentException("escalationWebhookHeader (LAMPLIGHTER_ESCALATION_WEBHOOK_HEADER) = \""
                            + (name.isEmpty() ? abbreviate(webhookHeader) : name + ": ...")
                            + "\" is not allowed: expected one header as Name: value (e.g. Authorization: Bearer x),"
                            + " a token name other than " + RESTRICTED + " and a printable ASCII value");
                }
            }
            if (failedJobs && url == null) {
                throw new IllegalArgumentException("escalateFailedJobs (LAMPLIGHTER_ESCALATE_FAILED_JOBS) = true is not"
                        + " allowed without a webhook: set LAMPLIGHTER_ESCALATION_WEBHOOK_URL too, or set it to false");
            }
            within("escalationFailedJobsInterval (LAMPLIGHTER_ESCALATION_FAILED_JOBS_INTERVAL)", failedJobsInterval,
                    MIN_FAILED_JOBS_INTERVAL, MAX_FAILED_JOBS_INTERVAL);
            within("escalationWebhookTimeout (LAMPLIGHTER_ESCALATION_WEBHOOK_TIMEOUT)", webhookTimeout,
                    MIN_WEBHOOK_TIMEOUT, MAX_WEBHOOK_TIMEOUT);
            within("escalationWebhookRetryBase (LAMPLIGHTER_ESCALATION_WEBHOOK_RETRY_BASE)", webhookRetryBase,
                    MIN_WEBHOOK_RETRY_BASE, MAX_WEBHOOK_RETRY_BASE);
            if (webhookAttempts < 1 || webhookAttempts > MAX_WEBHOOK_ATTEMPTS) {
                throw new IllegalArgumentException("escalationWebhookAttempts (LAMPLIGHTER_ESCALATION_WEBHOOK_ATTEMPTS) = "
                        + webhookAttempts + " is not allowed: expected from 1 to " + MAX_WEBHOOK_ATTEMPTS);
            }
            return new EscalationConfig(this, url, name, value);
        }

        private static URI url(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            String setting = "escalationWebhookUrl (LAMPLIGHTER_ESCALATION_WEBHOOK_URL) = \"" + abbreviate(text.strip())
                    + "\" is not allowed: expected an http:// or https:// URL with a host, such as"
                    + " https://hooks.example.com/lamplighter";
            URI uri;
            try {
                uri = new URI(text.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(setting, e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getHost().isBlank()
                    || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException(setting);
            }
            return uri;
        }

        private static void within(String setting, Duration value, Duration min, Duration max) {
            if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(setting + " = " + (value == null ? "null" : Durations.human(value))
                        + " is not allowed: expected from " + Durations.human(min) + " to " + Durations.human(max));
            }
        }

        private static String abbreviate(String text) {
            return text.length() <= 120 ? text : text.substring(0, 117) + "...";
        }
    }
}
