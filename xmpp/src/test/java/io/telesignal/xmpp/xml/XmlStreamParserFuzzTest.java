package io.telesignal.xmpp.xml;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer fuzz target for the stream parser: any bytes, fed in chunks of any size after a valid stream header or as the
 * whole stream, either parse into elements (each of which serialises and parses back to itself) or end the stream
 * with a {@link StreamErrorException}; nothing else is thrown, and nothing grows past the limits. Fuzz with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl xmpp test -Dtest=XmlStreamParserFuzzTest}.
 */
class XmlStreamParserFuzzTest {
    private static final byte[] HEADER = ("<stream:stream to='clinic.example' version='1.0' xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams'>").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @FuzzTest(maxDuration = "60s")
    void parsesOrEndsTheStream(FuzzedDataProvider data) {
        boolean withHeader = data.consumeBoolean();
        int chunk = data.consumeInt(1, 4096);
        byte[] bytes = data.consumeRemainingAsBytes();
        List<XmlElement> elements = new ArrayList<>();
        XmlStreamParser parser = XmlStreamParser.stream(new XmlStreamParser.Handler() {
            @Override
            public void streamOpened(XmlElement header) { }

            @Override
            public void element(XmlElement element) {
                elements.add(element);
            }

            @Override
            public void streamClosed() { }
        }, 4096, 16);
        try {
            if (withHeader) {
                parser.feed(HEADER, 0, HEADER.length);
            }
            for (int i = 0; i < bytes.length; i += chunk) {
                parser.feed(bytes, i, Math.min(chunk, bytes.length - i));
            }
        } catch (StreamErrorException ended) {
            if (ended.condition() == null) {
                throw new AssertionError("a stream error without a condition");
            }
        }
        for (XmlElement element : elements) {
            roundTrip(element);
        }
    }

    /** An element the parser produced serialises to XML that parses back to the same element. */
    private static void roundTrip(XmlElement element) {
        XmlElement again;
        try {
            again = XmlStreamParser.parseElement(element.toXml(), 1 << 20, 64);
        } catch (StreamErrorException e) {
            throw new AssertionError("a parsed element does not parse back: " + e.condition(), e);
        }
        if (!again.equals(element)) {
            throw new AssertionError("a parsed element does not serialise back to itself");
        }
    }
}
