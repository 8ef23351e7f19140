package dev.tinyvllm.steps.week1.qwen2model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyvllm.check.CheckResult;
import dev.tinyvllm.check.Outcome;
import dev.tinyvllm.testing.Mutant;
import dev.tinyvllm.testing.MutantTable;
import dev.tinyvllm.testing.TestWorkspace;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mistakes in the embedding, in loading a checkpoint and in wiring the stack are each tagged for what
 * they are, and a mistake in the student's earlier block is sent back to that step.
 */
class ModelMutantsTest extends MutantTable {

    private static final String STEP = "week1/qwen2-model";
    private static final String EMBEDDING = "src/main/java/week1/model/Embedding.java";
    private static final String MODEL = "src/main/java/week1/model/Qwen2Model.java";
    private static final String LOOKUP = "Embedding.forward";
    private static final String AS_LINEAR = "Embedding.asLinear";
    private static final String FORWARD = "Qwen2Model.forward";

    static Stream<Mutant> mutants() {
        return Stream.of(
                Mutant.of("ids shifted by one before the lookup", STEP)
                        .edit(EMBEDDING, "new NDIndex(\"{}\", ids)", "new NDIndex(\"{}\", ids.sub(1))")
                        .breaks(LOOKUP, "EMBEDDING_WRONG_ROWS")
                        .breaks(FORWARD, "EMBEDDING_DIVERGES"),
                Mutant.of("the head returns probabilities", STEP)
                        .edit(EMBEDDING, "return x.matMul(weight.transpose());", "return x.matMul(weight.transpose()).softmax(-1);")
                        .breaks(AS_LINEAR, "LOGITS_NORMALIZED")
                        .breaks(FORWARD, "LOGITS_NORMALIZED"),
                Mutant.of("no final norm", STEP)
                        .edit(MODEL, "return head.asLinear(norm.forward(x));", "return head.asLinear(x);")
                        .breaks(FORWARD, "FINAL_NORM_MISSING"),
                Mutant.of("an untied model scored with its embedding", STEP)
                        .edit(MODEL, "head = c.tieWordEmbeddings() ? embedding : new Embedding(folder.tensor(manager, \"lm_head.weight\"));",
                                "head = embedding;")
                        .breaks(FORWARD, "HEAD_WRONG_MATRIX"),
                Mutant.of("every block reads the embedding", STEP)
                        .edit(MODEL, "NDArray x = embedding.forward(inputIds);\n        for (Qwen2Block layer : layers) {\n            x = layer.forward(x);\n        }\n        return head.asLinear(norm.forward(x));",
                                "NDArray x = embedding.forward(inputIds);\n        NDArray h = x;\n        for (Qwen2Block layer : layers) {\n            h = layer.forward(x);\n        }\n        return head.asLinear(norm.forward(h));")
                        .breaks(FORWARD, "LAYERS_NOT_CHAINED"),
                Mutant.of("the last block left out of forward", STEP)
                        .edit(MODEL, "for (Qwen2Block layer : layers) {", "for (Qwen2Block layer : layers.subList(0, layers.size() - 1)) {")
                        .breaks(FORWARD, "LAYER_SKIPPED"),
                Mutant.of("the layer loop starts at 1", STEP)
                        .edit(MODEL, "for (int i = 0; i < c.numHiddenLayers(); i++) {", "for (int i = 1; i < c.numHiddenLayers(); i++) {")
                        .breaks(FORWARD, "LAYER_COUNT_WRONG"),
                Mutant.of("every layer reads layer 0's weights", STEP)
                        .edit(MODEL, "String p = \"model.layers.\" + i + \".\";", "String p = \"model.layers.0.\";")
                        .breaks(FORWARD, "LAYER_WEIGHTS_MIXED"),
                Mutant.of("gate and up projections exchanged", STEP)
                        .edit(MODEL, "new Qwen2MLP(folder.tensor(manager, p + \"mlp.gate_proj.weight\"),\n                    folder.tensor(manager, p + \"mlp.up_proj.weight\")",
                                "new Qwen2MLP(folder.tensor(manager, p + \"mlp.up_proj.weight\"),\n                    folder.tensor(manager, p + \"mlp.gate_proj.weight\")")
                        .breaks(FORWARD, "WEIGHTS_SWAPPED"),
                Mutant.of("the final norm built from a layer's norm weight", STEP)
                        .edit(MODEL, "norm = new RMSNorm(folder.tensor(manager, \"model.norm.weight\")",
                                "norm = new RMSNorm(folder.tensor(manager, \"model.layers.0.input_layernorm.weight\")")
                        .breaks(FORWARD, "FINAL_NORM_DIVERGES"),
                Mutant.of("the student's block has no residual around the MLP", STEP)
                        .edit("src/main/java/week1/block/Qwen2Block.java", "return h.add(mlp.forward(postAttentionNorm.forward(h)));",
                                "return mlp.forward(postAttentionNorm.forward(h));")
                        .breaks(FORWARD, "BLOCK_DIVERGES"),
                Mutant.of("the lm_head read as the embedding of an untied model", STEP)
                        .edit(MODEL, "embedding = new Embedding(folder.tensor(manager, \"model.embed_tokens.weight\"));",
                                "embedding = new Embedding(folder.tensor(manager, c.tieWordEmbeddings() ? \"model.embed_tokens.weight\" : \"lm_head.weight\"));")
                        .breaks(FORWARD, Set.of("EMBEDDING_DIVERGES"), Set.of()));
    }

    @Test
    void theReportNamesTheFirstLayerWhoseHiddenStateDiverges() {
        Mutant mixed = Mutant.of("every layer reads layer 0's weights", STEP)
                .edit(MODEL, "String p = \"model.layers.\" + i + \".\";", "String p = \"model.layers.0.\";");
        List<CheckResult> results = mixed.grade(dir);
        CheckResult untied = results.stream().filter(r -> r.id().equals("qwen2_model.untied_bf16_shards")).findFirst()
                .orElseThrow();
        assertEquals(Outcome.FAIL, untied.status(), TestWorkspace.dump(results));
        assertEquals(List.of("LAYER_WEIGHTS_MIXED"), untied.tags());
        assertTrue(untied.message().contains("layer 1 is the first whose hidden state differs, given exactly the hidden "
                + "state a correct model feeds it; your layer 1 computes what layer 0's weights compute"), untied.message());
    }
}
