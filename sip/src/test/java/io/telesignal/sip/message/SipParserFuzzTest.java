package io.telesignal.sip.message;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz target: any bytes, as a datagram or as a stream frame, either parse (and then every typed view of the
 * message reads, and its encoding parses again to the same headers) or are refused with a {@link SipParseException}
 * carrying a 4xx/5xx status. Fuzz with {@code JAZZER_FUZZ=1 ./mvnw -pl sip test -Dtest=SipParserFuzzTest}.
 */
class SipParserFuzzTest {
    private final SipParser parser = new SipParser(SipLimits.DEFAULTS);

    @FuzzTest(maxDuration = "60s")
    void parsesOrRefuses(FuzzedDataProvider data) {
        boolean datagram = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        SipMessage message;
        try {
            message = parser.parse(bytes, 0, bytes.length, datagram);
        } catch (SipParseException refused) {
            if (refused.status() < 400 || refused.status() > 599) {
                throw new AssertionError("refused with " + refused.status());
            }
            return;
        }
        message.vias();
        message.from().sipUri();
        message.to();
        message.cseq();
        message.contacts();
        if (message instanceof SipRequest request) {
            request.sipUri();
        }
        byte[] again = message.encode();
        SipMessage reparsed = parser.parse(again, 0, again.length, false);
        if (!reparsed.headers().equals(message.headers())) {
            throw new AssertionError("the encoding does not parse back to the same headers");
        }
    }
}
