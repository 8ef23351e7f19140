package dev.tinyvllm.check;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.tinyvllm.host.Failures.StudentFailure;
import dev.tinyvllm.host.StudentCalls;
import dev.tinyvllm.host.StudentLoader;
import dev.tinyvllm.curriculum.Catalog;
import dev.tinyvllm.curriculum.Step;
import dev.tinyvllm.student.LanguageModel;
import dev.tinyvllm.student.ModelFolder;
import dev.tinyvllm.student.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code tutor run week1}: the student's own week-1 code, their {@code Qwen2Model} and their
 * {@code Generator.chat}, answering one prompt on a Hugging Face model folder, the text streamed as it
 * is generated. The folder and its tokenizer are opened and checked before any student code runs, so
 * a bad folder is reported as such, and anything the student's code does wrong is reported as theirs.
 *
 * <p>It runs in this JVM: it is the student's program, run on purpose by the student, not a grade to
 * protect (no check, report or progress comes out of it).
 */
public final class StudentModelRun {

    /** The step whose code (with everything it builds on) makes the week-1 program. */
    public static final String STEP = "week1/generate";
    private static final String MODEL = "week1.model.Qwen2Model";
    private static final String GENERATOR = "week1.generate.Generator";
    private static final Class<?>[] MODEL_CONSTRUCTOR = {ModelFolder.class, NDManager.class, int.class};
    private static final Class<?>[] CHAT = {LanguageModel.class, Tokenizer.class, String.class, int.class,
        Consumer.class};

    /**
     * What a run produced.
     *
     * @param modelCalls how many times the student's loop called the model
     * @param loadMillis the student's constructor reading the weights
     * @param generateMillis the student's chat, first call to last token
     */
    public record Result(String text, int modelCalls, long compileMillis, long loadMillis, long generateMillis) {}

    /** The student's code could not run: it does not compile, is not written yet, or failed. */
    public static final class StudentCodeFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StudentCodeFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private StudentModelRun() {}

    /**
     * Runs the week-1 code found under {@code sources} (a workspace, or an extracted reference).
     *
     * @param buildDir scratch space for class files
     * @param onText receives the answer piece by piece
     * @param onStatus receives one line per stage, for the user to see what is going on
     * @throws IllegalArgumentException when the model folder or its tokenizer cannot be used
     * @throws StudentCodeFailure when the student's code does not compile or fails
     */
    public static Result week1(Path sources, Path buildDir, Path modelFolder, String prompt, int maxNewTokens,
            Consumer<String> onText, Consumer<String> onStatus) throws StudentCodeFailure {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("the answer needs room for at least one token");
        }
        try (ModelFolder folder = ModelFolder.open(modelFolder); Tokenizer tokenizer = Tokenizer.load(modelFolder)) {
            int promptLength = tokenizer.encode(tokenizer.applyChatTemplate(prompt)).length;
            int maxSeqLen = promptLength + maxNewTokens;
            if (maxSeqLen > folder.config().maxPositionEmbeddings()) {
                throw new IllegalArgumentException("the prompt (" + promptLength + " tokens) and " + maxNewTokens
                        + " new tokens exceed the model's context of " + folder.config().maxPositionEmbeddings()
                        + " tokens");
            }
            Step step = Catalog.load().requireStep(STEP);
            List<Step> build = Catalog.load().withRequirements(step);
            StudentCompiler.Result compiled = StudentCompiler.compile(sources,
                    build.stream().map(s -> sources.resolve(s.sourceDir())).toList(), buildDir.resolve("classes"));
            if (!compiled.success()) {
                String first = compiled.messages().stream().filter(m -> m.kind().equals("ERROR")).findFirst()
                        .map(Object::toString).orElse("the compiler failed");
                throw new StudentCodeFailure("your week-1 code does not compile: " + first, null);
            }
            try (StudentLoader loader = new StudentLoader(List.of(compiled.classes()), StudentModelRun.class.getClassLoader());
                    NDManager weights = NDManager.newBaseManager()) {
                onStatus.accept("loading " + modelFolder + " into your Qwen2Model (" + folder.config().numHiddenLayers()
                        + " layers)");
                long loadStart = System.nanoTime();
                Object model = student("week1/qwen2-model", () -> StudentCalls.construct(load(loader, MODEL),
                        MODEL_CONSTRUCTOR, new Object[] {folder, weights, maxSeqLen}));
                if (!(model instanceof LanguageModel languageModel)) {
                    throw new StudentCodeFailure("your Qwen2Model does not implement dev.tinyvllm.student.LanguageModel, "
                            + "as the skeleton of week1/qwen2-model does", null);
                }
                long loadMillis = millis(loadStart);
                onStatus.accept("answering with your Generator.chat (greedy, no cache, at most " + maxNewTokens
                        + " tokens)");
                Counting counting = new Counting(languageModel);
                long start = System.nanoTime();
                Object text = student(STEP, () -> StudentCalls.callStatic(load(loader, GENERATOR), "chat", CHAT,
                        new Object[] {counting, tokenizer, prompt, maxNewTokens, onText}));
                counting.release();
                return new Result(text == null ? "" : text.toString(), counting.calls, compiled.millis(), loadMillis,
                        millis(start));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The same with the course's reference solution, for comparison with the student's run. */
    public static Result week1Reference(Path modelFolder, String prompt, int maxNewTokens, Consumer<String> onText,
            Consumer<String> onStatus) throws StudentCodeFailure {
        Path root = CheckRuns.extractReference(Catalog.load().requireStep(STEP));
        try {
            return week1(root, root.resolve(".tutor/build"), modelFolder, prompt, maxNewTokens, onText, onStatus);
        } finally {
            CheckRuns.deleteTree(root);
        }
    }

    /** A call into student code. */
    @FunctionalInterface
    private interface Call {
        Object run() throws StudentFailure;
    }

    private static Object student(String stepId, Call call) throws StudentCodeFailure {
        try {
            return call.run();
        } catch (StudentFailure f) {
            throw new StudentCodeFailure("your " + stepId + " code: " + f.getMessage(), f);
        }
    }

    private static Class<?> load(StudentLoader loader, String name) throws StudentFailure {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new StudentFailure("ERROR", "cannot load " + name + ": " + e);
        }
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * The student's model as their loop sees it, counting calls. Everything one call allocates besides the
     * logits is freed when it returns, and the logits at the next call: a loop that forgets to free its
     * arrays would otherwise hold gigabytes after a few hundred tokens of a real model.
     */
    private static final class Counting implements LanguageModel {
        private final LanguageModel model;
        private NDArray previous;
        int calls;

        Counting(LanguageModel model) {
            this.model = model;
        }

        @Override
        public NDArray forward(NDArray inputIds) {
            release();
            calls++;
            NDArray logits;
            try (NDScope call = new NDScope()) {
                logits = model.forward(inputIds);
                if (logits != null) {
                    NDScope.unregister(logits);
                }
            }
            previous = logits;
            return logits;
        }

        void release() {
            if (previous != null && !previous.isReleased()) {
                previous.close();
            }
            previous = null;
        }
    }
}
