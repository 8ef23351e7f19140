package dev.tinyvllm.cli;

import dev.tinyvllm.curriculum.Workspace;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --workspace DIR}, shared by every command that works on a student's workspace. */
public final class WorkspaceOption {

    @Option(names = {"-w", "--workspace"}, paramLabel = "DIR",
            description = "The student workspace (default: the current folder or the nearest parent that is one).")
    Path dir;

    Path start() {
        return dir == null ? Path.of("") : dir;
    }

    Workspace require() {
        return Workspace.require(start());
    }

    Optional<Workspace> find() {
        return Workspace.locate(start());
    }
}
