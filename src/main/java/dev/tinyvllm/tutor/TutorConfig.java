package dev.tinyvllm.tutor;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Which tutor a session gets: the offline tutor, or an LLM at an OpenAI-compatible endpoint.
 *
 * <p>Each setting comes from the first of: a command-line flag, an environment variable
 * ({@code TUTOR_BASE_URL}, {@code TUTOR_MODEL}, {@code OPENAI_API_KEY}), the workspace's
 * {@code .tutor/config.properties}, the user's {@code ~/.config/tiny-vllm-tutor/config.properties}
 * (or under {@code $XDG_CONFIG_HOME}). The LLM is used when a base URL or a model is set; an API
 * key alone does not switch it on, so a key lying in the environment never sends a student's code
 * anywhere unasked.
 *
 * @param baseUrl null offline
 * @param apiKey null when the endpoint needs none
 * @param offlineReason why the session is offline, null in LLM mode
 * @param origin where the endpoint setting came from, for /status
 */
public record TutorConfig(String baseUrl, String model, String apiKey, Duration timeout, boolean stream,
        String offlineReason, String origin) {

    public static final String OPENAI_URL = "https://api.openai.com/v1";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> KEYS = Set.of("base-url", "model", "api-key", "timeout-seconds", "stream");

    /** What the command line said; null for anything not given. */
    public record Flags(String baseUrl, String model, String apiKey, Integer timeoutSeconds, boolean offline,
            boolean noStream) {

        public static Flags none() {
            return new Flags(null, null, null, null, false, false);
        }
    }

    public boolean llm() {
        return offlineReason == null;
    }

    public static TutorConfig offline(String reason) {
        return new TutorConfig(null, null, null, DEFAULT_TIMEOUT, true, reason, null);
    }

    /** The user's config file: $XDG_CONFIG_HOME/tiny-vllm-tutor/config.properties, or under ~/.config. */
    public static Path userConfigFile(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
        return base.resolve("tiny-vllm-tutor").resolve("config.properties");
    }

    /**
     * @param files config files, the one that wins first (the workspace's, then the user's); missing ones are skipped
     * @throws IllegalArgumentException for a malformed file or value, naming where it came from
     */
    public static TutorConfig resolve(Flags flags, Map<String, String> env, List<Path> files) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Layer("the command line", flagMap(flags)));
        layers.add(new Layer("the environment", envMap(env)));
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                layers.add(new Layer(file.toString(), read(file)));
            }
        }
        Setting baseUrl = first(layers, "base-url");
        Setting model = first(layers, "model");
        Setting apiKey = first(layers, "api-key");
        Setting timeout = first(layers, "timeout-seconds");
        Setting stream = first(layers, "stream");

        Duration t = DEFAULT_TIMEOUT;
        if (timeout != null) {
            try {
                long seconds = Long.parseLong(timeout.value().strip());
                if (seconds < 1 || seconds > 3600) {
                    throw new NumberFormatException();
                }
                t = Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("timeout-seconds from " + timeout.origin() + " must be a whole number "
                        + "of seconds between 1 and 3600, not `" + timeout.value() + "`");
            }
        }
        boolean streaming = true;
        if (stream != null) {
            String v = stream.value().strip().toLowerCase(java.util.Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("stream from " + stream.origin() + " must be true or false, not `"
                        + stream.value() + "`");
            }
            streaming = v.equals("true");
        }
        if (flags.offline()) {
            return new TutorConfig(null, null, null, t, streaming, "--offline was given", null);
        }
        if (baseUrl == null && model == null) {
            return new TutorConfig(null, null, null, t, streaming,
                    "no LLM endpoint is configured; see `tutor shell --help`", null);
        }
        String url = baseUrl == null ? OPENAI_URL : checkUrl(baseUrl);
        if (model == null) {
            throw new IllegalArgumentException("an LLM base URL is set (from " + baseUrl.origin() + ") but no model: "
                    + "pass --model NAME or set TUTOR_MODEL");
        }
        String key = apiKey == null || apiKey.value().isBlank() ? null : apiKey.value().strip();
        if (key == null && url.startsWith(OPENAI_URL)) {
            throw new IllegalArgumentException("the OpenAI endpoint needs an API key: set OPENAI_API_KEY or pass --api-key");
        }
        String origin = (baseUrl == null ? model : baseUrl).origin();
        return new TutorConfig(url, model.value().strip(), key, t, streaming, null, origin);
    }

    /** The base URL as it may be shown and logged: no user info, no query. */
    public String endpointForDisplay() {
        return baseUrl == null ? null : displayable(baseUrl);
    }

    static String displayable(String url) {
        try {
            URI u = new URI(url);
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return "(unparsable URL)";
        }
    }

    private record Layer(String origin, Map<String, String> values) {}

    private record Setting(String value, String origin) {}

    private static Setting first(List<Layer> layers, String key) {
        for (Layer layer : layers) {
            String v = layer.values().get(key);
            if (v != null && !v.isBlank()) {
                return new Setting(v, layer.origin());
            }
        }
        return null;
    }

    private static Map<String, String> flagMap(Flags f) {
        Map<String, String> m = new java.util.HashMap<>();
        putIf(m, "base-url", f.baseUrl());
        putIf(m, "model", f.model());
        putIf(m, "api-key", f.apiKey());
        putIf(m, "timeout-seconds", f.timeoutSeconds() == null ? null : f.timeoutSeconds().toString());
        putIf(m, "stream", f.noStream() ? "false" : null);
        return m;
    }

    private static Map<String, String> envMap(Map<String, String> env) {
        Map<String, String> m = new java.util.HashMap<>();
        putIf(m, "base-url", env.get("TUTOR_BASE_URL"));
        putIf(m, "model", env.get("TUTOR_MODEL"));
        putIf(m, "api-key", env.get("OPENAI_API_KEY"));
        return m;
    }

    private static void putIf(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the tutor config " + file + ": " + e.getMessage());
        }
        Map<String, String> m = new java.util.HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown setting `" + key + "` in " + file + "; known: "
                        + String.join(", ", new java.util.TreeSet<>(KEYS)));
            }
            m.put(key, p.getProperty(key));
        }
        return m;
    }

    private static String checkUrl(Setting s) {
        String url = s.value().strip();
        try {
            URI u = new URI(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new URISyntaxException(url, "not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the LLM base URL from " + s.origin() + " is not an http(s) URL: `" + url
                    + "` (for example http://localhost:11434/v1)");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
