package io.telesignal.signaling.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz target: any text decodes to a message or to a protocol error; the codec never throws. Runs its
 * seeds in every build; fuzz with {@code JAZZER_FUZZ=1 ./mvnw -pl signaling test -Dtest=ProtocolCodecFuzzTest}.
 */
class ProtocolCodecFuzzTest {
    private final ProtocolCodec codec = new ProtocolCodec();

    @FuzzTest(maxDuration = "60s")
    void decodesOrExplains(FuzzedDataProvider data) {
        Decoded decoded = codec.decode(data.consumeRemainingAsString());
        if (decoded.ok() == (decoded.error() != null)) {
            throw new IllegalStateException("a decode result must be exactly one of message or error");
        }
    }
}
