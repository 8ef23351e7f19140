package dev.tinyvllm.cli;

import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Progress;
import dev.tinyvllm.curriculum.Workspace;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tutor steps}: the course, with where the student stands on each step. */
@Command(name = "steps", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "List the course's steps with their titles and your status.")
public final class StepsCommand implements Callable<Integer> {

    @Mixin
    WorkspaceOption workspace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Catalog catalog = Catalog.load();
        Optional<Workspace> ws = workspace.find();
        Optional<Progress> progress = ws.map(Progress::of);
        int week = 0;
        for (Catalog.Entry e : catalog.entries()) {
            if (e.week() != week) {
                week = e.week();
                out.printf("%sWeek %d%n", week == 1 ? "" : "\n", week);
            }
            out.printf("  %-28s %-58s %s%n", e.id(), e.title(), status(catalog, e, progress));
        }
        if (ws.isEmpty()) {
            out.println("\n(no workspace here: `tutor init DIR` creates one, then statuses appear)");
        }
        return ExitCodes.OK;
    }

    private static String status(Catalog catalog, Catalog.Entry e, Optional<Progress> progress) {
        if (!catalog.isAvailable(e.id())) {
            return "planned";
        }
        Progress.StepProgress p = progress.map(pr -> pr.get(e.id())).orElse(null);
        if (p == null) {
            return progress.isPresent() ? "not checked yet" : "available";
        }
        return p.status() + " (" + p.passed() + "/" + (p.total() - p.skipped()) + ", "
                + p.attempts() + (p.attempts() == 1 ? " check)" : " checks)");
    }
}
