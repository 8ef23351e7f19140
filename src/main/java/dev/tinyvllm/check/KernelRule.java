package dev.tinyvllm.check;

import java.util.List;
import java.util.Set;

/**
 * Which of the student API's fused kernels ({@code dev.tinyvllm.student.Kernels}) a function may reach.
 * The checker reads the compiled classes before any student code runs and follows every call the
 * function can make through the student's own classes; a kernel outside the list, or reflection (which
 * no reading can follow), fails the function's checks with a message that says so.
 */
public record KernelRule(List<Entry> entries) {

    /** No function is restricted. */
    public static final KernelRule ANY = new KernelRule(List.of());

    /**
     * @param function the checks' name of the function, as in {@link Check#function}
     * @param owner the student class that declares it, e.g. {@code week1.attention.Attention}
     * @param method its name (every overload is followed)
     * @param allowed the {@code Kernels} methods it may reach, by name; empty for none
     * @param why the step's reason, said when the rule is broken
     */
    public record Entry(String function, String owner, String method, Set<String> allowed, String why) {}

    public static KernelRule of(Entry... entries) {
        return new KernelRule(List.of(entries));
    }
}
