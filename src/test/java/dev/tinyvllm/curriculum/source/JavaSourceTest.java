package dev.tinyvllm.curriculum.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How student files are cut into members, and the small readings the part detectors share. */
class JavaSourceTest {

    private static final String TWO_CLASSES = """
            package week1.mlp;

            /** forward() appears in both classes; "a message with forward( in it" must not count. */
            public final class Norm {
                private final float eps;
                private final int[] axes = {-1};

                @SuppressWarnings("unused")
                public Norm(NDArray w, float epsilon) {
                    this.eps = epsilon;
                }

                public NDArray forward(NDArray x) {
                    return scale(x).div(this.root(x));
                }

                NDArray scale(NDArray x) { // package-private helper
                    return x.mul(2);
                }

                private NDArray root(NDArray x) {
                    return x.square().mean(axes, true).add(eps).sqrt();
                }
            }

            final class Mlp {
                public NDArray forward(NDArray y) {
                    throw new UnsupportedOperationException("forward is not implemented yet");
                }

                private NDArray root(NDArray y) {
                    return y.get("..., :{}", 4).get("not an index, this one");
                }
            }
            """;

    private final JavaSource source = JavaSource.parse(TWO_CLASSES);

    @Test
    void membersAreFoundClassByClassWithTheirParameters() {
        assertTrue(source.has("Norm.forward") && source.has("Mlp.forward") && source.has("forward"));
        assertFalse(source.has("Norm.missing"));
        assertTrue(source.isSkeleton("Mlp.forward"));
        assertFalse(source.isSkeleton("Norm.forward"));
        assertEquals(List.of("w", "epsilon"), source.parameters("Norm." + JavaSource.CONSTRUCTOR));
        assertEquals(List.of("y"), source.parameters("Mlp.forward"));
        assertEquals(Optional.of("Norm"), source.classOf("scale"));
        assertEquals(List.of("forward", "scale", "root"), source.methodsOf("Norm"));
        assertTrue(source.body("Norm." + JavaSource.CONSTRUCTOR).orElseThrow().contains("this.eps = epsilon"));
    }

    @Test
    void helpersAreWrittenInFromTheCallersOwnClassBeforeTheStatement() {
        String norm = source.inlined("Norm.forward");
        assertTrue(norm.contains("x.mul(2)"), norm);
        assertTrue(norm.contains(".sqrt()"), "this.root() is Norm's root, not Mlp's: " + norm);
        assertFalse(norm.contains(":{}"), norm);
        assertTrue(norm.indexOf("x.mul(2)") < norm.indexOf("return scale(x)"), "the helper comes before its statement");
        String mlp = source.inlined("Mlp.root");
        assertTrue(mlp.contains("\"..., :{}\""), "an index literal is kept: " + mlp);
        assertFalse(mlp.contains("not an index"), "other literals are emptied: " + mlp);
    }

    @Test
    void callsOnAStudentsClassAreWrittenInUnlessThatClassIsAnotherGradedOne() {
        JavaSource s = JavaSource.parse("""
                class Layer {
                    NDArray forward(NDArray x) { return Maths.half(x).add(Other.graded(x)).add(field.half(x)); }
                }
                class Maths { static NDArray half(NDArray x) { return x.div(2); } }
                class Other { static NDArray graded(NDArray x) { return x.softmax(-1); } }
                """);
        String all = s.inlined("Layer.forward");
        assertTrue(all.contains("x.div(2)") && all.contains("x.softmax(-1)"), all);
        String opaque = s.inlined("Layer.forward", Set.of("Other"));
        assertTrue(opaque.contains("x.div(2)"), opaque);
        assertFalse(opaque.contains("x.softmax(-1)"), opaque);
        assertEquals(1, opaque.split("x\\.div\\(2\\)", -1).length - 1, "field.half() is a call on an object: " + opaque);
    }

    @Test
    void functionCodeFollowsConstructorParametersIntoFields() {
        JavaSource s = JavaSource.parse("""
                public final class Layer {
                    private final NDArray a;
                    private final NDArray bT;
                    private final Linear c;
                    private final RoPE rope;
                    public Layer(NDArray wa, NDArray wb, NDArray wc, double theta) {
                        a = wa;
                        this.bT = wb.transpose();
                        c = new Linear(wc, null);
                        rope = new RoPE(wa.getManager(), 8, 16, theta, false);
                    }
                    public NDArray forward(NDArray x) { return x; }
                }
                """);
        FunctionCode code = FunctionCode.of(s, "Layer.forward (a variant)");
        assertEquals(Set.of("wa", "a"), code.namesOf(0), "wa.getManager() does not make rope a name of wa");
        assertEquals(Set.of("wb", "bT"), code.namesOf(1));
        assertEquals(Set.of("wc", "c"), code.namesOf(2));
        assertEquals(Set.of("theta", "rope"), code.namesOf(3));
        assertEquals(Optional.of("x"), code.parameter(0));
        assertEquals("Layer.forward", FunctionCode.member("Layer.forward (a variant)"));
    }

    @Test
    void guardsAndSwitchesAreNotUses() {
        String code = """
                if (offset < 0 || offset + n > max) {
                    throw new IllegalArgumentException("");
                }
                if (k > 0 && zq12 < k) throw new IllegalStateException("");
                if (topK > 0 && topK < vocab) { keep(); }
                """;
        assertFalse(Signs.withoutGuards(code).contains("offset"), Signs.withoutGuards(code));
        assertFalse(Signs.usedBeyondSwitches(code, Set.of("offset")));
        assertFalse(Signs.usedBeyondSwitches(code, Set.of("k")), "a guard clause without braces is a guard too");
        assertTrue(Signs.usedBeyondSwitches(code, Set.of("topK")), "compared with another value, not only a number");
        assertTrue(Signs.usedBeyondSwitches("total < p1", Set.of("p1")), "digits at the end of a name are not a number");
        assertFalse(Signs.usedBeyondSwitches("p1 < 1", Set.of("p1")));
    }

    @Test
    void callsAndValuesAreFollowed() {
        String code = "NDArray u = x.matMul(wUp); NDArray g = u.mul(2); NDArray z = q.reshape(b, h, g2, l, d);";
        assertEquals(List.of("wUp", "u", "g"), Signs.derived(code, List.of("wUp")));
        Signs.Call reshape = Signs.calls(code, "reshape").get(0);
        assertEquals("q", reshape.receiver());
        assertEquals(List.of("b", "h", "g2", "l", "d"), reshape.args());
        assertEquals(List.of("u"), Signs.assignedFrom(code, rhs -> rhs.contains("matMul")));
    }
}
