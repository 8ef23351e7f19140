package dev.tinyvllm.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyvllm.testing.ClassTranscripts;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The html review in a real browser: headless Chromium parses it (--dump-dom gives the DOM it built)
 * and paints it (--screenshot), and the charts are in both. Skipped, with the reason, where Chromium
 * is not installed; .ci/run installs it, so CI runs this. The page and its screenshot are kept in
 * target/review-html/ for a person to look at.
 */
class HtmlReportBrowserTest {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("TUTOR_CHROMIUM", "/usr/bin/chromium"));
    static final Path KEEP = Path.of("target", "review-html");

    @TempDir
    static Path dir;

    static Path page;

    @BeforeAll
    static void renderTheClass() throws Exception {
        ClassTranscripts.write(dir.resolve("class"));
        Review review = Reviewer.bundled().review(List.of(dir.resolve("class")));
        Files.createDirectories(KEEP);
        page = Files.writeString(KEEP.resolve("class.html"), ReviewFormat.HTML.render(review), StandardCharsets.UTF_8);
    }

    @Test
    void theFileFetchesNothingAndRunsNoScript() throws IOException {
        String html = Files.readString(page);
        assertFalse(html.contains("<script"), "no script");
        assertFalse(html.contains("<link"), "no linked stylesheet");
        assertFalse(html.contains("<img"), "no image to load");
        assertFalse(html.matches("(?s).*\\b(src|href)=\"(?!#).*"), "only links within the page");
        assertFalse(html.contains("url("), "no CSS resource");
        // Every http: in the file is an SVG namespace name, which is never fetched.
        assertEquals(count(html, "http"), count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
    }

    @Test
    void chromiumBuildsTheChartsIntoItsDom() throws Exception {
        String dom = chromium("--dump-dom", page.toUri().toString());
        assertTrue(dom.contains("<h1>Tutoring review</h1>"), dom.length() > 300 ? dom.substring(0, 300) : dom);
        // One timeline per session, an SVG element Chromium put in the SVG namespace with its marks.
        assertEquals(4, count(dom, "<svg class=\"timeline\""));
        List<String> timelines = elements(dom, "svg", "timeline");
        assertEquals(4, timelines.size());
        // alice: 3 checks, 2 FAIL and 1 PASS, one guard triangle, a flagged tutor message.
        String alice = timelines.get(0);
        assertEquals(3, count(alice, "class=\"mark check "));
        assertEquals(1, count(alice, "class=\"mark check pass\""));
        assertEquals(1, count(alice, "class=\"mark guard code\""));
        assertEquals(1, count(alice, "class=\"mark tutor flagged\""));
        assertEquals(1, count(alice, "class=\"mark student answer-request\""));
        // Attempts to pass: week1/attention only (no check ran on week1/rope): alice and carol passed, bob not.
        String attempts = elements(dom, "svg", "chart attempts-chart").get(0);
        assertEquals(2, count(attempts, "<circle class=\"passed\""));
        assertEquals(1, count(attempts, "<circle class=\"not-passed\""));
        assertEquals(1, count(attempts, "class=\"median\""));
        assertTrue(attempts.contains("2/3 passed, median 3.5"), attempts);
        String tags = elements(dom, "svg", "chart tags-chart").get(0);
        assertEquals(3, count(tags, "class=\"bar\""));
        // The leak and guard table: the message shown with code, twice (code, overlap), and the stopped one.
        String table = elements(dom, "table", "leak-table").get(0);
        assertEquals(2, count(table, "<tr class=\"shown\""));
        assertEquals(1, count(table, "<tr class=\"stopped\""));
        assertTrue(table.contains(ClassTranscripts.LEAKED_LINE.replace(">", "&gt;")), table);
    }

    @Test
    void chromiumPaintsTheChartsInTheirColours() throws Exception {
        Path png = KEEP.resolve("class.png");
        Files.deleteIfExists(png);
        chromium("--window-size=1200,2600", "--screenshot=" + png.toAbsolutePath(), page.toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        // The inside of each mark has its exact colour; anti-aliased edges do not count.
        assertTrue(pixels(image, HtmlReport.PASS) > 100, "green: PASS checks and passed students");
        assertTrue(pixels(image, HtmlReport.FAIL) > 300, "red: FAIL checks and tag bars");
        assertTrue(pixels(image, HtmlReport.GUARD) > 20, "amber: the guard's triangle");
        assertTrue(pixels(image, HtmlReport.FLAGGED) > 40, "the flagged tutor message");
        assertTrue(pixels(image, HtmlReport.MEDIAN) > 40, "the median bar");
    }

    private static String chromium(String... args) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM
                + " (apt-get install -y chromium; .ci/run does it; TUTOR_CHROMIUM names another binary)");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile")));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "chromium", ".log");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + readQuietly(log));
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The outer HTML of each element {@code <tag class="cls" ...>...</tag>}, not nested in itself. */
    static List<String> elements(String html, String tag, String cls) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + tag + " class=\"" + Pattern.quote(cls) + "\"").matcher(html);
        while (m.find()) {
            int end = html.indexOf("</" + tag + ">", m.start());
            out.add(html.substring(m.start(), end < 0 ? html.length() : end));
        }
        return out;
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    static int pixels(BufferedImage image, String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
