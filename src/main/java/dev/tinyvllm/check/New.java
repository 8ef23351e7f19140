package dev.tinyvllm.check;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A method of a {@link StudentClass} interface that stands for a public constructor of the class, with
 * the constructor's parameters; it returns the new object as a view (the same interface, or another).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface New {}
