package io.telesignal.server.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.server.testing.Cli;
import io.telesignal.server.testing.Ports;
import io.telesignal.server.testing.ServerProcess;
import io.telesignal.server.testing.Sipp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over WebSocket (RFC 7118) on the packaged server: a browser-like client registers over {@code /sip} with its
 * device password, a sipp phone on UDP calls it through the proxy (forwarding between transports: two Record-Routes,
 * one per transport), the ACK and BYE reach the WebSocket along the route set; once the WebSocket has closed, a call
 * to its binding fails 430 Flow Failed.
 */
class SipWebSocketIT {
    private static final Path SCENARIOS = Path.of("src/test/resources/sipp").toAbsolutePath();

    @TempDir
    Path dataDir;

    @Test
    void aWebSocketPhoneRegistersAndIsCalledFromUdp() throws Exception {
        Sipp.require("SipWebSocketIT");
        Cli.addUser(dataDir, "alice");
        Cli.addUser(dataDir, "bob");
        String alicePassword = Cli.devicePassword(dataDir, "alice");
        String bobPassword = Cli.devicePassword(dataDir, "bob");
        int port = Ports.free();
        int httpPort = Ports.free();
        Map<String, String> env = Sipp.serverEnv(port, httpPort, "MD5,SHA-256");
        try (ServerProcess server = ServerProcess.start(env, "serve", "--data-dir", dataDir.toString())) {
            assertThat(server.awaitLine(line -> line.contains("event=server_started"), Duration.ofSeconds(60)))
                    .contains("ws:/sip");
            Browser browser = new Browser(httpPort);
            // REGISTER, challenged, then with the device password (RFC 7118 §5: Via WS, a Contact that cannot be reached)
            String register = "REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKreg1\r\n"
                    + "Max-Forwards: 70\r\nTo: <sip:alice@127.0.0.1>\r\nFrom: <sip:alice@127.0.0.1>;tag=ws1\r\n"
                    + "Call-ID: ws-reg\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@df7jal23ls0d.invalid;transport=ws>\r\n"
                    + "Expires: 600\r\nContent-Length: 0\r\n\r\n";
            browser.send(register);
            String challenge = browser.next("SIP/2.0 401");
            String nonce = group(challenge, "nonce=\"([^\"]+)\"");
            String ha1 = md5("alice:telesignal:" + alicePassword);
            String response = md5(ha1 + ":" + nonce + ":00000001:c1:auth:" + md5("REGISTER:sip:127.0.0.1"));
            browser.send(register.replace("branch=z9hG4bKreg1", "branch=z9hG4bKreg2").replace("CSeq: 1", "CSeq: 2")
                    .replace("Expires: 600\r\n", "Expires: 600\r\nAuthorization: Digest username=\"alice\", realm=\"telesignal\", nonce=\""
                            + nonce + "\", uri=\"sip:127.0.0.1\", response=\"" + response
                            + "\", algorithm=MD5, cnonce=\"c1\", qop=auth, nc=00000001\r\n"));
            assertThat(browser.next("SIP/2.0 200")).contains("df7jal23ls0d.invalid");

            // bob on UDP calls alice, who answers on the WebSocket
            Sipp.Running caller = Sipp.start(SCENARIOS.resolve("uac-call.xml"), "u1", port, Ports.free(), 1,
                    dataDir.resolve("sipp-call"), List.of("-s", "alice", "-au", "bob", "-ap", bobPassword, "-auth_uri",
                            "alice@127.0.0.1:" + port, "-key", "caller", "bob"));
            String invite = browser.next("INVITE ");
            assertThat(invite).startsWith("INVITE sip:alice@df7jal23ls0d.invalid;transport=ws SIP/2.0")
                    .contains("Via: SIP/2.0/WS 127.0.0.1:" + httpPort);
            List<String> recordRoutes = headers(invite, "Record-Route");
            assertThat(recordRoutes).as("UDP in, WebSocket out: one Record-Route each (RFC 5658)").hasSize(2);
            assertThat(recordRoutes.get(0)).contains("transport=ws");
            browser.send(answer(invite, "180 Ringing", ""));
            browser.send(answer(invite, "200 OK", "Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>\r\n"));
            assertThat(browser.next("ACK ")).startsWith("ACK sip:alice@df7jal23ls0d.invalid;transport=ws");
            String bye = browser.next("BYE ");
            browser.send(answer(bye, "200 OK", ""));
            Sipp.Result called = caller.await();
            assertThat(called.exit()).as(called.output()).isZero();

            // a message may come in a binary frame (RFC 7118 §5); a bad one is answered as over any transport
            String options = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKopt1\r\n"
                    + "Max-Forwards: 70\r\nTo: <sip:127.0.0.1>\r\nFrom: <sip:alice@127.0.0.1>;tag=o1\r\nCall-ID: ws-opt\r\n"
                    + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            browser.sendBinary(options);
            assertThat(browser.next("SIP/2.0 200")).contains("CSeq: 1 OPTIONS");
            browser.send(options.replace("z9hG4bKopt1", "z9hG4bKopt2").replace("OPTIONS sip:127.0.0.1 SIP/2.0",
                    "OPTIONS sip:127.0.0.1 SIP/7.0"));
            assertThat(browser.next("SIP/2.0 505")).contains("z9hG4bKopt2");

            // the browser goes away; its binding stays, but only its WebSocket reached it: 430
            browser.close();
            Path flowFailed = dataDir.resolve("flow-failed.xml");
            Files.writeString(flowFailed, Files.readString(SCENARIOS.resolve("unavailable.xml"))
                    .replace("response=\"480\"", "response=\"430\""));
            Sipp.Result failed = Sipp.run(flowFailed, "u1", port, 1, dataDir.resolve("sipp-430"), List.of("-s", "alice"));
            assertThat(failed.exit()).as(failed.output()).isZero();
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    /** A UAS's response to {@code request}: its Vias, From, To (tagged), Call-ID, CSeq and Record-Routes. */
    private static String answer(String request, String status, String extra) {
        StringBuilder out = new StringBuilder("SIP/2.0 " + status + "\r\n");
        for (String via : headers(request, "Via")) {
            out.append("Via: ").append(via).append("\r\n");
        }
        String to = headers(request, "To").get(0);
        out.append("To: ").append(to).append(to.contains("tag=") ? "" : ";tag=wsanswer").append("\r\n")
                .append("From: ").append(headers(request, "From").get(0)).append("\r\n")
                .append("Call-ID: ").append(headers(request, "Call-ID").get(0)).append("\r\n")
                .append("CSeq: ").append(headers(request, "CSeq").get(0)).append("\r\n");
        for (String rr : headers(request, "Record-Route")) {
            out.append("Record-Route: ").append(rr).append("\r\n");
        }
        return out.append(extra).append("Content-Length: 0\r\n\r\n").toString();
    }

    private static List<String> headers(String message, String name) {
        return message.lines().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(l -> l.substring(name.length() + 1).strip()).toList();
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A WebSocket client that speaks SIP as a browser library does: one message per text frame. */
    private static final class Browser implements WebSocket.Listener {
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;

        Browser(int httpPort) throws Exception {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("sip")
                    .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/sip"), this).get(10, TimeUnit.SECONDS);
            assertThat(socket.getSubprotocol()).isEqualTo("sip");
        }

        void send(String message) throws Exception {
            socket.sendText(message, true).get(5, TimeUnit.SECONDS);
        }

        /** The next message that starts with {@code start}, skipping others (100 Trying). */
        String next(String start) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < until) {
                String message = received.poll(1, TimeUnit.SECONDS);
                if (message != null && message.startsWith(start)) {
                    return message;
                }
            }
            throw new AssertionError("no message starting with " + start);
        }

        void sendBinary(String message) throws Exception {
            socket.sendBinary(java.nio.ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), true)
                    .get(5, TimeUnit.SECONDS);
        }

        void close() throws Exception {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            Thread.sleep(500);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
