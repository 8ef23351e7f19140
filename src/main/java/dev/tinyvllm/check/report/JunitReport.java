package dev.tinyvllm.check.report;

import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.StepReport;
import java.util.Locale;

/**
 * JUnit XML as CI servers read it (Surefire's flavour): FAIL is a failure, ERROR an error,
 * NOT_IMPLEMENTED a failure of its own type, SKIPPED a skipped test with its reason.
 */
public final class JunitReport {

    private JunitReport() {}

    public static String render(StepReport report) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        String suite = report.step().replace('/', '.');
        double seconds = report.timing() == null ? 0 : report.timing().totalMs() / 1000.0;
        x.append(String.format(Locale.ROOT,
                "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">%n",
                escape(suite), report.total(), report.failed() + report.notImplemented(), report.errors(),
                report.skipped(), seconds));
        x.append("  <properties>\n");
        property(x, "seed", Long.toString(report.seed()));
        property(x, "tolerance", String.valueOf(report.tolerance()));
        property(x, "status", report.status());
        if (report.isolation() != null) {
            property(x, "isolation", report.isolation().sandbox());
        }
        x.append("  </properties>\n");
        for (CheckResult c : report.checks()) {
            x.append(String.format(Locale.ROOT, "  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
                    escape(suite + "." + c.function()), escape(c.id()), c.durationMs() / 1000.0));
            switch (c.status()) {
                case PASS -> x.append("/>\n");
                case SKIPPED -> x.append(">\n    <skipped message=\"").append(escape(c.message())).append("\"/>\n  </testcase>\n");
                case FAIL, NOT_IMPLEMENTED -> element(x, "failure", c);
                case ERROR -> element(x, "error", c);
            }
        }
        x.append("</testsuite>\n");
        return x.toString();
    }

    private static void element(StringBuilder x, String name, CheckResult c) {
        x.append(">\n    <").append(name).append(" type=\"").append(c.status()).append("\" message=\"")
                .append(escape(c.message())).append("\">").append(escape(TextReport.detail(c)))
                .append("</").append(name).append(">\n  </testcase>\n");
    }

    private static void property(StringBuilder x, String name, String value) {
        x.append("    <property name=\"").append(escape(name)).append("\" value=\"").append(escape(value)).append("\"/>\n");
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&apos;");
                default -> {
                    // XML 1.0 cannot hold most control characters or U+FFFE/U+FFFF, even escaped, nor a lone
                    // surrogate; the report was cleaned already, this keeps the file well-formed regardless.
                    boolean pair = Character.isSurrogate(ch) && i + 1 < text.length()
                            && Character.isSurrogatePair(ch, text.charAt(i + 1));
                    if (pair) {
                        s.append(ch).append(text.charAt(++i));
                    } else if ((ch >= 0x20 && ch < 0xD800) || (ch > 0xDFFF && ch < 0xFFFE) || ch == '\n' || ch == '\t'
                            || ch == '\r') {
                        s.append(ch);
                    } else {
                        s.append("\\u").append(String.format("%04x", (int) ch));
                    }
                }
            }
        }
        return s.toString();
    }
}
