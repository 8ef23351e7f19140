package dev.tinyvllm.check;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as the checks' view of a public class of the tutor that runs in the student JVM
 * beside the student's code: a scripted model, a recorder of streamed tokens. Such classes live in
 * {@code dev.tinyvllm.host.fixtures} or in a step's {@code driver} package, and hold nothing the student
 * may not see. Calls work as for a {@link StudentClass}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DriverClass {

    /** The class's full name. */
    String value();
}
