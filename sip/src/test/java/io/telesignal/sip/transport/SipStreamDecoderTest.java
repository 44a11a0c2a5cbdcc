package io.telesignal.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.telesignal.sip.message.SipLimits;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.message.SipRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipStreamDecoderTest {
    private static final String HEAD = "MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h.example.com;branch=z9hG4bK1\r\n"
            + "Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\nFrom: <sip:alice@example.com>;tag=1\r\n"
            + "Call-ID: m1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\n";

    private final EmbeddedChannel channel = new EmbeddedChannel(new SipStreamDecoder(new SipParser(
            new SipLimits(4096, 64, 1024))));

    private static byte[] message(String body) {
        return (HEAD + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void messagesAreFramedByContentLengthWhateverTheChunks() {
        byte[] two = (new String(message("hello"), StandardCharsets.UTF_8) + new String(message("second one"),
                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < two.length; i += 7) {
            channel.writeInbound(Unpooled.wrappedBuffer(two, i, Math.min(7, two.length - i)));
        }
        SipRequest first = channel.readInbound();
        SipRequest second = channel.readInbound();
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(new String(second.body(), StandardCharsets.UTF_8)).isEqualTo("second one");
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void aDoubleCrlfIsAPingAndASingleOneIsNothing() {
        channel.writeInbound(Unpooled.copiedBuffer("\r\n\r\n", StandardCharsets.US_ASCII));
        assertThat((Object) channel.readInbound()).isEqualTo(SipStreamDecoder.Keepalive.PING);
        channel.writeInbound(Unpooled.copiedBuffer("\r\n", StandardCharsets.US_ASCII));
        channel.writeInbound(Unpooled.wrappedBuffer(message("x")));
        assertThat((Object) channel.readInbound()).isInstanceOf(SipRequest.class);
    }

    @Test
    void aMessageThatDoesNotParseIsRefusedAndTheNextOneStillComes() {
        String bad = HEAD.replace("CSeq: 1 MESSAGE", "CSeq: 1 INVITE") + "Content-Length: 0\r\n\r\n";
        channel.writeInbound(Unpooled.copiedBuffer(bad, StandardCharsets.UTF_8));
        channel.writeInbound(Unpooled.wrappedBuffer(message("ok")));
        SipStreamDecoder.Refused refused = channel.readInbound();
        assertThat(refused.reason().status()).isEqualTo(400);
        assertThat((Object) channel.readInbound()).isInstanceOf(SipRequest.class);
    }

    @Test
    void withoutContentLengthOrOverTheLimitTheStreamIsClosed() {
        channel.writeInbound(Unpooled.copiedBuffer(HEAD + "\r\nbody", StandardCharsets.UTF_8));
        SipStreamDecoder.Refused refused = channel.readInbound();
        assertThat(refused.reason().reason()).contains("Content-Length");
        assertThat(channel.isOpen()).isFalse();

        EmbeddedChannel other = new EmbeddedChannel(new SipStreamDecoder(new SipParser(new SipLimits(4096, 64, 1024))));
        other.writeInbound(Unpooled.copiedBuffer(HEAD + "Content-Length: 100000\r\n\r\n", StandardCharsets.UTF_8));
        SipStreamDecoder.Unframeable tooLarge = other.readInbound();
        assertThat(tooLarge.reason().status()).isEqualTo(513);
        assertThat(other.isOpen()).isFalse();

        EmbeddedChannel endless = new EmbeddedChannel(new SipStreamDecoder(new SipParser(new SipLimits(4096, 64, 1024))));
        endless.writeInbound(Unpooled.copiedBuffer(HEAD + "X: " + "y".repeat(5000), StandardCharsets.UTF_8));
        SipStreamDecoder.Unframeable noEnd = endless.readInbound();
        assertThat(noEnd.reason().status()).isEqualTo(513);
    }
}
