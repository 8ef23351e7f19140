package week1.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.student.LanguageModel;
import dev.tinyvllm.student.ModelConfig;
import dev.tinyvllm.student.ModelFolder;
import java.util.ArrayList;
import java.util.List;
import week1.block.Qwen2Block;
import week1.gqa.Qwen2Attention;
import week1.mlp.Qwen2MLP;
import week1.mlp.RMSNorm;

/** The course's solution of week1/qwen2-model. Never shown to students. */
public final class Qwen2Model implements LanguageModel {

    private final Embedding embedding;
    private final List<Qwen2Block> layers = new ArrayList<>();
    private final RMSNorm norm;
    /** The output head: the embedding itself when the model ties them. */
    private final Embedding head;

    public Qwen2Model(ModelFolder folder, NDManager manager, int maxSeqLen) {
        ModelConfig c = folder.config();
        embedding = new Embedding(folder.tensor(manager, "model.embed_tokens.weight"));
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            RMSNorm inputNorm = new RMSNorm(folder.tensor(manager, p + "input_layernorm.weight"), c.rmsNormEps());
            Qwen2Attention attention = new Qwen2Attention(c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(),
                    folder.tensor(manager, p + "self_attn.q_proj.weight"), folder.tensor(manager, p + "self_attn.q_proj.bias"),
                    folder.tensor(manager, p + "self_attn.k_proj.weight"), folder.tensor(manager, p + "self_attn.k_proj.bias"),
                    folder.tensor(manager, p + "self_attn.v_proj.weight"), folder.tensor(manager, p + "self_attn.v_proj.bias"),
                    folder.tensor(manager, p + "self_attn.o_proj.weight"), maxSeqLen, c.ropeTheta());
            RMSNorm postAttentionNorm = new RMSNorm(folder.tensor(manager, p + "post_attention_layernorm.weight"),
                    c.rmsNormEps());
            Qwen2MLP mlp = new Qwen2MLP(folder.tensor(manager, p + "mlp.gate_proj.weight"),
                    folder.tensor(manager, p + "mlp.up_proj.weight"), folder.tensor(manager, p + "mlp.down_proj.weight"));
            layers.add(new Qwen2Block(inputNorm, attention, postAttentionNorm, mlp));
        }
        norm = new RMSNorm(folder.tensor(manager, "model.norm.weight"), c.rmsNormEps());
        head = c.tieWordEmbeddings() ? embedding : new Embedding(folder.tensor(manager, "lm_head.weight"));
    }

    @Override
    public NDArray forward(NDArray inputIds) {
        NDArray x = embedding.forward(inputIds);
        for (Qwen2Block layer : layers) {
            x = layer.forward(x);
        }
        return head.asLinear(norm.forward(x));
    }

    public Embedding embedding() {
        return embedding;
    }

    public List<Qwen2Block> layers() {
        return layers;
    }

    public RMSNorm norm() {
        return norm;
    }
}
