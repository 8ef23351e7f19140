package dev.tinyvllm.check;

/**
 * One check of a step, with everything about it in one place (as check50's checks and JUnit's dynamic
 * tests carry theirs): its id, the student function it exercises, what it verifies, the check it
 * depends on, and its body. The body runs in the trusted judge; every call into the student's code
 * goes through its {@link CheckContext} to the student JVM.
 *
 * @param id stable, {@code <function in snake_case>.<case>}, used in every report format
 * @param function the student method it exercises, e.g. {@code eagerCausal} or {@code RMSNorm.forward}
 * @param description what it verifies, in a few words
 * @param dependsOn the id of a check that must PASS first, or null; when it did not, this one is SKIPPED
 *     and says why
 * @param cuda whether it runs on a CUDA device; without one it is SKIPPED and says why
 */
public record Check(String id, String function, String description, String dependsOn, boolean cuda, Body body) {

    /** What a check does: compute inputs and expected values, call the student's code, judge. */
    @FunctionalInterface
    public interface Body {
        /**
         * A {@link StudentFailure} or {@link WrongOutput} thrown here ends the check as NOT_IMPLEMENTED,
         * ERROR or FAIL; any other exception is a bug of the checks, reported as such.
         */
        CheckResult run(CheckContext ctx);
    }

    public static Check of(String id, String function, String description, Body body) {
        return new Check(id, function, description, null, false, body);
    }

    /** This check, run only after {@code checkId} passed. */
    public Check after(String checkId) {
        return new Check(id, function, description, checkId, cuda, body);
    }

    /** This check, on a CUDA device. */
    public Check onCuda() {
        return new Check(id, function, description, dependsOn, true, body);
    }

    public CheckSpec spec() {
        return new CheckSpec(id, function, description);
    }
}
