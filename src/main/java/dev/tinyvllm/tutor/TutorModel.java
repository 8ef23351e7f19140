package dev.tinyvllm.tutor;

import dev.tinyvllm.transcript.TranscriptEvent;
import dev.tinyvllm.tutor.guard.Guard;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** An LLM behind the tutor. Implemented in dev.tinyvllm.tutor.llm, so offline sessions never load it. */
public interface TutorModel {

    /** The model's name, for the transcript and /status. */
    String model();

    /** The endpoint's base URL without credentials. */
    String endpoint();

    /**
     * One turn of the conversation: the model may call tools, its answer is streamed through the
     * guard, and a stopped answer is written again with the reason, a bounded number of times,
     * before the offline tutor's question takes its place.
     *
     * @throws ModelUnavailableException when the endpoint failed before anything was shown; the
     *     student's message stays in the conversation for the next turn
     */
    Answer answer(Turn turn, TutorOutput out, Cancellation cancel) throws ModelUnavailableException, InterruptedException;

    /** Adds an answer the model did not write (the offline tutor's) so the conversation stays whole. */
    void remember(String tutorText);

    /**
     * @param stepBrief the current step's guide in short (its purpose, its parts and how to recognise them)
     * @param facts what the session knows (step, focus, rung, last check), given to the model with the message
     * @param studentOwn token runs of the student's own code, which the overlap guard does not count
     * @param fallback the offline tutor's answer to this message
     * @param log where tool calls, tool results, guard interventions and errors go (the transcript)
     */
    record Turn(String studentText, String stepBrief, String facts, Guard guard, Set<String> studentOwn, Supplier<String> fallback,
            Workbench workbench, Consumer<TranscriptEvent> log) {}

    /**
     * @param text as shown to the student
     * @param source {@code llm}, or {@code offline} when the offline tutor's answer ended it
     */
    record Answer(String text, String source) {}
}
