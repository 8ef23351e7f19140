package dev.tinyvllm.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A step's table of {@link Mutant}s, each graded and held to what it must show. A test extends this
 * and declares {@code static Stream<Mutant> mutants()}; it keeps only the table and what is particular
 * to its step.
 */
public abstract class MutantTable {

    @TempDir
    protected Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void caughtWithItsTag(Mutant mutant) {
        grade(mutant);
    }

    /** Grades in this JVM, one run per mutant; a table that needs {@code tutor check}'s whole path overrides this. */
    protected void grade(Mutant mutant) {
        mutant.assertCaught(dir);
    }
}
