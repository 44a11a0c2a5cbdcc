package io.telesignal.server.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Jazzer fuzz target for the configuration reader: any YAML file, environment variable and override either loads
 * or is refused with a {@link ConfigException} naming the key (exit code 2 and one line); nothing else may escape.
 * Fuzz with {@code JAZZER_FUZZ=1 ./mvnw -pl server test -Dtest=ConfigReaderFuzzTest}.
 */
class ConfigReaderFuzzTest {
    private static final String[] VARIABLES = {"TELESIGNAL_HTTP_PORT", "TELESIGNAL_SIGNALING_PING_INTERVAL",
        "TELESIGNAL_HTTP_TRUSTED_PROXIES", "TELESIGNAL_SDP_CODECS", "TELESIGNAL_LOGGING_CLIENT_ADDRESSES",
        "TELESIGNAL_MANAGEMENT_HOST", "TELESIGNAL_HTTP_PUBLIC_URL", "TELESIGNAL_TOKENS_TTL"};

    @FuzzTest(maxDuration = "60s")
    void loadsOrRefusesWithTheKey(FuzzedDataProvider data) throws IOException {
        String variable = VARIABLES[data.consumeInt(0, VARIABLES.length - 1)];
        String value = data.consumeString(60);
        String yaml = data.consumeRemainingAsString();
        Path dir = Files.createTempDirectory("fuzz-config");
        Path file = dir.resolve("telesignal.yaml");
        try {
            Files.writeString(file, yaml);
            ServerConfig.load(Optional.of(file), Map.of(variable, value), Map.of("dataDir", dir.toString()));
        } catch (ConfigException refused) {
            // the contract: a key and a reason
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
