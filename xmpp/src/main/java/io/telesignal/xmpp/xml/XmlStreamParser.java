package io.telesignal.xmpp.xml;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/**
 * Non-blocking XMPP stream parsing on Aalto's async parser (RFC 6120 §11): bytes in as they arrive, and out the stream
 * header, each top-level element (a stanza or a nonza) once complete, and the stream's end.
 *
 * <p>Restricted XML (§11.1): a DTD, a comment, a processing instruction or an entity reference other than the five
 * predefined ones ends the stream {@code restricted-xml}; ill-formed XML {@code not-well-formed}; an encoding other than
 * UTF-8 {@code unsupported-encoding}; a top-level element larger than {@code maxElementBytes}, or nested deeper than
 * {@code maxDepth}, {@code policy-violation}.
 *
 * <p>Two modes. A TCP stream ({@link #stream}) has a {@code <stream:stream>} root: its opening is the header, its
 * children the elements, its close the end; {@link #restart} starts a new stream after the current element (STARTTLS,
 * SASL success), and any bytes already fed past that element go to the new stream. A WebSocket connection
 * ({@link #framed}, RFC 7395) has one complete element per message, each its own document.
 *
 * <p>Not thread-safe: one per connection, used on its event loop.
 */
public final class XmlStreamParser {
    public static final String CLIENT_NS = "jabber:client";

    /** What the parser found. */
    public interface Handler {
        /** The stream header (stream mode): a {@code stream} element in the stream namespace, without children. */
        void streamOpened(XmlElement header) throws StreamErrorException;

        /** A complete top-level element. */
        void element(XmlElement element) throws StreamErrorException;

        /** The peer's {@code </stream:stream>} (stream mode). */
        void streamClosed() throws StreamErrorException;
    }

    private static final AsyncXMLInputFactory FACTORY = factory();
    private static final byte[] DOCTYPE = "<!DOCTYPE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Handler handler;
    private final boolean framed;
    private final int maxElementBytes;
    private final int maxDepth;
    private AsyncXMLStreamReader<AsyncByteArrayFeeder> reader;
    /** Bytes fed to the current reader before the chunk being parsed. */
    private long fedBefore;
    /** Where, in the current reader's input, the last top-level element began or ended. */
    private long boundary;
    private final Deque<XmlElement.Builder> open = new ArrayDeque<>();
    private int depth;
    private boolean restartRequested;
    private boolean feeding;
    /** Where, in the current reader's input, the top-level element being read began. */
    private long elementStart;
    private boolean closed;

    /** The stream's content namespace: {@code jabber:client}, or {@code jabber:component:accept} (XEP-0114). */
    private final String content;

    private XmlStreamParser(Handler handler, boolean framed, int maxElementBytes, int maxDepth, String content) {
        this.content = content;
        this.handler = handler;
        this.framed = framed;
        this.maxElementBytes = maxElementBytes;
        this.maxDepth = maxDepth;
        reset();
    }

    /** A parser for a TCP stream, {@code <stream:stream>} and its children. */
    public static XmlStreamParser stream(Handler handler, int maxElementBytes, int maxDepth) {
        return new XmlStreamParser(handler, false, maxElementBytes, maxDepth, CLIENT_NS);
    }

    /** A parser for a TCP stream whose content namespace is {@code content} (an external component's, XEP-0114). */
    public static XmlStreamParser stream(Handler handler, int maxElementBytes, int maxDepth, String content) {
        return new XmlStreamParser(handler, false, maxElementBytes, maxDepth, content);
    }

    /** A parser for RFC 7395 messages: feed one WebSocket message, then call {@link #endOfMessage()}. */
    public static XmlStreamParser framed(Handler handler, int maxElementBytes, int maxDepth) {
        return new XmlStreamParser(handler, true, maxElementBytes, maxDepth, CLIENT_NS);
    }

    private static AsyncXMLInputFactory factory() {
        AsyncXMLInputFactory factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        return factory;
    }

