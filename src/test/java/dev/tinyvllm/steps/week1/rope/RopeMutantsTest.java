package dev.tinyvllm.steps.week1.rope;

import dev.tinyvllm.testing.Mutant;
import dev.tinyvllm.testing.MutantTable;
import java.util.Set;
import java.util.stream.Stream;

/** Each mistake students make with RoPE, written into the reference, is caught with its tag and no other. */
class RopeMutantsTest extends MutantTable {

    private static final String STEP = "week1/rope";
    private static final String FILE = "src/main/java/week1/rope/RoPE.java";
    private static final String INTERLEAVED = "RoPE.apply (interleaved)";
    private static final String HALF_SPLIT = "RoPE.apply (half-split)";

    static Stream<Mutant> mutants() {
        return Stream.of(
                Mutant.of("pairs of the other layout", STEP)
                        .edit(FILE, "if (traditional) {", "if (!traditional) {")
                        .breaks(INTERLEAVED, "PAIRING_WRONG").breaks(HALF_SPLIT, "PAIRING_WRONG"),
                Mutant.of("exponent without the 2", STEP)
                        .edit(FILE, "Math.pow(base, -2.0 * i / headDim)", "Math.pow(base, -1.0 * i / headDim)")
                        .breaks(INTERLEAVED, "FREQUENCIES_WRONG").breaks(HALF_SPLIT, "FREQUENCIES_WRONG"),
                Mutant.of("base fixed at 10000", STEP)
                        .edit(FILE, "Math.pow(base, -2.0 * i / headDim)", "Math.pow(10000, -2.0 * i / headDim)")
                        // The interleaved checks use base 10000 too, but not the case worked by hand (base 100).
                        .breaks(INTERLEAVED, "FREQUENCIES_WRONG").breaks(HALF_SPLIT, "FREQUENCIES_WRONG"),
                Mutant.of("offset ignored", STEP)
                        .edit(FILE, "return table.get(new NDIndex(\"{}:{}\", offset, offset + seqLen));",
                                "return table.get(new NDIndex(\"{}:{}\", 0, seqLen));")
                        .breaks(INTERLEAVED, "OFFSET_IGNORED").breaks(HALF_SPLIT, "OFFSET_IGNORED"),
                Mutant.of("positions from one", STEP)
                        .edit(FILE, "double angle = pos * Math.pow", "double angle = (pos + 1) * Math.pow",
                                "for (int pos = 0; pos < maxSeqLen; pos++)", "for (int pos = 0; pos < maxSeqLen - 1; pos++)")
                        .breaks(INTERLEAVED, "POSITIONS_SHIFTED").breaks(HALF_SPLIT, "POSITIONS_SHIFTED"),
                Mutant.of("rotation reversed", STEP)
                        .edit(FILE, "first.mul(c).sub(second.mul(s))", "first.mul(c).add(second.mul(s))",
                                "first.mul(s).add(second.mul(c))", "second.mul(c).sub(first.mul(s))")
                        .breaks(INTERLEAVED, "ROTATION_REVERSED").breaks(HALF_SPLIT, "ROTATION_REVERSED"),
                Mutant.of("second of a pair not scaled by the cosine", STEP)
                        .edit(FILE, "first.mul(s).add(second.mul(c))", "first.mul(s).add(second)")
                        .breaks(INTERLEAVED, "NOT_A_ROTATION").breaks(HALF_SPLIT, "NOT_A_ROTATION"),
                Mutant.of("heads flattened", STEP)
                        .edit(FILE, "return rotatedFirst.concat(rotatedSecond, -1);",
                                "return rotatedFirst.concat(rotatedSecond, -1).reshape(batch, seqLen, heads * headDim);")
                        .breaks(HALF_SPLIT, "SHAPE_MISMATCH"));
    }
}
