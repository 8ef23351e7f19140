package dev.tinyvllm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine depends on the model package only: not on DJL, not on the oracles, not on the tutor. Read
 * from the compiled classes, whose constant pools name every class they link (as {@code a/b/C}) and
 * every string they hold (a name given to reflection, as {@code a.b.C}).
 */
class EngineDependenciesTest {

    /** A class or package name, in the slashed form of a class file or the dotted form of a string. */
    private static final Pattern NAME = Pattern.compile("(?:dev|ai)[/.][A-Za-z0-9_$/.]+");

    static Path classes;
    /** Every class under dev/tinyvllm/engine, by file, with the names its class file holds. */
    static Map<String, Set<String>> engine;

    @BeforeAll
    static void readTheEnginesClasses() throws Exception {
        classes = Path.of(LlmEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes.resolve("dev/tinyvllm/engine")), "compiled classes at " + classes);
        engine = namesIn(classes.resolve("dev/tinyvllm/engine"));
        assertTrue(engine.size() > 20, "found the engine's classes: " + engine.keySet());
    }

    static Map<String, Set<String>> namesIn(Path folder) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                out.put(classes.relativize(f).toString(), names(f));
            }
        }
        return out;
    }

    /** Names in a class file: its constant pool holds them as modified UTF-8, plain ASCII for these. */
    static Set<String> names(Path classFile) {
        try {
            Matcher m = NAME.matcher(new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1));
            Set<String> out = new TreeSet<>();
            while (m.find()) {
                out.add(m.group());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void noEngineClassNamesDjlOrTheOracles() {
        Map<String, Set<String>> found = new TreeMap<>();
        engine.forEach((file, names) -> {
            Set<String> bad = new TreeSet<>();
            for (String n : names) {
                String slashed = n.replace('.', '/');
                if (slashed.startsWith("ai/djl/") || slashed.startsWith("dev/tinyvllm/oracle/")) {
                    bad.add(n);
                }
            }
            if (!bad.isEmpty()) {
                found.put(file, bad);
            }
        });
        assertEquals(Map.of(), found, "the engine must not link DJL or the oracles (a baseline to compare with comes "
                + "from outside, through engine.bench.Baseline)");
    }

    @Test
    void theEngineUsesNoOtherPackageOfTheTutorThanModel() {
        Map<String, Set<String>> found = new TreeMap<>();
        engine.forEach((file, names) -> {
            Set<String> bad = new TreeSet<>();
            for (String n : names) {
                String slashed = n.replace('.', '/');
                if (slashed.startsWith("dev/tinyvllm/") && !slashed.startsWith("dev/tinyvllm/engine/")
                        && !slashed.startsWith("dev/tinyvllm/model/")) {
                    bad.add(n);
                }
            }
            if (!bad.isEmpty()) {
                found.put(file, bad);
            }
        });
        assertEquals(Map.of(), found);
    }

    /**
     * Through the model package the engine does reach DJL, but only its Hugging Face tokenizers binding
     * (the real tokenizer.json, with its own native library), never the NDArray API or libtorch.
     */
    @Test
    void throughTheModelPackageOnlyTheTokenizerBindingOfDjlIsReached() {
        Set<String> seen = new TreeSet<>(engine.keySet());
        Deque<String> todo = new ArrayDeque<>(engine.keySet());
        Set<String> djl = new TreeSet<>();
        while (!todo.isEmpty()) {
            String file = todo.pop();
            for (String n : names(classes.resolve(file))) {
                String slashed = n.replace('.', '/');
                if (slashed.startsWith("ai/djl/")) {
                    djl.add(slashed);
                    continue;
                }
                String next = slashed + ".class";
                if (slashed.startsWith("dev/tinyvllm/") && Files.isRegularFile(classes.resolve(next)) && seen.add(next)) {
                    todo.push(next);
                }
            }
        }
        assertTrue(seen.stream().anyMatch(f -> f.startsWith("dev/tinyvllm/model/")), "the model package was followed");
        List<String> beyondTokenizers = djl.stream().filter(n -> !n.startsWith("ai/djl/huggingface/")).toList();
        assertEquals(List.of(), beyondTokenizers, "DJL reached from the engine: " + djl);
    }
}
