package io.telesignal.server.xmpp;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A raw XMPP client over direct TLS for tests that need exact XML: it signs in with PLAIN, binds a resource, and reads
 * everything the server sends in the background, so a test can wait for a piece of XML.
 */
final class RawXmppClient implements AutoCloseable {
    private final Socket socket;
    private final StringBuffer received = new StringBuffer();
    private final Thread reader;

    private RawXmppClient(Socket socket) {
        this.socket = socket;
        this.reader = new Thread(this::read, "raw-xmpp-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects over direct TLS and opens the stream; nothing more. */
    static RawXmppClient opened(SSLContext trust, int directTlsPort) throws Exception {
        RawXmppClient client = new RawXmppClient(trust.getSocketFactory().createSocket("127.0.0.1", directTlsPort));
        client.send("<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams'>");
        client.await("</stream:features>");
        return client;
    }

    /** Connects to the components' listener (plain TCP) as the component of {@code domain}; the stream is open. */
    static RawXmppClient component(int port, String domain) throws Exception {
        RawXmppClient client = new RawXmppClient(new Socket("127.0.0.1", port));
        client.send("<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept'"
                + " xmlns:stream='http://etherx.jabber.org/streams' to='" + domain + "'>");
        client.await("<stream:stream");
        return client;
    }

    /** As above, and the handshake (XEP-0114) with {@code secret} done. */
    static RawXmppClient componentReady(int port, String domain, String secret) throws Exception {
        RawXmppClient client = component(port, domain);
        client.send("<handshake>" + handshake(client.streamId(), secret) + "</handshake>");
        client.await("<handshake/>");
        return client;
    }

    /** Enables stream management with resumption (XEP-0198); answers the resumption id the server gave. */
    String enableResumption() throws Exception {
        send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
        java.util.regex.Matcher enabled = java.util.regex.Pattern.compile("<enabled[^>]* id=\"([^\"]+)\"")
                .matcher(await("<enabled"));
        if (!enabled.find()) {
            throw new AssertionError("no resumption id: " + received);
        }
        return enabled.group(1);
    }

    /** The id of the stream the server opened. */
    String streamId() throws InterruptedException {
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("<stream:stream[^>]* id='([^']+)'")
                .matcher(await("<stream:stream"));
        if (!id.find()) {
            throw new AssertionError("no stream id: " + received);
        }
        return id.group(1);
    }

    /** XEP-0114 §3: the hex SHA-1 of the stream id and the secret. */
    static String handshake(String streamId, String secret) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                .digest((streamId + secret).getBytes(StandardCharsets.UTF_8)));
    }

    /** The certificate the server presented. */
    java.security.cert.X509Certificate serverCertificate() throws Exception {
        return (java.security.cert.X509Certificate) ((javax.net.ssl.SSLSocket) socket).getSession().getPeerCertificates()[0];
    }

    /** Connects over direct TLS and authenticates {@code login} with PLAIN; the new stream is open, nothing bound. */
    static RawXmppClient authenticated(SSLContext trust, int directTlsPort, String login, String password)
            throws Exception {
        RawXmppClient client = opened(trust, directTlsPort);
        client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + Base64.getEncoder()
                .encodeToString(("\0" + login + "\0" + password).getBytes(StandardCharsets.UTF_8)) + "</auth>");
        client.await("<success");
        client.send("<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams'>");
        client.awaitCount("</stream:features>", 2);
        return client;
    }

    /** Connects over direct TLS, signs in {@code login} with its device password and binds {@code resource}. */
    static RawXmppClient signedIn(SSLContext trust, int directTlsPort, String login, String password, String resource)
            throws Exception {
        return signedIn(trust, directTlsPort, login, password, resource, "<presence/>");
    }

    /** As above, with this initial presence (nothing when empty). */
    static RawXmppClient signedIn(SSLContext trust, int directTlsPort, String login, String password, String resource,
            String presence) throws Exception {
        RawXmppClient client = new RawXmppClient(trust.getSocketFactory().createSocket("127.0.0.1", directTlsPort));
        String header = "<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams'>";
        client.send(header);
        client.await("</stream:features>");
        client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + Base64.getEncoder()
                .encodeToString(("\0" + login + "\0" + password).getBytes(StandardCharsets.UTF_8)) + "</auth>");
        client.await("<success");
        client.send(header);
        client.awaitCount("</stream:features>", 2);
        client.send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
                + "</resource></bind></iq>");
        client.await("</jid>");
        if (!presence.isEmpty()) {
            client.send(presence);
        }
        return client;
    }

    void send(String xml) throws IOException {
        socket.getOutputStream().write(xml.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Waits until what was received contains {@code part}; answers everything received so far. */
    String await(String part) throws InterruptedException {
        return awaitCount(part, 1);
    }

    String awaitCount(String part, int times) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            String text = received.toString();
            int found = 0;
            for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
                found++;
            }
            if (found >= times) {
                return text;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not received within 10 s: " + part + "\nreceived: " + received);
    }

    String received() {
        return received.toString();
    }

    private void read() {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException closed) {
            // the test is over, or the server closed the stream
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
