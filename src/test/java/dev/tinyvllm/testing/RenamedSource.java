package dev.tinyvllm.testing;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source with every name it declares (fields, parameters, locals, lambda parameters and helper
 * methods) replaced by a meaningless one, as a student who names everything their own way would
 * write it. Members of other types ({@code x.getShape()}, {@code NDArrays.where}) and the names in
 * {@code keep} (the skeleton's public methods) stay, so the code still says the same thing.
 */
public final class RenamedSource {

    private static final Pattern DECLARED = Pattern.compile(
            "(?:\\b(?:int|long|double|float|boolean|byte|short|char|var)|\\b[A-Z]\\w*(?:<[^;(){}=]*?>)?)(?:\\[\\])*"
                    + "(?:\\.\\.\\.)?\\s+([a-z_]\\w*)\\s*(?=[=;,):])");
    private static final Pattern METHOD = Pattern.compile(
            "\\b(?:private|static|public|protected)\\s+(?:static\\s+)?(?:final\\s+)?[\\w<>\\[\\]]+\\s+([a-z_]\\w*)\\s*\\(");

    private RenamedSource() {}

    /** The methods a source declares: for a skeleton, the API a student must keep. */
    public static Set<String> methods(String source) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = METHOD.matcher(source);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The names the source declares, in the order they first appear. */
    public static Set<String> declared(String source, Set<String> keep) {
        Set<String> names = new LinkedHashSet<>();
        for (Pattern p : new Pattern[] {DECLARED, METHOD}) {
            Matcher m = p.matcher(source);
            while (m.find()) {
                if (!keep.contains(m.group(1))) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** The source with each declared name replaced by {@code zq1}, {@code zq2}, ...; the same name gets the same new one. */
    public static String of(String source, Set<String> keep) {
        return of(Map.of("", source), keep).get("");
    }

    /**
     * Files with every name any of them declares renamed, one new name per old name across all of
     * them, as one student would write them.
     */
    public static Map<String, String> of(Map<String, String> files, Set<String> keep) {
        Map<String, String> renames = new LinkedHashMap<>();
        for (String source : files.values()) {
            for (String name : declared(source, keep)) {
                renames.putIfAbsent(name, "zq" + (renames.size() + 1));
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        files.forEach((file, source) -> {
            String text = source;
            for (Map.Entry<String, String> r : renames.entrySet()) {
                String name = Pattern.quote(r.getKey());
                text = text.replaceAll("(?<![\\w.])" + name + "\\b", r.getValue())
                        .replaceAll("\\bthis\\s*\\.\\s*" + name + "\\b", "this." + r.getValue());
            }
            out.put(file, text);
        });
        return out;
    }
}
