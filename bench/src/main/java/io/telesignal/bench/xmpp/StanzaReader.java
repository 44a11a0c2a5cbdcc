package io.telesignal.bench.xmpp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits what a server sends into the stream header and its top-level elements, without parsing them: a load client
 * reads only what it needs of each (an attribute, the body) and must cost the machine as little as it can. It tracks
 * depth tag by tag, quotes in attribute values included; it trusts the server for well-formed XML.
 */
final class StanzaReader {
    /** What {@link #next} answers for a stream header. */
    static final String HEADER = "<stream:stream>";
    private final InputStream in;
    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;
    private int scan;
    private int depth;
    private int elementStart = -1;

    StanzaReader(InputStream in) {
        this.in = in;
    }

    /** A new stream starts (after SASL): its header comes next. */
    void restart() {
        depth = 0;
        elementStart = -1;
    }

    /** The next top-level element as text, or {@link #HEADER}; EOF when the stream ends. */
    String next() throws IOException {
        while (true) {
            String found = scan();
            if (found != null) {
                return found;
            }
            fill();
        }
    }

    private String scan() {
        while (true) {
            int lt = indexOf((byte) '<', scan);
            if (lt < 0) {
                scan = end;
                compactIfIdle();
                return null;
            }
            int gt = tagEnd(lt);
            if (gt < 0) {
                scan = lt;
                return null;
            }
            scan = gt + 1;
            byte second = lt + 1 < end ? buf[lt + 1] : 0;
            if (second == '?' || second == '!') {
                continue;
            }
            boolean closing = second == '/';
            boolean selfClosing = buf[gt - 1] == '/';
            if (!closing && depth == 0) {
                depth = 1; // the stream header
                start = scan;
                return HEADER;
            }
            if (closing) {
                depth--;
                if (depth == 0) {
                    throw new IllegalStateException("the server ended the stream: " + text(Math.max(start, 0), end));
                }
                if (depth == 1) {
                    return element(gt);
                }
            } else if (selfClosing) {
                if (depth == 1) {
                    elementStart = lt;
                    return element(gt);
                }
            } else {
                if (depth == 1) {
                    elementStart = lt;
                }
                depth++;
            }
        }
    }

    private String element(int gt) {
        String element = text(elementStart, gt + 1);
        elementStart = -1;
        start = gt + 1;
        return element;
    }

    /** The end of the tag opening at {@code lt}, quotes skipped; -1 when it has not all arrived. */
    private int tagEnd(int lt) {
        byte quote = 0;
        for (int i = lt + 1; i < end; i++) {
            byte b = buf[i];
            if (quote != 0) {
                if (b == quote) {
                    quote = 0;
                }
            } else if (b == '"' || b == '\'') {
                quote = b;
            } else if (b == '>') {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < end; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void compactIfIdle() {
        if (elementStart < 0 && scan == end) {
            start = 0;
            end = 0;
            scan = 0;
        }
    }

    private void fill() throws IOException {
        int keep = elementStart >= 0 ? elementStart : Math.min(scan, end);
        if (keep > 0) {
            System.arraycopy(buf, keep, buf, 0, end - keep);
            end -= keep;
            scan -= keep;
            if (elementStart >= 0) {
                elementStart -= keep;
            }
            start = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int read = in.read(buf, end, buf.length - end);
        if (read < 0) {
            throw new EOFException("the server closed the connection");
        }
        end += read;
    }

    private String text(int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }
}
