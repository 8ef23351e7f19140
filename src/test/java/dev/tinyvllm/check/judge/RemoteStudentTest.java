package dev.tinyvllm.check.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.CommonTag;
import dev.tinyvllm.check.New;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.check.Static;
import dev.tinyvllm.check.StudentClass;
import dev.tinyvllm.check.StudentCompiler;
import dev.tinyvllm.check.StudentFailure;
import dev.tinyvllm.check.WrongOutput;
import dev.tinyvllm.host.wire.Message;
import dev.tinyvllm.testing.InProcessLink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Views call the student's classes over the wire: objects are built with their constructors, handed to
 * other constructors, and called; arrays travel both ways; each way a call can go wrong has its message,
 * and a result of the wrong kind is the student's failure, never a crash of the judge.
 */
class RemoteStudentTest {

    @StudentClass("layers.Scale")
    interface Scale {
        @New
        Scale create(int k);

        @New
        Scale create(long k);

        @Static
        int apply(int x);

        int times(int x);

        int fail(int x);

        NDArray scaled(NDArray x);

        Object self();
    }

    @StudentClass("layers.Twice")
    interface Twice {
        @New
        Twice create(Scale s);

        @New
        Twice create(int k);

        int times(int x);

        List<Scale> parts();

        NDArray notAnArray();

        Set<Integer> ids();
    }

    @StudentClass("layers.Closed")
    interface Closed {
        @New
        Closed create();
    }

    @StudentClass("layers.Hidden")
    interface Hidden {
        @New
        Hidden create();
    }

    @TempDir
    Path dir;

    private NDManager manager;
    private InProcessLink link;

    private RemoteStudent compile(String... classes) throws Exception {
        Path src = dir.resolve("src/main/java/layers");
        Files.createDirectories(src);
        for (String source : classes) {
            String name = source.replaceAll("(?s).*?(?:class|interface) (\\w+).*", "$1");
            Files.writeString(src.resolve(name + ".java"), "package layers;\n" + source);
        }
        StudentCompiler.Result compiled = StudentCompiler.compile(dir, List.of(src), dir.resolve("classes"));
        assertTrue(compiled.success(), compiled.messages().toString());
        link = new InProcessLink(compiled.classes(), dir.resolve("inputs"));
        assertTrue(link.exchange(new Message.Begin("test", null)) instanceof Message.Began);
        manager = NDManager.newBaseManager();
        return new RemoteStudent(link, manager);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
        if (link != null) {
            link.close();
        }
    }

    @Test
    void objectsAreBuiltPassedToOtherConstructorsAndCalled() throws Exception {
        RemoteStudent student = compile(
                "import ai.djl.ndarray.NDArray;\n"
                        + "public final class Scale { private final int k; public Scale(int k) { this.k = k; }"
                        + " public int times(int x) { return k * x; }"
                        + " public NDArray scaled(NDArray x) { return x.mul(k); } }",
                "import java.util.*;\npublic final class Twice { private final Scale s; public Twice(Scale s) { this.s = s; }"
                        + " public int times(int x) { return s.times(s.times(x)); }"
                        + " public List<Scale> parts() { return List.of(s, s); }"
                        + " public Set<Integer> ids() { return new TreeSet<>(Set.of(3, 1, 2)); } }");
        Scale scale = student.classView(Scale.class).create(3);
        assertEquals(6, scale.times(2));
        Twice twice = student.classView(Twice.class).create(scale);
        assertEquals(18, twice.times(2));
        List<Scale> parts = twice.parts();
        assertEquals(2, parts.size());
        assertEquals(12, parts.get(1).times(4));
        assertEquals(Set.of(1, 2, 3), twice.ids());
        NDArray out = scale.scaled(manager.create(new float[] {1, 2}));
        assertArrayEquals(new float[] {3, 6}, out.toFloatArray());
        assertEquals(manager, out.getManager(), "results come back on the judge's manager");
    }

    @Test
    void aSkeletonIsNotImplementedAndSaysWhereAndWhoseCodeIsMissing() throws Exception {
        RemoteStudent student = compile("public final class Scale { public Scale(int k) {\n"
                + "        throw new UnsupportedOperationException(\"the Scale constructor is not implemented yet\"); } }",
                "public final class Twice { private final Scale s; public Twice(int k) { s = new Scale(k); } }");
        StudentFailure own = assertThrows(StudentFailure.class, () -> student.classView(Scale.class).create(3));
        assertEquals(Outcome.NOT_IMPLEMENTED, own.outcome());
        assertEquals("the Scale constructor is not implemented yet (it still throws UnsupportedOperationException at "
                + "Scale.java:3)", own.getMessage());
        StudentFailure called = assertThrows(StudentFailure.class, () -> student.classView(Twice.class).create(3));
        assertEquals(Outcome.NOT_IMPLEMENTED, called.outcome());
        assertEquals("the Twice constructor calls code that is not implemented yet: the Scale constructor is not "
                + "implemented yet (it still throws UnsupportedOperationException at Scale.java:3)", called.getMessage());
    }

