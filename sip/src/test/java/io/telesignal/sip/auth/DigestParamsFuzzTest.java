package io.telesignal.sip.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.telesignal.sip.message.SipParseException;

/**
 * Jazzer fuzz target: any Authorization value parses to Digest parameters or is refused with a 400; nothing else may
 * escape. Fuzz with {@code JAZZER_FUZZ=1 ./mvnw -pl sip test -Dtest=DigestParamsFuzzTest}.
 */
class DigestParamsFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void parsesOrRefuses(FuzzedDataProvider data) {
        try {
            DigestParams.parse(data.consumeRemainingAsString());
        } catch (SipParseException refused) {
            if (refused.status() != 400) {
                throw new AssertionError("refused with " + refused.status());
            }
        }
    }
}
