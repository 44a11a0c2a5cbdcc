package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.net.tls.TlsContexts;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.jivesoftware.smackx.httpfileupload.HttpFileUploadManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP file upload (XEP-0363) as clients use it: Smack's upload manager finds the service, gets a slot and puts a file,
 * which is then read back over HTTPS; on raw streams and HTTP, every refusal: a file too large, a bad name, a full
 * quota, a PUT without the slot's secret, of another size, twice or too large, and a GET of a file that is not there.
 */
class XmppUploadTest {
    private static final int MAX = 64 * 1024;
    private static final Pattern PUT = Pattern.compile("<put url=\"([^\"]+)\"><header name=\"Authorization\">([^<]+)</header>");

    @TempDir
    Path dir;
    private TelesignalServer server;
    private SSLContext trust;
    private HttpClient http;
    private String alicePassword;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1", "xmpp.upload.maxFileSize", Integer.toString(MAX), "xmpp.upload.quota",
                Integer.toString(2 * MAX));
        alicePassword = XmppTests.device(server, "alice");
        trust = TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
        http = HttpClient.newBuilder().sslContext(trust).build();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private int port() {
        return server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort();
    }

    @Test
    void smacksUploadManagerPutsAFileAndItIsServedBack() throws Exception {
        var alice = XmppTests.smack(server, XmppSmackTest.trustManager(dir), "alice", alicePassword, "laptop");
        try {
            HttpFileUploadManager uploads = HttpFileUploadManager.getInstanceFor(alice);
            uploads.setTlsContext(trust);
            assertThat(uploads.discoverUploadService()).isTrue();
            assertThat(uploads.getDefaultUploadService().getAddress().toString()).isEqualTo("upload.localhost");
            assertThat(uploads.getDefaultUploadService().getMaxFileSize()).isEqualTo(MAX);

            byte[] scan = new byte[40_000];
            new java.util.Random(7).nextBytes(scan);
            Path file = Files.write(dir.resolve("wound photo.jpg"), scan);
            java.net.URL url = uploads.uploadFile(file.toFile());
            // the test server's HTTP listener is plain (LoopbackServer); with http.tls the address is https
            assertThat(url.toString()).matches("http://localhost:\\d+/upload/[A-Za-z0-9_-]{32}/wound%20photo\\.jpg");

            HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(url.toURI()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo(scan);
            assertThat(got.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/jpeg"));
            assertThat(got.headers().firstValue("content-security-policy")).contains("default-src 'none'; sandbox");
            assertThat(got.headers().firstValue("x-content-type-options")).contains("nosniff");
            assertThat(got.headers().firstValue("content-disposition")).contains("inline; filename*=UTF-8''wound%20photo.jpg");
            assertThat(got.headers().firstValue("cache-control")).contains("private, no-store");
        } finally {
            alice.disconnect();
        }
    }

    /** A slot from a raw stream: its PUT address and Authorization value. */
    private static String[] slot(RawXmppClient client, String id, String name, int size, String type) throws Exception {
        client.send("<iq type='get' to='upload.localhost' id='" + id + "'><request xmlns='urn:xmpp:http:upload:0'"
                + " filename='" + name + "' size='" + size + "'" + (type == null ? "" : " content-type='" + type + "'")
                + "/></iq>");
        String text = client.await("id=\"" + id + "\"");
        Thread.sleep(100);
        Matcher put = PUT.matcher(client.received().substring(text.lastIndexOf("<iq", text.indexOf("id=\"" + id + "\""))));
        assertThat(put.find()).as(client.received()).isTrue();
        return new String[] {put.group(1), put.group(2)};
    }

    private HttpResponse<String> put(String url, String authorization, byte[] body, String type) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (type != null) {
            request.header("Content-Type", type);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void slotsAreRefusedPastTheSizeTheQuotaOrWithABadName() throws Exception {
        try (RawXmppClient alice = RawXmppClient.signedIn(trust, port(), "alice", alicePassword, "phone")) {
            alice.send("<iq type='get' to='localhost' id='items'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
            assertThat(alice.await("id=\"items\"")).contains("jid=\"upload.localhost\"");

            alice.send("<iq type='get' to='upload.localhost' id='big'><request xmlns='urn:xmpp:http:upload:0'"
                    + " filename='scan.pdf' size='" + (MAX + 1) + "'/></iq>");
            String big = alice.await("</iq>");
            alice.await("<max-file-size");
            assertThat(alice.received()).contains("<not-acceptable", "<file-too-large xmlns=\"urn:xmpp:http:upload:0\">"
                    + "<max-file-size>" + MAX + "</max-file-size></file-too-large>");
            assertThat(big).isNotNull();

            for (String name : new String[] {"../etc/passwd", "", "a\\b"}) {
                alice.send("<iq type='get' to='upload.localhost' id='name'><request xmlns='urn:xmpp:http:upload:0'"
                        + " filename='" + name + "' size='10'/></iq>");
                assertThat(alice.await("<bad-request")).isNotNull();
                alice.send("<iq type='get' to='localhost' id='sync'><ping xmlns='urn:xmpp:ping'/></iq>");
                alice.await("id=\"sync\"");
            }
            alice.send("<iq type='get' to='upload.localhost' id='type'><request xmlns='urn:xmpp:http:upload:0'"
                    + " filename='x.txt' size='10' content-type='not a type'/></iq>");
            assertThat(alice.awaitCount("<bad-request", 4)).isNotNull();

            // the quota is two of the largest files: a third slot waits until one is purged or lapses
            slot(alice, "q1", "a.bin", MAX, null);
            slot(alice, "q2", "b.bin", MAX, null);
            alice.send("<iq type='get' to='upload.localhost' id='q3'><request xmlns='urn:xmpp:http:upload:0'"
                    + " filename='c.bin' size='1'/></iq>");
            assertThat(alice.await("<resource-constraint")).isNotNull();
        }
    }

    @Test
    void aPutNeedsTheSlotsSecretSizeAndTypeAndHappensOnce() throws Exception {
        try (RawXmppClient alice = RawXmppClient.signedIn(trust, port(), "alice", alicePassword, "phone")) {
            String[] slot = slot(alice, "s1", "notes.txt", 5, "text/plain");
            byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);

            assertThat(put(slot[0], null, body, "text/plain").statusCode()).isEqualTo(403);
            assertThat(put(slot[0], "Bearer not-the-secret", body, "text/plain").statusCode()).isEqualTo(403);
            assertThat(put(slot[0].replace("notes.txt", "other.txt"), slot[1], body, "text/plain").statusCode())
                    .isEqualTo(403);
            assertThat(put(slot[0], slot[1], "hell".getBytes(StandardCharsets.US_ASCII), "text/plain").statusCode())
                    .isEqualTo(400);
            assertThat(put(slot[0], slot[1], body, "image/png").statusCode()).isEqualTo(400);
            assertThat(put(slot[0], slot[1], body, null).statusCode()).as("the slot asked for text/plain").isEqualTo(400);
            // without a length (chunked): refused before the body is read
            assertThat(http.send(HttpRequest.newBuilder(URI.create(slot[0])).header("Authorization", slot[1])
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(411);
            // a secret signed for another slot
            String[] third = slot(alice, "s3", "notes.txt", 5, "text/plain");
            assertThat(put(slot[0], third[1], body, "text/plain").statusCode()).isEqualTo(403);
            // nothing was stored yet
            assertThat(http.send(HttpRequest.newBuilder(URI.create(slot[0])).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(404);

            HttpResponse<String> stored = put(slot[0], slot[1], body, "text/plain; charset=utf-8");
            assertThat(stored.statusCode()).isEqualTo(201);
            assertThat(stored.headers().firstValue("access-control-allow-origin")).contains("*");
            assertThat(put(slot[0], slot[1], body, "text/plain").statusCode()).isEqualTo(409);

            HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(slot[0])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo("hello");
            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(slot[0]))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("content-length")).contains("5");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(slot[0].replace("notes.txt", "guess.txt"))).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            String base = slot[0].substring(0, slot[0].indexOf("/upload/") + "/upload/".length());
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "no-such-slot/notes.txt")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

            // a browser's preflight
            HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(slot[0]))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(
                    m -> assertThat(m).contains("PUT"));
            assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValueSatisfying(
                    h -> assertThat(h).contains("Authorization"));

            // larger than any slot may be: refused before the body is read
            String[] other = slot(alice, "s2", "big.bin", MAX, null);
            assertThat(put(other[0], other[1], new byte[MAX + 1], null).statusCode()).isEqualTo(413);
            assertThat(put(other[0], other[1], new byte[MAX], null).statusCode()).isEqualTo(201);
        }
    }
}
