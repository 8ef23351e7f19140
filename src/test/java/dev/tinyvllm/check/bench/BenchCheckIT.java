package dev.tinyvllm.check.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * scripts/bench-check runs end to end (one check of each kind, no timing asserted): its figures come
 * from real runs, and the peer is reported as not run when it is not installed.
 */
class BenchCheckIT {

    private static final Path HOME = Path.of(System.getProperty("tutor.home", ".")).toAbsolutePath();

    @Test
    void theSideBySideBenchRunsAsASmokeTest() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(HOME.resolve("scripts/bench-check").toString(), "1")
                .redirectErrorStream(true);
        builder.environment().put("REPL_CHECKS", "1");
        builder.environment().remove("TUTOR_DAEMON");
        if (System.getenv("PEER") == null) {
            builder.environment().remove("PEER");
        }
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("warm, median of 1:") && out.contains("CPU"), out);
        assertTrue(out.contains("peer: "), out);
        assertTrue(out.matches("(?s).*repl /check after editing Attention.java, 1 checks.*median \\d+ ms wall.*"), out);
    }
}
