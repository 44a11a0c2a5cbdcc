package io.telesignal.bench.xmpp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One XMPP client connection as a mobile app makes it (RFC 6120): TCP, STARTTLS, SASL SCRAM-SHA-1, a new stream,
 * resource binding, an initial presence. Blocking I/O; the bench gives each connection a thread that reads it.
 */
final class XmppClient implements AutoCloseable {
    private static final SSLContext TRUST_ALL = trustAll();
    private final String domain;
    private Socket socket;
    private OutputStream out;
    private StanzaReader reader;
    private final Object writing = new Object();
    private String jid;

    private XmppClient(String domain) {
        this.domain = domain;
    }

    /** Connects and signs in; answers once the resource is bound and the initial presence sent. */
    static XmppClient signIn(InetSocketAddress server, String domain, String user, String password, String resource)
            throws IOException, GeneralSecurityException {
        XmppClient client = new XmppClient(domain);
        try {
            client.open(server, user, password, resource);
            return client;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private void open(InetSocketAddress server, String user, String password, String resource)
            throws IOException, GeneralSecurityException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server, 10_000);
        socket.setSoTimeout(30_000);
        out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        reader = new StanzaReader(socket.getInputStream());
        header();
        expect("<stream:features", "starttls");
        send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        expect("<proceed", null);
        SSLSocket tls = (SSLSocket) TRUST_ALL.getSocketFactory().createSocket(socket, server.getHostString(),
                server.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        out = new BufferedOutputStream(tls.getOutputStream(), 16 * 1024);
        reader = new StanzaReader(tls.getInputStream());
        header();
        expect("<stream:features", "SCRAM-SHA-1");
        Scram scram = new Scram(user, password);
        send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>" + scram.first() + "</auth>");
        String challenge = expect("<challenge", null);
        send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + scram.answer(text(challenge)) + "</response>");
        String success = expect("<success", null);
        if (!scram.verify(text(success))) {
            throw new GeneralSecurityException("the server's SCRAM signature does not verify");
        }
        reader.restart();
        header();
        expect("<stream:features", "bind");
        send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
                + "</resource></bind></iq>");
        String bound = expect("<iq", "bind");
        jid = text(bound.substring(bound.indexOf("<jid")));
        send("<presence/>");
    }

    private void header() throws IOException {
        send("<?xml version='1.0'?><stream:stream to='" + domain + "' version='1.0' xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams'>");
        String header = reader.next();
        if (!StanzaReader.HEADER.equals(header)) {
            throw new IOException("expected a stream header, got " + header);
        }
    }

    /** The next element, which must start with {@code start} (and hold {@code holding}); a failure says what came. */
    private String expect(String start, String holding) throws IOException {
        String element = reader.next();
        if (!element.startsWith(start) || (holding != null && !element.contains(holding))) {
            throw new IOException("expected " + start + (holding == null ? "" : " with " + holding) + ", got " + element);
        }
        return element;
    }

    /** The text content of a simple element. */
    static String text(String element) {
        int open = element.indexOf('>');
        int close = element.indexOf("</", open);
        return close < 0 ? "" : element.substring(open + 1, close).strip();
    }

    /** The bound full JID. */
    String jid() {
        return jid;
    }

    /** Writes and flushes, from any thread. */
    void send(String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        synchronized (writing) {
            out.write(bytes);
            out.flush();
        }
    }

    /** The next top-level element the server sent (blocking). */
    String next() throws IOException {
        return reader.next();
    }

    /** Stops reading: the reading thread's blocked read ends. */
    void timeoutReadsAfter(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                send("</stream:stream>");
            }
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closed
        }
    }

    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    // a bench client on loopback: both servers have self-signed certificates
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // as above
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
