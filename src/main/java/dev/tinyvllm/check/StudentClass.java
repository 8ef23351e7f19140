package dev.tinyvllm.check;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as the checks' view of one of the student's classes, in the student JVM: its
 * {@link Static} methods are the class's static methods, its {@link New} methods the class's public
 * constructors, its other methods the object's methods. The judge never loads the student's class; it
 * calls it through {@link CheckContext#student}.
 *
 * <pre>{@code
 * @StudentClass("week1.mlp.RMSNorm")
 * interface RmsNorm {
 *     @New RmsNorm create(NDArray weight, float eps);  // new RMSNorm(weight, eps)
 *     NDArray forward(NDArray x);
 * }
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StudentClass {

    /** The class's full name in the student's code, e.g. {@code week1.attention.Attention}. */
    String value();
}
