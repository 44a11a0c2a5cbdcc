package io.telesignal.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium, driven by Debian's ChromeDriver (no driver download), with a fake camera and
 * microphone and the permission prompt answered yes. Under CI a missing browser fails the test; elsewhere it
 * is skipped with a loud message.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static boolean available() {
        boolean there = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!there && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("chromium and chromium-driver are required under CI (.ci/run installs them)");
        }
        if (!there) {
            System.err.println("!!! browser tests skipped: install chromium and chromium-driver (Debian) to run them !!!");
        }
        return there;
    }

    static Browser open() throws Exception {
        Path profile = Files.createTempDirectory("telesignal-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1000,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    void get(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    void type(String css, String text) {
        WebElement field = until(d -> d.findElement(By.cssSelector(css)).isDisplayed() ? d.findElement(By.cssSelector(css)) : null);
        field.clear();
        field.sendKeys(text);
    }

    /** Clicks once the element is shown; a list re-rendered meanwhile is looked up again. */
    void click(String css) {
        until(d -> {
            WebElement element = d.findElement(By.cssSelector(css));
            if (!element.isDisplayed() || !element.isEnabled()) {
                return null;
            }
            element.click();
            return Boolean.TRUE;
        });
    }

    /** Reloads the page, as a user pressing F5 does. */
    void reload() {
        driver.navigate().refresh();
    }

    /** Clicks the shown button whose text is exactly {@code text}. */
    void clickButton(String text) {
        until(d -> {
            for (WebElement button : d.findElements(By.tagName("button"))) {
                if (button.isDisplayed() && button.isEnabled() && text.equals(button.getText().trim())) {
                    button.click();
                    return Boolean.TRUE;
                }
            }
            return null;
        });
    }

    /** Waits until the element's text contains {@code part}; answers the text. */
    String waitForText(String css, String part) {
        return until(d -> {
            String text = d.findElement(By.cssSelector(css)).getText();
            return text.contains(part) ? text : null;
        });
    }

    /** Waits until the section with this id is the one shown. */
    void shows(String section) {
        until(d -> d.findElement(By.id(section)).isDisplayed() ? Boolean.TRUE : null);
    }

    <T> T until(Function<WebDriver, T> condition) {
        return until(Duration.ofSeconds(30), condition);
    }

    <T> T until(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** A phone-sized window (390 x 844 CSS pixels, a common phone's viewport). */
    void phoneSized() {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    }

    /** Types into whatever has the keyboard focus, as a keyboard user would. */
    void keys(CharSequence... keys) {
        driver.switchTo().activeElement().sendKeys(keys);
    }

    /** The focused element's id ("" when it has none). */
    String focused() {
        return String.valueOf(script("return document.activeElement ? document.activeElement.id : '';"));
    }

    /**
     * Runs the axe-core accessibility checker (WCAG 2.1 A and AA rules) on the page as it is now; answers one line
     * per violation: rule, impact and the elements concerned. Empty means none found.
     */
    java.util.List<String> accessibilityViolations() throws Exception {
        if (!Boolean.TRUE.equals(script("return typeof window.axe === 'object';"))) {
            try (var in = Browser.class.getClassLoader().getResourceAsStream("axe.min.js")) {
                if (in == null) {
                    throw new AssertionError("axe.min.js is not on the test classpath (com.deque.html.axe-core:selenium)");
                }
                script(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        Object found = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
                + ".then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): '"
                + " + v.nodes.map(n => n.target.join(' ')).join(', '))), e => done(['axe failed: ' + e]));");
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (Object line : (java.util.List<?>) found) {
            lines.add(String.valueOf(line));
        }
        return lines;
    }

    void screenshot(Path to) throws Exception {
        Files.createDirectories(to.getParent());
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws Exception {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
