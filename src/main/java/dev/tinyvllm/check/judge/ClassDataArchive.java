package dev.tinyvllm.check.judge;

import java.nio.file.Path;
import java.util.List;

/** Class-data sharing for student JVMs: an archive of the classes they load, made once, read by each. */
final class ClassDataArchive {

    private ClassDataArchive() {}

    /** The JVM flags that use the archive for this class path, when there is one. */
    static List<String> flags(List<Path> classPath) {
        return List.of();
    }
}
