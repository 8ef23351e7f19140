package dev.tinyvllm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions of the tutor and of the libraries it grades with, filled in by the build. */
public record BuildInfo(String version, String djlVersion, String libtorchVersion) {

    private static final BuildInfo CURRENT = read();

    public static BuildInfo current() {
        return CURRENT;
    }

    private static BuildInfo read() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(p.getProperty("version", "dev"), p.getProperty("djl", "?"), p.getProperty("libtorch", "?"));
    }
}
