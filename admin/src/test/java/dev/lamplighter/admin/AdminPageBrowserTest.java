package dev.lamplighter.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamplighter.worker.testing.TestClock;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: headless Chromium from the system's packages (Debian's
 * {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs), driven by
 * Selenium at the installed driver, so nothing is downloaded. Skipped, with a message, where
 * Chromium is not installed.
 */
@Tag(TestClock.TAG)
@Timeout(60)
class AdminPageBrowserTest {

    static final Path CHROMIUM = Path.of(System.getProperty("lamplighter.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("lamplighter.test.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Jobs per page of the page's failed and recent lists. */
    private static final int FAILED_SHOWN = 50;
    private static final int RECENT_SHOWN = 20;

    private AdminFixture f;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void start() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (looked for " + CHROMIUM + " and " + CHROMEDRIVER
                        + "): apt-get install chromium chromium-driver (as .ci/run does) to run the admin page's browser test");
        f = new AdminFixture();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        // A page being replaced can answer "node does not belong to the document": look again.
        wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(WebDriverException.class);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (f != null) {
            f.close();
        }
    }

    private String status(long job) {
        return f.db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM lamplighter.jobs WHERE job_id = :id")
                .bind("id", job).mapTo(String.class).one());
    }

    /** Presses a button, waits for the old page to go (the POST and its redirect), then for the message. */
    private void press(String buttonName, String flash) {
        WebElement oldPage = browser.findElement(By.tagName("html"));
        browser.findElement(By.name(buttonName)).click();
        wait.until(ExpectedConditions.stalenessOf(oldPage));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), flash));
    }

    @Test
    void an_operator_logs_in_triggers_retries_approves_and_sees_the_chart() {
        f.schedule("nightly", true);
        long failed = f.job("index", "failed", "nightly");
        long awaiting = f.job("report", "awaiting_approval", "nightly");
        Instant now = f.now();
        f.db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO lamplighter.decision_log (schedule_name, slot, decided_at, outcome, reason)
                VALUES ('nightly', CAST(:a AS timestamptz), CAST(:a AS timestamptz), 'launched', 'test'),
                       ('nightly', CAST(:b AS timestamptz), CAST(:b AS timestamptz), 'skipped', 'test'),
                       ('nightly', CAST(:c AS timestamptz), CAST(:c AS timestamptz), 'failed', 'test')""")
                .bind("a", now.minus(Duration.ofMinutes(2))).bind("b", now.minus(Duration.ofHours(2)))
                .bind("c", now.minus(Duration.ofHours(4))).execute());

        browser.get("http://127.0.0.1:" + f.admin.port() + "/");
        browser.findElement(By.id("token")).sendKeys(AdminFixture.TOKEN);
        browser.findElement(By.id("name")).sendKeys("dana");
        browser.findElement(By.cssSelector("#login button[type=submit]")).click();
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("schedule-nightly")));
        assertThat(row.getText()).contains("nightly", "enabled", "0 0 1 1 *");
        assertThat(browser.findElement(By.id("actor")).getText()).isEqualTo("dana");

        press("trigger-nightly", "schedule.trigger schedule:nightly by dana");
        List<String> audit = f.db.jdbi().withHandle(h -> h.createQuery(
                "SELECT action || ' ' || target || ' ' || actor FROM lamplighter.admin_audit ORDER BY id").mapTo(String.class).list());
        assertThat(audit).containsExactly("schedule.trigger schedule:nightly dana");

        press("retry-" + failed, "job.retry job:" + failed + " by dana");
        assertThat(status(failed)).isEqualTo("queued");
        press("approve-" + awaiting, "job.approve job:" + awaiting + " by dana");
        assertThat(status(awaiting)).isEqualTo("queued");

        List<WebElement> bars = browser.findElements(By.cssSelector("svg.chart rect.bar"));
        assertThat(bars).hasSize(3);
        assertThat(bars.stream().map(b -> b.getAttribute("class")).toList())
                .containsExactlyInAnyOrder("bar launched", "bar skipped", "bar failed");
        assertThat(bars.get(0).getSize().getHeight()).isPositive();

        // What the operator saw, kept for a look: admin/target/admin-page.png.
        try {
            Files.write(Path.of("target", "admin-page.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
        assertThat(browser.findElements(By.id("schedule-nightly"))).isEmpty();
    }

    @Test
    void the_job_lists_page_with_older_and_newest_links() {
        List<Long> failed = new java.util.ArrayList<>();
        for (int i = 0; i < FAILED_SHOWN + 5; i++) {
            failed.add(f.job("index", "failed", null));
        }
        browser.get("http://127.0.0.1:" + f.admin.port() + "/");
        browser.findElement(By.id("token")).sendKeys(AdminFixture.TOKEN);
        browser.findElement(By.id("name")).sendKeys("dana");
        browser.findElement(By.cssSelector("#login button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("failed-table")));
        assertThat(browser.findElements(By.cssSelector("#failed-table tbody tr"))).hasSize(FAILED_SHOWN);
        assertThat(browser.findElements(By.id("failed-newest"))).isEmpty();

        WebElement oldPage = browser.findElement(By.tagName("html"));
        browser.findElement(By.id("failed-older")).click();
        wait.until(ExpectedConditions.stalenessOf(oldPage));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("failed-newest")));
        assertThat(browser.getCurrentUrl()).endsWith("/?failed_before=" + failed.get(5) + "#failed");
        assertThat(browser.findElements(By.cssSelector("#failed-table tbody tr")).stream().map(r -> r.getAttribute("id")))
                .containsExactly("failed-" + failed.get(4), "failed-" + failed.get(3), "failed-" + failed.get(2),
                        "failed-" + failed.get(1), "failed-" + failed.get(0));
        assertThat(browser.findElements(By.id("failed-older"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#recent-table tbody tr"))).as("the other lists stay on their first page")
                .hasSize(RECENT_SHOWN);

        oldPage = browser.findElement(By.tagName("html"));
        browser.findElement(By.id("failed-newest")).click();
        wait.until(ExpectedConditions.stalenessOf(oldPage));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("failed-older")));
        assertThat(browser.findElements(By.cssSelector("#failed-table tbody tr"))).hasSize(FAILED_SHOWN);
    }
}
