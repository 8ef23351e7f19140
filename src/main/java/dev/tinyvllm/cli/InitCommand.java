package dev.tinyvllm.cli;

import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.StudentApiJar;
import dev.tinyvllm.curriculum.Workspace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tutor init DIR}: a new workspace, or the missing files of an existing one. */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = {
    "Create a student workspace: skeletons, step guides, a Maven project for your IDE, and .tutor/.",
    "Run it again after upgrading the tutor: it adds what is missing and never overwrites a file you edited."})
public final class InitCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Where to create the workspace.")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Workspace.InitReport report = Workspace.init(dir, Catalog.load(), StudentApiJar.build());
        out.println("workspace: " + report.root());
        report.written().forEach(f -> out.println("  wrote      " + f));
        report.keptEdited().forEach(f -> out.println("  kept       " + f + " (you edited it; left as it is)"));
        if (!report.unchanged().isEmpty()) {
            out.println("  " + report.unchanged().size() + " files already up to date");
        }
        out.println();
        out.println("Next: cd " + report.root() + " && tutor steps");
        out.println("      read steps/week1/attention/README.md, then `tutor check week1/attention`");
        return ExitCodes.OK;
    }
}