    /**
     * One complete element from {@code xml} (an element this server wrote, read back), within the given limits.
     *
     * @throws StreamErrorException it is not one well-formed element
     */
    public static XmlElement parseElement(String xml, int maxBytes, int maxDepth) throws StreamErrorException {
        java.util.List<XmlElement> parsed = new java.util.ArrayList<>(1);
        XmlStreamParser parser = framed(new Handler() {
            @Override
            public void streamOpened(XmlElement header) { }

            @Override
            public void element(XmlElement element) {
                parsed.add(element);
            }

            @Override
            public void streamClosed() { }
        }, maxBytes, maxDepth);
        byte[] bytes = xml.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
        parser.endOfMessage();
        if (parsed.size() != 1) {
            throw new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED, "not one element");
        }
        return parsed.get(0);
    }

    /**
     * Starts a new stream (stream mode): after the element being handled when called from {@link Handler#element},
     * at once otherwise (a SASL success answered after work on another thread).
     */
    public void restart() {
        if (feeding) {
            restartRequested = true;
        } else {
            reset();
        }
    }

    private void reset() {
        reader = FACTORY.createAsyncForByteArray();
        fedBefore = 0;
        boundary = 0;
        open.clear();
        depth = 0;
        restartRequested = false;
    }

    /** Parses {@code length} more bytes; the array is not kept. */
    public void feed(byte[] data, int offset, int length) throws StreamErrorException {
        if (closed) {
            return;
        }
        feeding = true;
        try {
            feedAll(data, offset, length);
        } finally {
            feeding = false;
        }
    }

    private void feedAll(byte[] data, int offset, int length) throws StreamErrorException {
        int position = offset;
        int remaining = length;
        while (remaining > 0 && !closed) {
            if (depth == 0 && contains(data, position, remaining, DOCTYPE)) {
                // Aalto fails on an internal subset as ill-formed; a DTD in any form is restricted XML
                throw new StreamErrorException(StreamErrorCondition.RESTRICTED_XML, "DTDs are not allowed");
            }
            try {
                reader.getInputFeeder().feedInput(data, position, remaining);
            } catch (XMLStreamException e) {
                throw new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED, "not well-formed");
            }
            long chunkStart = fedBefore;
            fedBefore += remaining;
            long consumedTo = drain();
            if (consumedTo < 0) {
                // the whole chunk is the current stream's: what is not parsed yet belongs to one element at most
                if (!closed && fedBefore - boundary > maxElementBytes) {
                    throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
                            "element larger than " + maxElementBytes + " bytes");
                }
                return;
            }
            // a restart: the rest of the chunk is the new stream's
            int used = (int) (consumedTo - chunkStart);
            position += used;
            remaining -= used;
            reset();
        }
    }

    /** The end of one WebSocket message (framed mode): it must have held exactly one complete element. */
    public void endOfMessage() throws StreamErrorException {
        if (depth != 0 || !open.isEmpty()) {
            throw new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED, "incomplete element in message");
        }
        reset();
    }

    /**
     * Handles every event available. Answers -1, or when a restart was requested, the offset in this reader's input
     * just past the element that requested it.
     */
    private long drain() throws StreamErrorException {
        try {
            int event;
            while ((event = reader.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                switch (event) {
                    case XMLStreamConstants.START_DOCUMENT -> {
                        String encoding = reader.getCharacterEncodingScheme();
                        if (encoding != null && !encoding.equalsIgnoreCase("UTF-8")) {
                            throw new StreamErrorException(StreamErrorCondition.UNSUPPORTED_ENCODING, "UTF-8 only");
                        }
                    }
                    case XMLStreamConstants.START_ELEMENT -> startElement();
                    case XMLStreamConstants.END_ELEMENT -> {
                        if (endElement()) {
                            return reader.getLocationInfo().getEndingByteOffset();
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> text();
                    case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION, XMLStreamConstants.DTD,
                            XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION,
                            XMLStreamConstants.NOTATION_DECLARATION ->
                        throw new StreamErrorException(StreamErrorCondition.RESTRICTED_XML,
                                "comments, processing instructions, DTDs and entities are not allowed");
                    case XMLStreamConstants.END_DOCUMENT -> {
                        closed = true;
                        return -1;
                    }
                    default -> { }
                }
            }
            return -1;
        } catch (RuntimeException e) {
            // Aalto reports some errors found lazily (reading an event's text) as unchecked wrappers
            if (e.getCause() instanceof XMLStreamException) {
                throw new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED, "not well-formed");
            }
            throw e;
        } catch (XMLStreamException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("entity") || message.contains("Entity")) {
                throw new StreamErrorException(StreamErrorCondition.RESTRICTED_XML, "entities are not allowed");
            }
            throw new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED, "not well-formed");
        }
    }

    private void startElement() throws StreamErrorException, XMLStreamException {
        String namespace = nonNull(reader.getNamespaceURI());
        String name = reader.getLocalName();
        if (depth == 0 && !framed) {
            if (!name.equals("stream") || !namespace.equals(XmlElement.STREAM_NS)) {
                throw new StreamErrorException(StreamErrorCondition.INVALID_NAMESPACE,
                        "the root must be stream in " + XmlElement.STREAM_NS);
            }
            if (!"stream".equals(reader.getPrefix())) {
                throw new StreamErrorException(StreamErrorCondition.BAD_NAMESPACE_PREFIX, "the stream prefix must be stream");
            }
            String declared = nonNull(reader.getNamespaceContext().getNamespaceURI(XMLConstants.DEFAULT_NS_PREFIX));
            if (!declared.equals(content)) {
                throw new StreamErrorException(StreamErrorCondition.INVALID_NAMESPACE, "the content namespace must be " + content);
            }
            depth = 1;
            handler.streamOpened(attributes(XmlElement.builder(name, namespace)).build());
            boundary = reader.getLocationInfo().getEndingByteOffset();
            return;
        }
        if (depth >= maxDepth + (framed ? 0 : 1)) {
            throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "elements nested deeper than " + maxDepth);
        }
        if (open.isEmpty()) {
            boundary = reader.getLocationInfo().getStartingByteOffset();
            elementStart = boundary;
        }
        depth++;
        open.push(attributes(XmlElement.builder(name, namespace)));
    }

    /**
     * Refuses what Aalto lets through from ill-formed UTF-8 (a sequence above U+10FFFF decodes to a lone surrogate,
     * an overlong one to a control character) and the characters XML 1.0 excludes: none could be written back.
     */
    private static String checked(String text) throws StreamErrorException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF'
                    || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
                throw new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED, "not well-formed");
            }
        }
        return text;
    }

    private XmlElement.Builder attributes(XmlElement.Builder builder) throws StreamErrorException {
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            String namespace = nonNull(reader.getAttributeNamespace(i));
            String local = reader.getAttributeLocalName(i);
            String key = namespace.isEmpty() ? local
                    : namespace.equals(XMLConstants.XML_NS_URI) ? "xml:" + local : "{" + namespace + "}" + local;
            builder.attr(key, checked(reader.getAttributeValue(i)));
        }
        return builder;
    }

    /** Answers true when a restart is to happen now. */
    private boolean endElement() throws StreamErrorException, XMLStreamException {
        if (open.isEmpty()) {
            // the stream's own end
            depth = 0;
            closed = true;
            handler.streamClosed();
            return false;
        }
        XmlElement element = open.pop().build();
        depth--;
        if (!open.isEmpty()) {
            open.peek().add(element);
            return false;
        }
        boundary = reader.getLocationInfo().getEndingByteOffset();
        if (boundary - elementStart > maxElementBytes) {
            throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
                    "element larger than " + maxElementBytes + " bytes");
        }
        handler.element(element);
        return restartRequested && !framed;
    }

    private void text() throws StreamErrorException {
        String text = checked(reader.getText());
        if (open.isEmpty()) {
            if (!text.isBlank()) {
                throw new StreamErrorException(StreamErrorCondition.BAD_FORMAT, "text outside a stanza");
            }
            return; // whitespace keepalives between stanzas
        }
        open.peek().text(text);
    }

    /** True once the peer's stream (or, framed, nothing) has ended. */
    public boolean closed() {
        return closed;
    }

    private static boolean contains(byte[] data, int offset, int length, byte[] what) {
        outer:
        for (int i = offset; i <= offset + length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
