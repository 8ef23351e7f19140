package dev.tinyvllm.steps.week1.qwen2model;

import dev.tinyvllm.student.LanguageModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tinyvllm.check.New;
import dev.tinyvllm.check.StudentClass;
import dev.tinyvllm.steps.week1.LayerViews;
import dev.tinyvllm.student.ModelFolder;
import java.util.List;

/** The student's week1/qwen2-model classes, as the checks (of this step and the ones after it) call them. */
public final class ModelViews {

    private ModelViews() {}

    /**
     * The student's whole model. Its folder must lie under a check's {@code inputFolder}: the student
     * JVM opens it again from its path.
     */
    @StudentClass("week1.model.Qwen2Model")
    public interface Model extends LanguageModel {
        @New
        Model create(ModelFolder folder, NDManager manager, int maxSeqLen);

        /** Token ids {@code [batch, len]} to logits {@code [batch, len, vocab]}. */
        @Override
        NDArray forward(NDArray inputIds);

        Embedding embedding();

        List<LayerViews.Block> layers();

        LayerViews.Norm norm();
    }

    @StudentClass("week1.model.Embedding")
    public interface Embedding {
        @New
        Embedding create(NDArray weight);

        NDArray forward(NDArray ids);

        NDArray asLinear(NDArray x);
    }
}
