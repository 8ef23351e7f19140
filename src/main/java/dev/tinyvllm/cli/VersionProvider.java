package dev.tinyvllm.cli;

import dev.tinyvllm.BuildInfo;
import picocli.CommandLine;

/** {@code tutor --version}: the tutor and what it grades with. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        BuildInfo b = BuildInfo.current();
        return new String[] {
            "tutor " + b.version(),
            "graders: libtorch " + b.libtorchVersion() + " through DJL " + b.djlVersion(),
            "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
