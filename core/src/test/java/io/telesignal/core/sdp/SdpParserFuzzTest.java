package io.telesignal.core.sdp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz target: any text either parses or is refused with an {@link SdpException}; nothing else may
 * escape (no index errors, no number format errors, no hangs). Runs its seed corpus in every build; fuzz with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl core test -Dtest=SdpParserFuzzTest}.
 */
class SdpParserFuzzTest {
    private final SdpParser parser = new SdpParser(65536);

    @FuzzTest(maxDuration = "60s")
    void parsesOrRefuses(FuzzedDataProvider data) {
        try {
            parser.parse(data.consumeRemainingAsString());
        } catch (SdpException expected) {
            // refused with a code: the contract
        }
    }
}
