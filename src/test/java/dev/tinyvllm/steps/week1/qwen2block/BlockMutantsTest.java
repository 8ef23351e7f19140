package dev.tinyvllm.steps.week1.qwen2block;

import dev.tinyvllm.testing.Mutant;
import dev.tinyvllm.testing.MutantTable;
import java.util.stream.Stream;

/**
 * Wiring mistakes in the block are tagged by what is wrong with the wiring; a mistake in one of the
 * student's earlier parts is tagged by the first part that diverges.
 */
class BlockMutantsTest extends MutantTable {

    private static final String STEP = "week1/qwen2-block";
    private static final String BLOCK = "src/main/java/week1/block/Qwen2Block.java";
    private static final String FN = "Qwen2Block.forward";
    private static final String FIRST = "NDArray h = x.add(attention.forward(inputNorm.forward(x)));";
    private static final String SECOND = "return h.add(mlp.forward(postAttentionNorm.forward(h)));";

    static Stream<Mutant> mutants() {
        return Stream.of(
                Mutant.of("no residual around the attention", STEP)
                        .edit(BLOCK, FIRST, "NDArray h = attention.forward(inputNorm.forward(x));")
                        .breaks(FN, "RESIDUAL_MISSING"),
                Mutant.of("no residual around the MLP", STEP)
                        .edit(BLOCK, SECOND, "return mlp.forward(postAttentionNorm.forward(h));")
                        .breaks(FN, "RESIDUAL_MISSING"),
                Mutant.of("residuals add the normalised stream", STEP)
                        .edit(BLOCK, FIRST, "NDArray normed = inputNorm.forward(x);\n"
                                + "        NDArray h = normed.add(attention.forward(normed));",
                                SECOND, "NDArray normedH = postAttentionNorm.forward(h);\n"
                                + "        return normedH.add(mlp.forward(normedH));")
                        .breaks(FN, "RESIDUAL_FROM_NORMED"),
                Mutant.of("post-norm", STEP)
                        .edit(BLOCK, FIRST, "NDArray h = inputNorm.forward(x.add(attention.forward(x)));",
                                SECOND, "return postAttentionNorm.forward(h.add(mlp.forward(h)));")
                        .breaks(FN, "POST_NORM"),
                Mutant.of("norms swapped", STEP)
                        .edit(BLOCK, "attention.forward(inputNorm.forward(x))", "attention.forward(postAttentionNorm.forward(x))",
                                "mlp.forward(postAttentionNorm.forward(h))", "mlp.forward(inputNorm.forward(h))")
                        .breaks(FN, "NORMS_SWAPPED"),
                Mutant.of("the student's MLP swaps gate and up", STEP)
                        .edit("src/main/java/week1/mlp/Qwen2MLP.java", "silu(gate).mul(up)", "silu(up).mul(gate)")
                        .breaks(FN, "MLP_DIVERGES"),
                Mutant.of("the student's RMSNorm forgets its weight", STEP)
                        .edit("src/main/java/week1/mlp/RMSNorm.java", "normed.toType(type, false).mul(weight)",
                                "normed.toType(type, false)")
                        .breaks(FN, "NORM_DIVERGES"),
                Mutant.of("the student's attention forgets the causal mask", STEP)
                        .edit("src/main/java/week1/gqa/Qwen2Attention.java", "GroupedAttention.attention(q, k, v, mask)",
                                "GroupedAttention.attention(q, k, v, null)")
                        .breaks(FN, "ATTENTION_DIVERGES"));
    }
}
