package dev.tinyvllm.check.judge;

import dev.tinyvllm.check.KernelRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Judges a {@link KernelRule} on the student's compiled classes: from each restricted function, every
 * method of the student's classes it can reach (calls, method references, lambdas, constructors and
 * static initialisers of the classes it touches; a call on an interface or a superclass reaches every
 * student method of that name and descriptor), and the kernels and reflection those methods use.
 */
public final class KernelAudit {

    private static final String KERNELS = "dev/tinyvllm/student/Kernels";

    /** Calls that reach code no reading can follow. */
    private static final Map<String, Set<String>> REFLECTION = Map.of(
            "java/lang/reflect/Method", Set.of("invoke"),
            "java/lang/reflect/Constructor", Set.of("newInstance"),
            "java/lang/invoke/MethodHandle", Set.of("invoke", "invokeExact", "invokeWithArguments"),
            "java/lang/invoke/MethodHandles$Lookup", Set.of("findStatic", "findVirtual", "findConstructor",
                    "findSpecial", "unreflect"),
            "java/lang/Class", Set.of("forName", "getMethod", "getDeclaredMethod", "getMethods",
                    "getDeclaredMethods", "newInstance", "getConstructor", "getDeclaredConstructor"),
            "java/lang/ClassLoader", Set.of("loadClass"));

    /** A method of a student class: owner, name and descriptor. */
    private record MethodId(String owner, String name, String descriptor) {
        String shortName() {
            return owner.substring(owner.lastIndexOf('/') + 1) + "." + name;
        }
    }

    /** What one method's code refers to. */
    private record Body(List<MethodId> calls, Set<String> touchedClasses) {}

    private final Map<MethodId, Body> methods = new HashMap<>();

    private KernelAudit() {}

    /** Reads every class file under the folders. */
    public static KernelAudit of(List<Path> classDirs) {
        KernelAudit audit = new KernelAudit();
        for (Path dir : classDirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    audit.read(Files.readAllBytes(p));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the compiled classes in " + dir, e);
            }
        }
        return audit;
    }

    /** Each restricted function that breaks its rule, with the message its checks fail with. */
    public Map<String, String> violations(KernelRule rule) {
        Map<String, String> found = new LinkedHashMap<>();
        for (KernelRule.Entry entry : rule.entries()) {
            violation(entry).ifPresent(message -> found.put(entry.function(), message));
        }
        return found;
    }

    private Optional<String> violation(KernelRule.Entry entry) {
        String owner = entry.owner().replace('.', '/');
        Deque<MethodId> todo = new ArrayDeque<>();
        Map<MethodId, MethodId> reachedFrom = new HashMap<>();
        for (MethodId m : methods.keySet()) {
            if (m.owner().equals(owner) && m.name().equals(entry.method())) {
                todo.add(m);
                reachedFrom.put(m, null);
            }
        }
        while (!todo.isEmpty()) {
            MethodId current = todo.poll();
            Body body = methods.get(current);
            if (body == null) {
                continue;
            }
            List<MethodId> next = new ArrayList<>();
            for (MethodId call : body.calls()) {
                if (call.owner().equals(KERNELS) && !entry.allowed().contains(call.name())) {
                    return Optional.of(entry.function() + " calls Kernels." + call.name() + via(current, reachedFrom)
                            + ", but " + entry.why());
                }
                Set<String> reflective = REFLECTION.get(call.owner());
                if (reflective != null && reflective.contains(call.name())) {
                    return Optional.of(entry.function() + " uses reflection (" + call.owner().replace('/', '.') + "."
                            + call.name() + via(current, reachedFrom) + "), which the checks cannot follow; "
                            + entry.why());
                }
                next.addAll(targets(call));
            }
            for (String touched : body.touchedClasses()) {
                next.add(new MethodId(touched, "<clinit>", "()V"));
            }
            for (MethodId n : next) {
                if (methods.containsKey(n) && !reachedFrom.containsKey(n)) {
                    reachedFrom.put(n, current);
                    todo.add(n);
                }
            }
        }
        return Optional.empty();
    }

    /** The student methods a call may land in: its own, and any of the same name and descriptor. */
    private List<MethodId> targets(MethodId call) {
        List<MethodId> targets = new ArrayList<>();
        for (MethodId m : methods.keySet()) {
            if (m.name().equals(call.name()) && m.descriptor().equals(call.descriptor())
                    && (m.owner().equals(call.owner()) || !"<init>".equals(call.name()))) {
                targets.add(m);
            }
        }
        return targets;
    }

    private static String via(MethodId where, Map<MethodId, MethodId> reachedFrom) {
        List<String> path = new ArrayList<>();
        for (MethodId m = reachedFrom.get(where) == null ? null : where; m != null; m = reachedFrom.get(m)) {
            if (reachedFrom.get(m) != null) {
                path.add(0, m.shortName());
            }
        }
        return path.isEmpty() ? "" : " (through " + String.join(" -> ", path) + ")";
    }

    private void read(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                Body body = new Body(new ArrayList<>(), new HashSet<>());
                methods.put(new MethodId(reader.getClassName(), name, descriptor), body);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        body.calls().add(new MethodId(owner, method, desc));
                        body.touchedClasses().add(owner);
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                        body.touchedClasses().add(owner);
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        body.touchedClasses().add(type);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        handle(value);
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String method, String desc, Handle bootstrap, Object... args) {
                        for (Object arg : args) {
                            handle(arg);
                        }
                    }

                    private void handle(Object value) {
                        if (value instanceof Handle h) {
                            body.calls().add(new MethodId(h.getOwner(), h.getName(), h.getDesc()));
                            body.touchedClasses().add(h.getOwner());
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }
}
