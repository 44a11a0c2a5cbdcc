package io.telesignal.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.telesignal.sip.message.SipParseException;
import io.telesignal.sip.message.SipParser;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Frames SIP messages on a stream (TCP, TLS; RFC 3261 §18.3): the head runs to the blank line, the body is exactly
 * Content-Length bytes, which a message on a stream must carry. CRLFs between messages are keepalives (RFC 5626 §3.5.1:
 * a double CRLF "ping" is answered with a single CRLF "pong", emitted here as {@link Keepalive#PING}). Emits parsed
 * messages, and {@link Refused} for one that does not parse (its head could be read: the caller answers it, 400 or
 * 513, and goes on with the next). A head that does not end within the message limit cannot be framed: the stream is
 * lost, and {@link Unframeable} tells the caller to answer 513 if it can and close.
 */
public final class SipStreamDecoder extends ByteToMessageDecoder {
    /** A keepalive from the peer: a double CRLF (ping) to be answered with one CRLF (pong). */
    public enum Keepalive { PING }

    /** A framed message the parser refused; {@code frame} is its raw bytes, for answering it (Via, Call-ID...). */
    public record Refused(SipParseException reason, byte[] frame) {}

    /** The stream can no longer be framed (a head or body over the limit): close it. */
    public record Unframeable(SipParseException reason) {}

    private final SipParser parser;
    private int crlfs;

    public SipStreamDecoder(SipParser parser) {
        this.parser = parser;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // keepalives: CR LF CR LF before a message is a ping; one CR LF alone is a pong (or a stray) and is dropped
        while (in.isReadable()) {
            byte b = in.getByte(in.readerIndex());
            if (b != '\r' && b != '\n') {
                break;
            }
            in.skipBytes(1);
            if (b == '\n' && ++crlfs == 2) {
                out.add(Keepalive.PING);
                crlfs = 0;
            }
        }
        if (!in.isReadable()) {
            return;
        }
        crlfs = 0;
        int limit = parser.limits().maxMessageBytes();
        int searchable = Math.min(in.readableBytes(), limit);
        int headEnd = headEnd(in, in.readerIndex(), in.readerIndex() + searchable);
        if (headEnd < 0) {
            if (in.readableBytes() >= limit) {
                in.skipBytes(in.readableBytes());
                out.add(new Unframeable(new SipParseException(513, "Message Too Large")));
                ctx.close();
            }
            return; // wait for the rest of the head
        }
        int headLength = headEnd - in.readerIndex();
        long length = contentLength(in, in.readerIndex(), headLength);
        if (length == -2) {
            // the head cannot say how long the body is: this message cannot be framed, nor anything after it
            byte[] frame = new byte[headLength];
            in.readBytes(frame);
            out.add(new Refused(malformed("Content-Length missing or not a number on a stream"), frame));
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        if (headLength + length > limit) {
            in.skipBytes(in.readableBytes());
            out.add(new Unframeable(new SipParseException(513, "Message Too Large")));
            ctx.close();
            return;
        }
        if (in.readableBytes() < headLength + length) {
            return; // wait for the body
        }
        byte[] frame = new byte[(int) (headLength + length)];
        in.readBytes(frame);
        try {
            out.add(parser.parse(frame, 0, frame.length, false));
        } catch (SipParseException e) {
            out.add(new Refused(e, frame));
        }
    }

    private static SipParseException malformed(String reason) {
        return new SipParseException(400, reason);
    }

    private static int headEnd(ByteBuf in, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in.getByte(i) == '\n') {
                if (i + 1 < to && in.getByte(i + 1) == '\n') {
                    return i + 2;
                }
                if (i + 2 < to && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /**
     * The Content-Length (or compact {@code l}) of a head, read without parsing the rest; -2 when absent or not a
     * number. Folded values are not expected for it; a folded one is not found and the message is refused.
     */
    static long contentLength(ByteBuf in, int from, int length) {
        String head = in.toString(from, length, StandardCharsets.ISO_8859_1);
        long found = -2;
        int i = head.indexOf('\n');
        while (i >= 0 && i + 1 < head.length()) {
            int lineEnd = head.indexOf('\n', i + 1);
            String line = head.substring(i + 1, lineEnd < 0 ? head.length() : lineEnd).strip();
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).strip();
                if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("l")) {
                    String value = line.substring(colon + 1).strip();
                    if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        return -2;
                    }
                    found = Long.parseLong(value);
                }
            }
            i = lineEnd;
        }
        return found;
    }
}
