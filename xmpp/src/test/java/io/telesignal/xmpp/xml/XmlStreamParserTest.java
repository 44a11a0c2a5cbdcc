package io.telesignal.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class XmlStreamParserTest {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream to='clinic.example' version='1.0'"
            + " xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    private final List<String> seen = new ArrayList<>();
    private final List<XmlElement> elements = new ArrayList<>();
    private XmlStreamParser parser;

    private XmlStreamParser.Handler handler(Runnable onElement) {
        return new XmlStreamParser.Handler() {
            @Override
            public void streamOpened(XmlElement header) {
                seen.add("open to=" + header.attr("to") + " version=" + header.attr("version") + " lang="
                        + header.attr("xml:lang"));
            }

            @Override
            public void element(XmlElement element) {
                elements.add(element);
                seen.add(element.name() + " " + element.namespace());
                onElement.run();
            }

            @Override
            public void streamClosed() {
                seen.add("closed");
            }
        };
    }

    private void feed(String xml) throws StreamErrorException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
    }

    @Test
    void headerStanzasAndCloseArriveWhateverTheChunking() throws Exception {
        String xml = HEADER + "<message to='bob@clinic.example' type='chat'><body>caf\u00e9 &amp; &lt;tea&gt; &#x263A;</body>"
                + "<thread>t1</thread></message>\n <presence/><iq type='get' id='1'><query xmlns='jabber:iq:roster'/></iq>"
                + "</stream:stream>";
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        for (int chunk : new int[] {1, 2, 3, 7, 64, bytes.length}) {
            seen.clear();
            elements.clear();
            parser = XmlStreamParser.stream(handler(() -> { }), 65536, 16);
            for (int i = 0; i < bytes.length; i += chunk) {
                parser.feed(bytes, i, Math.min(chunk, bytes.length - i));
            }
            assertThat(seen).as("chunks of " + chunk).containsExactly("open to=clinic.example version=1.0 lang=en",
                    "message jabber:client", "presence jabber:client", "iq jabber:client", "closed");
            XmlElement message = elements.get(0);
            assertThat(message.attr("type")).isEqualTo("chat");
            assertThat(message.child("body", "jabber:client").orElseThrow().text()).isEqualTo("caf\u00e9 & <tea> \u263A");
            assertThat(elements.get(2).child("query", "jabber:iq:roster")).isPresent();
            assertThat(parser.closed()).isTrue();
        }
    }

    @Test
    void restrictedXmlIsRefused() throws Exception {
        for (String bad : new String[] {"<!-- a comment -->", "<?pi data?>", "<message><body>&custom;</body></message>"}) {
            parser = XmlStreamParser.stream(handler(() -> { }), 65536, 16);
            feed(HEADER);
            assertThatThrownBy(() -> feed(bad)).as(bad).isInstanceOf(StreamErrorException.class)
                    .extracting(e -> ((StreamErrorException) e).condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
        }
        parser = XmlStreamParser.stream(handler(() -> { }), 65536, 16);
        assertThatThrownBy(() -> feed("<?xml version='1.0'?><!DOCTYPE stream [<!ENTITY x 'y'>]>" + HEADER.substring(21)))
                .isInstanceOf(StreamErrorException.class)
                .extracting(e -> ((StreamErrorException) e).condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
    }

    @Test
    void illFormedXmlAndWrongNamespacesGetTheirConditions() throws Exception {
        expect(HEADER + "<message><body></message>", StreamErrorCondition.NOT_WELL_FORMED);
        expect(HEADER + "<message a='1' a='2'/>", StreamErrorCondition.NOT_WELL_FORMED);
        expect(HEADER + "<x:message/>", StreamErrorCondition.NOT_WELL_FORMED);
        expect("<stream:stream xmlns='jabber:client' xmlns:stream='urn:wrong'>", StreamErrorCondition.INVALID_NAMESPACE);
        expect("<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'>",
                StreamErrorCondition.INVALID_NAMESPACE);
        expect("<s:stream xmlns='jabber:client' xmlns:s='http://etherx.jabber.org/streams'>",
                StreamErrorCondition.BAD_NAMESPACE_PREFIX);
        expect("<?xml version='1.0' encoding='ISO-8859-1'?>" + HEADER.substring(21), StreamErrorCondition.UNSUPPORTED_ENCODING);
        expect(HEADER + "hello", StreamErrorCondition.BAD_FORMAT);
    }

    /** What the fuzz target found: ill-formed UTF-8 Aalto decodes anyway, NUL in text, whitespace in attributes. */
    @Test
    void illFormedUtf8AndControlCharactersAreRefusedAndWhitespaceRoundTrips() throws Exception {
        for (byte[] bad : new byte[][] {{(byte) 0xC0, (byte) 0x91}, {(byte) 0xF4, (byte) 0xBA, (byte) 0x91, (byte) 0x8B},
                {0}}) {
            parser = XmlStreamParser.stream(handler(() -> { }), 65536, 16);
            feed(HEADER + "<message><body>");
            assertThatThrownBy(() -> {
                parser.feed(bad, 0, bad.length);
                feed("</body></message>");
            }).isInstanceOf(StreamErrorException.class)
                    .extracting(e -> ((StreamErrorException) e).condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
        }
        XmlElement spaced = XmlElement.builder("message", "jabber:client").attr("id", "a\tb\nc\rd")
                .text("line\r\nnext\ttab").build();
        parser = XmlStreamParser.stream(handler(() -> { }), 65536, 16);
        feed(HEADER + spaced.toXml(XmlStreamParser.CLIENT_NS));
        assertThat(elements.get(0)).isEqualTo(spaced);
    }

    @Test
    void oversizedAndDeepElementsArePolicyViolations() throws Exception {
        parser = XmlStreamParser.stream(handler(() -> { }), 1000, 4);
        feed(HEADER + "<message><body>" + "x".repeat(900) + "</body></message>");
        assertThat(elements).hasSize(1);
        assertThatThrownBy(() -> feed("<message><body>" + "x".repeat(2000)))
                .isInstanceOf(StreamErrorException.class)
                .extracting(e -> ((StreamErrorException) e).condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);

        // a whole oversized element in one chunk
        parser = XmlStreamParser.stream(handler(() -> { }), 1000, 4);
        assertThatThrownBy(() -> feed(HEADER + "<message><body>" + "x".repeat(1200) + "</body></message>"))
                .isInstanceOf(StreamErrorException.class);

        // a slow sender: the limit holds across chunks
        parser = XmlStreamParser.stream(handler(() -> { }), 1000, 4);
        feed(HEADER + "<message><body>");
        assertThatThrownBy(() -> {
            for (int i = 0; i < 20; i++) {
                feed("x".repeat(100));
            }
        }).isInstanceOf(StreamErrorException.class);

        // many small stanzas in one large chunk are fine
        parser = XmlStreamParser.stream(handler(() -> { }), 1000, 4);
        feed(HEADER + "<presence/>".repeat(500));
        assertThat(elements).hasSize(501);

        parser = XmlStreamParser.stream(handler(() -> { }), 1000, 4);
        feed(HEADER + "<a><b><c><d/></c></b></a>");
        assertThatThrownBy(() -> feed("<a><b><c><d><e/></d></c></b></a>"))
                .isInstanceOf(StreamErrorException.class)
                .extracting(e -> ((StreamErrorException) e).condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    }

    @Test
    void aRestartHandsTheBytesAfterTheElementToTheNewStream() throws Exception {
        parser = XmlStreamParser.stream(handler(() -> {
            if (elements.get(elements.size() - 1).name().equals("auth")) {
                parser.restart();
            }
        }), 65536, 16);
        feed(HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHB3</auth>"
                + HEADER.replace("clinic.example", "second.example") + "<presence/>");
        assertThat(seen).containsExactly("open to=clinic.example version=1.0 lang=en",
                "auth urn:ietf:params:xml:ns:xmpp-sasl", "open to=second.example version=1.0 lang=en",
                "presence jabber:client");
    }

    @Test
    void framedMessagesAreOneElementEach() throws Exception {
        parser = XmlStreamParser.framed(handler(() -> { }), 65536, 16);
        feed("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='clinic.example' version='1.0'/>");
        parser.endOfMessage();
        feed("<message xmlns='jabber:client' to='bob@clinic.example'><body>hi</body></message>");
        parser.endOfMessage();
        assertThat(seen).containsExactly("open urn:ietf:params:xml:ns:xmpp-framing", "message jabber:client");
        feed("<message xmlns='jabber:client'><body>");
        assertThatThrownBy(parser::endOfMessage).isInstanceOf(StreamErrorException.class);
    }

    @Test
    void elementsSerialiseWithEscapingAndNamespaces() throws Exception {
        XmlElement message = XmlElement.builder("message", "jabber:client").attr("to", "bob@clinic.example")
                .attr("id", "a\"<b>&'").attr("xml:lang", "en")
                .add(XmlElement.builder("body", "jabber:client").text("x < y & \"z\"").build())
                .add(XmlElement.builder("request", "urn:xmpp:receipts").build()).build();
        String xml = message.toXml(XmlStreamParser.CLIENT_NS);
        assertThat(xml).isEqualTo("<message to=\"bob@clinic.example\" id=\"a&quot;&lt;b&gt;&amp;&apos;\" xml:lang=\"en\">"
                + "<body>x &lt; y &amp; \"z\"</body><request xmlns=\"urn:xmpp:receipts\"/></message>");
        parser = XmlStreamParser.stream(handler(() -> { }), 65536, 16);
        feed(HEADER + xml);
        assertThat(elements.get(0)).isEqualTo(message);
        assertThat(XmlElement.empty("features", XmlElement.STREAM_NS).toXml(XmlStreamParser.CLIENT_NS))
                .isEqualTo("<stream:features/>");
    }

    private void expect(String xml, StreamErrorCondition condition) {
        parser = XmlStreamParser.stream(handler(() -> { }), 65536, 16);
        assertThatThrownBy(() -> feed(xml)).as(xml).isInstanceOf(StreamErrorException.class)
                .extracting(e -> ((StreamErrorException) e).condition()).isEqualTo(condition);
    }
}
