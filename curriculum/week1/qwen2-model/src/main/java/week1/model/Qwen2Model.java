package week1.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.student.LanguageModel;
import dev.tinyvllm.student.ModelFolder;
import java.util.List;
import week1.block.Qwen2Block;
import week1.mlp.RMSNorm;

/**
 * Week 1: a whole Qwen2 model, built from a Hugging Face model folder with your own blocks
 * (week1/qwen2-block). It has no cache yet: every call runs the whole sequence.
 * Read steps/week1/qwen2-model/README.md first, then run `tutor check week1/qwen2-model`.
 */
public final class Qwen2Model implements LanguageModel {

    /**
     * Reads every weight the model needs and builds its parts.
     *
     * @param folder the model folder, already opened and checked; folder.config() says the sizes
     * @param manager where the weights live; the caller closes it when the model is no longer needed
     * @param maxSeqLen the longest sequence forward will see (the size of the rotary tables)
     */
    public Qwen2Model(ModelFolder folder, NDManager manager, int maxSeqLen) {
        throw new UnsupportedOperationException("the Qwen2Model constructor is not implemented yet");
    }

    /**
     * @param inputIds INT32 [batch, seqLen] token ids
     * @return float32 [batch, seqLen, vocabSize]: row t scores the token that follows position t
     */
    @Override
    public NDArray forward(NDArray inputIds) {
        throw new UnsupportedOperationException("forward is not implemented yet");
    }

    /** The model's token embedding (the checker looks inside your model with these three). */
    public Embedding embedding() {
        throw new UnsupportedOperationException("embedding() is not implemented yet");
    }

    /** The decoder blocks, layer 0 first. */
    public List<Qwen2Block> layers() {
        throw new UnsupportedOperationException("layers() is not implemented yet");
    }

    /** The final RMSNorm, applied after the last block (model.norm.weight). */
    public RMSNorm norm() {
        throw new UnsupportedOperationException("norm() is not implemented yet");
    }
}
