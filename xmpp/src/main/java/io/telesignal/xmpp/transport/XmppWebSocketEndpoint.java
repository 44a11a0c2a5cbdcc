package io.telesignal.xmpp.transport;

import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.websocket.WebSocketConnection;
import io.telesignal.net.websocket.WebSocketEndpoint;
import io.telesignal.net.websocket.WebSocketHandler;
import io.telesignal.xmpp.stream.C2sSession;
import io.telesignal.xmpp.stream.Link;
import io.telesignal.xmpp.xml.StreamErrorCondition;
import io.telesignal.xmpp.xml.StreamErrorException;
import io.telesignal.xmpp.xml.XmlElement;
import io.telesignal.xmpp.xml.XmlStreamParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XMPP over WebSocket at {@code /xmpp} (RFC 7395), subprotocol {@code xmpp}: each message is one complete element,
 * the stream opens and closes with {@code <open/>} and {@code <close/>} in the framing namespace, and every stanza
 * carries its namespace. TLS is the HTTPS listener's (WSS); there is no STARTTLS. The same {@link C2sSession} as on
 * TCP behind it.
 */
public final class XmppWebSocketEndpoint implements WebSocketEndpoint {
    public static final String FRAMING_NS = "urn:ietf:params:xml:ns:xmpp-framing";
    private static final Logger LOG = LoggerFactory.getLogger(XmppWebSocketEndpoint.class);

    private final C2sSession.Context context;
    private final boolean secure;

    /** {@code secure}: whether the HTTP listener speaks TLS (then PLAIN may be offered). */
    public XmppWebSocketEndpoint(C2sSession.Context context, boolean secure) {
        this.context = context;
        this.secure = secure;
    }

    @Override
    public WebSocketHandler open(WebSocketConnection connection, HttpRequest upgrade) {
        return new Connection(connection, upgrade.remoteAddress());
    }

    private final class Connection implements WebSocketHandler, Link, XmlStreamParser.Handler {
        private final WebSocketConnection connection;
        private final InetSocketAddress remote;
        private volatile C2sSession session;
        private final XmlStreamParser parser;
        private boolean closed;

        Connection(WebSocketConnection connection, InetSocketAddress remote) {
            this.connection = connection;
            this.remote = remote;
            this.session = new C2sSession(context, this);
            this.parser = XmlStreamParser.framed(this, context.settings().maxStanzaBytes(), context.settings().maxDepth());
        }

        @Override
        public void onText(String text) {
            if (closed) {
                return;
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            try {
                parser.feed(bytes, 0, bytes.length);
                parser.endOfMessage();
            } catch (StreamErrorException e) {
                session.run(connection.eventLoop(), s -> s.fail(e));
            } catch (RuntimeException e) {
                LOG.warn("event=xmpp_failure door=xmpp-ws error={}", e.getClass().getSimpleName(), e);
                session.run(connection.eventLoop(), s -> s.fail(new StreamErrorException(
                        StreamErrorCondition.INTERNAL_SERVER_ERROR, "internal error")));
            }
        }

        @Override
        public void onClose(int code) {
            closed = true;
            session.run(connection.eventLoop(), s -> s.transportClosed(this));
        }

        @Override
        public void handOver(C2sSession resumed) {
            session = resumed;
        }

        // ---- framing (RFC 7395 §3.3 to §3.6)

        @Override
        public void streamOpened(XmlElement header) {
            // the framed parser has no stream root: <open/> comes as an element
        }

        @Override
        public void element(XmlElement element) throws StreamErrorException {
            if (element.namespace().equals(XmlElement.STREAM_NS)
                    || (element.namespace().equals(FRAMING_NS) && !element.is("open", FRAMING_NS)
                    && !element.is("close", FRAMING_NS))) {
                throw new StreamErrorException(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, "not a framing element");
            }
            C2sSession.Call call = element.is("open", FRAMING_NS) ? s -> s.streamOpened(element)
                    : element.is("close", FRAMING_NS) ? C2sSession::streamClosed : s -> s.element(element);
            session.run(connection.eventLoop(), call);
        }

        @Override
        public void streamClosed() {
            // no stream root in framed mode
        }

        // ---- Link

        @Override
        public void openStream(String id, String domain) {
            connection.send("<open xmlns=\"" + FRAMING_NS + "\" id=\"" + id + "\" from=\"" + XmlElement.escape(domain)
                    + "\" version=\"1.0\" xml:lang=\"en\"/>");
        }

        @Override
        public void send(XmlElement element) {
            connection.send(element.toXml());
        }

        @Override
        public void sendSerialized(String xml) {
            connection.send(xml);
        }

        @Override
        public void closeStream() {
            if (!closed) {
                closed = true;
                connection.send("<close xmlns=\"" + FRAMING_NS + "\"/>");
                connection.close(1000, "");
            }
        }

        @Override
        public boolean secure() {
            return secure;
        }

        @Override
        public boolean canStartTls() {
            return false;
        }

        @Override
        public void startTls() {
            throw new UnsupportedOperationException("no STARTTLS over WebSocket");
        }

        @Override
        public void restartStream() {
            // RFC 7395 §3.5: the client opens the new stream with another <open/>; each message parses on its own
        }

        @Override
        public String remoteAddress() {
            return remote == null ? "" : remote.getAddress().getHostAddress();
        }

        @Override
        public ScheduledExecutorService loop() {
            return connection.eventLoop();
        }
    }
}
