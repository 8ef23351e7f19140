package dev.tinyvllm.check.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.StudentCode.StudentFailure;
import dev.tinyvllm.check.StudentCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers are objects: the checker builds the student's classes with their constructors, hands one
 * object to another's constructor, and calls instance methods. Each way that can go wrong has its message.
 */
class StudentObjectsTest {

    @TempDir
    Path dir;

    private ReflectiveStudentCode compile(String... classes) throws Exception {
        Path src = dir.resolve("src/main/java/layers");
        Files.createDirectories(src);
        for (String source : classes) {
            String name = source.replaceAll("(?s).*?(?:class|interface) (\\w+).*", "$1");
            Files.writeString(src.resolve(name + ".java"), "package layers;\n" + source);
        }
        StudentCompiler.Result compiled = StudentCompiler.compile(dir, List.of(src), dir.resolve("classes"));
        assertTrue(compiled.success(), compiled.messages().toString());
        return new ReflectiveStudentCode(new StudentClassLoader(compiled.classes(), getClass().getClassLoader()),
                "layers.Scale");
    }

    @Test
    void objectsAreBuiltPassedToOtherConstructorsAndCalled() throws Exception {
        ReflectiveStudentCode code = compile(
                "public final class Scale { private final int k; public Scale(int k) { this.k = k; }"
                        + " public int apply(int x) { return k * x; } }",
                "public final class Twice { private final Scale s; public Twice(Scale s) { this.s = s; }"
                        + " public int apply(int x) { return s.apply(s.apply(x)); } }");
        Object scale = code.construct("layers.Scale", new Class<?>[] {int.class}, 3);
        assertEquals(6, code.invoke(scale, "apply", new Class<?>[] {int.class}, 2));
        Object twice = code.construct("layers.Twice", new Class<?>[] {code.type("layers.Scale")}, scale);
        assertEquals(18, code.invoke(twice, "apply", new Class<?>[] {int.class}, 2));
    }

    @Test
    void aSkeletonConstructorIsNotImplementedAndSaysWhere() throws Exception {
        ReflectiveStudentCode code = compile("public final class Scale { public Scale(int k) {\n"
                + "        throw new UnsupportedOperationException(\"the Scale constructor is not implemented yet\"); } }");
        StudentFailure f = assertThrows(StudentFailure.class,
                () -> code.construct("layers.Scale", new Class<?>[] {int.class}, 3));
        assertEquals(Outcome.NOT_IMPLEMENTED, f.outcome());
        assertEquals("the Scale constructor is not implemented yet (it still throws UnsupportedOperationException at "
                + "Scale.java:3)", f.getMessage());
    }

    @Test
    void aSkeletonCalledByFinishedCodeIsNamedAsTheCodeThatIsMissing() throws Exception {
        ReflectiveStudentCode code = compile(
                "public final class Scale { public Scale(int k) {\n"
                        + "        throw new UnsupportedOperationException(\"the Scale constructor is not implemented yet\"); } }",
                "public final class Twice { private final Scale s; public Twice(int k) { s = new Scale(k); } }");
        StudentFailure f = assertThrows(StudentFailure.class,
                () -> code.construct("layers.Twice", new Class<?>[] {int.class}, 3));
        assertEquals(Outcome.NOT_IMPLEMENTED, f.outcome());
        assertEquals("the Twice constructor calls code that is not implemented yet: the Scale constructor is not "
                + "implemented yet (it still throws UnsupportedOperationException at Scale.java:3)", f.getMessage());
    }

    @Test
    void aWrongConstructorAStaticMethodAndAThrowingMethodAreErrorsThatSayWhy() throws Exception {
        ReflectiveStudentCode code = compile(
                "public final class Scale { public Scale(long k) { }"
                        + " public static int apply(int x) { return x; }"
                        + " public int fail(int x) { throw new IllegalStateException(\"no \" + x); } }",
                "public final class Closed { Closed() { } }",
                "final class Hidden { public Hidden() { } }");
        StudentFailure constructor = assertThrows(StudentFailure.class,
                () -> code.construct("layers.Scale", new Class<?>[] {int.class}, 3));
        assertEquals(Outcome.ERROR, constructor.outcome());
        assertTrue(constructor.getMessage().contains("has no public constructor Scale(int)"), constructor.getMessage());
        Object scale = code.construct("layers.Scale", new Class<?>[] {long.class}, 3L);
        StudentFailure isStatic = assertThrows(StudentFailure.class,
                () -> code.invoke(scale, "apply", new Class<?>[] {int.class}, 1));
        assertTrue(isStatic.getMessage().contains("must not be static"), isStatic.getMessage());
        StudentFailure thrown = assertThrows(StudentFailure.class,
                () -> code.invoke(scale, "fail", new Class<?>[] {int.class}, 7));
        assertEquals(Outcome.ERROR, thrown.outcome());
        assertTrue(thrown.getMessage().startsWith("Scale.fail threw java.lang.IllegalStateException: no 7 at Scale.java:2"),
                thrown.getMessage());
        StudentFailure closed = assertThrows(StudentFailure.class,
                () -> code.construct("layers.Closed", new Class<?>[0]));
        assertTrue(closed.getMessage().contains("has no public constructor Closed()"), closed.getMessage());
        StudentFailure hidden = assertThrows(StudentFailure.class,
                () -> code.construct("layers.Hidden", new Class<?>[0]));
        assertTrue(hidden.getMessage().contains("must be a public class"), hidden.getMessage());
        assertEquals(5, code.callStatic("layers.Scale", "apply", new Class<?>[] {int.class}, 5));
    }
}