    @Test
    void aWrongConstructorAStaticMethodAndAThrowingMethodAreErrorsThatSayWhy() throws Exception {
        RemoteStudent student = compile(
                "public final class Scale { public Scale(long k) { }"
                        + " public static int times(int x) { return x; }"
                        + " public static int apply(int x) { return x; }"
                        + " public int fail(int x) { throw new IllegalStateException(\"no \" + x); } }",
                "public final class Closed { Closed() { } }",
                "final class Hidden { public Hidden() { } }");
        StudentFailure constructor = assertThrows(StudentFailure.class, () -> student.classView(Scale.class).create(3));
        assertEquals(Outcome.ERROR, constructor.outcome());
        assertTrue(constructor.getMessage().contains("has no public constructor Scale(int)"), constructor.getMessage());
        Scale scale = student.classView(Scale.class).create(3L);
        StudentFailure isStatic = assertThrows(StudentFailure.class, () -> scale.times(1));
        assertTrue(isStatic.getMessage().contains("must not be static"), isStatic.getMessage());
        StudentFailure thrown = assertThrows(StudentFailure.class, () -> scale.fail(7));
        assertEquals(Outcome.ERROR, thrown.outcome());
        assertTrue(thrown.getMessage().startsWith("Scale.fail threw java.lang.IllegalStateException: no 7 at Scale.java:2"),
                thrown.getMessage());
        StudentFailure closed = assertThrows(StudentFailure.class, () -> student.classView(Closed.class).create());
        assertTrue(closed.getMessage().contains("has no public constructor Closed()"), closed.getMessage());
        StudentFailure hidden = assertThrows(StudentFailure.class, () -> student.classView(Hidden.class).create());
        assertTrue(hidden.getMessage().contains("must be a public class"), hidden.getMessage());
        assertEquals(5, student.classView(Scale.class).apply(5));
    }

    /** The student JVM can read the device a CUDA check asks for (DJL cannot read its own "gpu(0)"). */
    @Test
    void theCudaDeviceNameIsOneDjlReads() {
        assertTrue(ai.djl.Device.fromName(Judge.CUDA_DEVICE).isGpu());
    }

    /** An array whose manager the student closed is the student's mistake, said as such, not a bug of the tutor. */
    @Test
    void anArrayFromAClosedManagerIsTheStudentsMistake() throws Exception {
        RemoteStudent student = compile("import ai.djl.ndarray.*;\n"
                + "public final class Scale { public Scale(int k) { }"
                + " public NDArray scaled(NDArray x) { NDManager m = x.getManager().newSubManager();"
                + " NDArray y = m.create(new float[] {1}); m.close(); return y; } }");
        StudentFailure f = assertThrows(StudentFailure.class,
                () -> student.classView(Scale.class).create(1).scaled(manager.create(new float[] {1})));
        assertEquals(Outcome.ERROR, f.outcome());
        assertTrue(f.getMessage().contains("whose manager was already closed"), f.getMessage());
        assertTrue(!f.getMessage().contains("bug of the tutor"), f.getMessage());
    }

    @Test
    void aResultOfTheWrongKindIsTheStudentsFailureNotTheJudges() throws Exception {
        RemoteStudent student = compile(
                "public final class Scale { public Scale(int k) { } public Object self() { return this; } }",
                "public final class Twice { public Twice(int k) { }"
                        + " public Object notAnArray() { return \"text\"; } }");
        Twice twice = student.classView(Twice.class).create(1);
        WrongOutput wrong = assertThrows(WrongOutput.class, twice::notAnArray);
        assertEquals(List.of(CommonTag.SHAPE_MISMATCH), wrong.tags());
        assertTrue(wrong.getMessage().contains("returned a String, not an NDArray"), wrong.getMessage());
        Object self = student.classView(Scale.class).create(2).self();
        assertTrue(self instanceof RemoteStudent.Remote r && r.handle().type().equals("layers.Scale"), String.valueOf(self));
    }
}
