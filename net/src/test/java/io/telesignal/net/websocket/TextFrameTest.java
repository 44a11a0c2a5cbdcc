package io.telesignal.net.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The frames the server writes itself are byte for byte what Netty's frame encoder writes, at every length class. */
class TextFrameTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 1023, 1024, 1025, 65535, 65536, 139264})
    void aTextFrameIsWhatTheEncoderWrites(int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        ByteBuf ours = WebSocketFrameHandler.textFrame(PooledByteBufAllocator.DEFAULT, payload);

        EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        encoder.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        ByteBuf netty = Unpooled.buffer();
        for (ByteBuf part; (part = encoder.readOutbound()) != null; ) {
            netty.writeBytes(part);
            part.release();
        }
        try {
            assertThat(ByteBufUtil.getBytes(ours)).isEqualTo(ByteBufUtil.getBytes(netty));
            assertThat(ours.readableBytes()).isEqualTo(length + (length < 126 ? 2 : length < 65536 ? 4 : 10));
        } finally {
            ours.release();
            netty.release();
            encoder.finishAndReleaseAll();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"signal\"}", "é ü ✓ 𝄞"})
    void theTextIsItsUtf8(String text) {
        ByteBuf ours = WebSocketFrameHandler.textFrame(PooledByteBufAllocator.DEFAULT,
                text.getBytes(StandardCharsets.UTF_8));
        try {
            assertThat(ours.getUnsignedByte(0)).isEqualTo((short) 0x81);
            assertThat(ours.toString(2, ours.readableBytes() - 2, StandardCharsets.UTF_8)).isEqualTo(text);
        } finally {
            ours.release();
        }
    }
}
