package dev.tinyvllm.tutor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the tutor's endpoint comes from, in order, and what a bad setting says. */
class TutorConfigTest {

    @TempDir
    Path dir;

    private static final TutorConfig.Flags NONE = TutorConfig.Flags.none();

    @Test
    void offlineUnlessAnEndpointIsConfiguredAndAKeyAloneSwitchesNothingOn() {
        TutorConfig c = TutorConfig.resolve(NONE, Map.of("OPENAI_API_KEY", "sk-secret"), List.of());
        assertFalse(c.llm());
        assertTrue(c.offlineReason().contains("no LLM endpoint"), c.offlineReason());
    }

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheWorkspaceWhichBeatsTheUser() throws Exception {
        Path workspace = Files.writeString(dir.resolve("ws.properties"), "base-url=http://ws:1/v1\nmodel=ws-model\ntimeout-seconds=7\n");
        Path user = Files.writeString(dir.resolve("user.properties"), "base-url=http://user:1/v1\nmodel=user-model\napi-key=k\nstream=false\n");
        List<Path> files = List.of(workspace, user);
        TutorConfig fromFiles = TutorConfig.resolve(NONE, Map.of(), files);
        assertEquals("http://ws:1/v1", fromFiles.baseUrl());
        assertEquals("ws-model", fromFiles.model());
        assertEquals("k", fromFiles.apiKey());
        assertEquals(Duration.ofSeconds(7), fromFiles.timeout());
        assertFalse(fromFiles.stream());
        assertEquals(workspace.toString(), fromFiles.origin());

        TutorConfig fromEnv = TutorConfig.resolve(NONE, Map.of("TUTOR_BASE_URL", "http://env:2/v1/", "TUTOR_MODEL", "env-model"), files);
        assertEquals("http://env:2/v1", fromEnv.baseUrl(), "a trailing slash is dropped");
        assertEquals("env-model", fromEnv.model());
        assertEquals("the environment", fromEnv.origin());

        TutorConfig fromFlags = TutorConfig.resolve(new TutorConfig.Flags("http://flag:3/v1", "flag-model", null, 3, false, false),
                Map.of("TUTOR_BASE_URL", "http://env:2/v1"), files);
        assertEquals("http://flag:3/v1", fromFlags.baseUrl());
        assertEquals(Duration.ofSeconds(3), fromFlags.timeout());

        TutorConfig offline = TutorConfig.resolve(new TutorConfig.Flags(null, null, null, null, true, false), Map.of(), files);
        assertFalse(offline.llm());
        assertNull(offline.baseUrl());
    }

    @Test
    void aModelAloneMeansOpenAiWhichNeedsAKey() {
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> TutorConfig.resolve(NONE, Map.of("TUTOR_MODEL", "gpt-4o-mini"), List.of()));
        assertTrue(noKey.getMessage().contains("OPENAI_API_KEY"), noKey.getMessage());
        TutorConfig c = TutorConfig.resolve(NONE, Map.of("TUTOR_MODEL", "gpt-4o-mini", "OPENAI_API_KEY", "sk-x"), List.of());
        assertEquals(TutorConfig.OPENAI_URL, c.baseUrl());
    }

    @Test
    void badSettingsSayWhatAndWhere() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.properties"), "base-url=http://x/v1\nmodle=typo\n");
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> TutorConfig.resolve(NONE, Map.of(), List.of(bad)));
        assertTrue(typo.getMessage().contains("modle") && typo.getMessage().contains(bad.toString()), typo.getMessage());

        IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
                () -> TutorConfig.resolve(NONE, Map.of("TUTOR_BASE_URL", "localhost:11434", "TUTOR_MODEL", "m"), List.of()));
        assertTrue(url.getMessage().contains("not an http(s) URL"), url.getMessage());

        IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class,
                () -> TutorConfig.resolve(NONE, Map.of("TUTOR_BASE_URL", "http://localhost:11434/v1"), List.of()));
        assertTrue(noModel.getMessage().contains("--model"), noModel.getMessage());

        Path timeout = Files.writeString(dir.resolve("t.properties"), "timeout-seconds=soon\n");
        assertThrows(IllegalArgumentException.class, () -> TutorConfig.resolve(NONE, Map.of(), List.of(timeout)));
    }

    @Test
    void theEndpointIsShownWithoutCredentials() {
        TutorConfig c = TutorConfig.resolve(new TutorConfig.Flags("https://user:pw@llm.example:8443/v1?key=abc", "m", null, null,
                false, false), Map.of(), List.of());
        assertEquals("https://llm.example:8443/v1", c.endpointForDisplay());
    }
}
