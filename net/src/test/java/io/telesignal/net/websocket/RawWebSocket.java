package io.telesignal.net.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A WebSocket client on a raw socket, for frames a well-behaved client library will not send. */
final class RawWebSocket implements AutoCloseable {
    record Frame(int opcode, byte[] payload) {
        int closeCode() {
            return payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawWebSocket(InetSocketAddress address, String subprotocol) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(5000);
        out = socket.getOutputStream();
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        in = new DataInputStream(socket.getInputStream());
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
    }

    /** A masked frame, as a client must send (RFC 6455 §5.3). */
    void send(int opcode, boolean fin, byte[] payload) throws IOException {
        out.write(frame(opcode, fin, payload));
        out.flush();
    }

    static byte[] frame(int opcode, boolean fin, byte[] payload) {
        byte[] mask = {7, 1, 3, 5};
        int lengthBytes = payload.length < 126 ? 0 : 2;
        byte[] frame = new byte[2 + lengthBytes + 4 + payload.length];
        frame[0] = (byte) ((fin ? 0x80 : 0) | opcode);
        if (lengthBytes == 0) {
            frame[1] = (byte) (0x80 | payload.length);
        } else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >> 8);
            frame[3] = (byte) payload.length;
        }
        System.arraycopy(mask, 0, frame, 2 + lengthBytes, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + lengthBytes + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    static byte[] closePayload(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return payload;
    }

    /** The next frame from the server (unmasked), skipping pings. */
    Frame next() throws IOException {
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0f;
            int length = in.readUnsignedByte() & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            }
            byte[] payload = in.readNBytes(length);
            if (opcode != 0x9) {
                return new Frame(opcode, payload);
            }
        }
    }

    /** Whether the server closed the TCP connection (end of stream) within the socket's timeout. */
    boolean endOfStream() throws IOException {
        return in.read() == -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
