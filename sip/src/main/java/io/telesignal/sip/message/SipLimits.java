package io.telesignal.sip.message;

/**
 * What the codec accepts at most.
 *
 * @param maxMessageBytes a whole message, start line, headers and body (default 64 KiB); more is 513
 * @param maxHeaders      header fields (after unfolding; a comma list counts once); more is 400
 * @param maxHeaderBytes  one header field, name and value, after unfolding; longer is 400
 */
public record SipLimits(int maxMessageBytes, int maxHeaders, int maxHeaderBytes) {
    public static final SipLimits DEFAULTS = new SipLimits(65536, 128, 8192);

    public SipLimits {
        if (maxMessageBytes < 1024 || maxHeaders < 8 || maxHeaderBytes < 256 || maxHeaderBytes > maxMessageBytes) {
            throw new IllegalArgumentException("SIP limits: message >= 1024, headers >= 8, 256 <= header <= message");
        }
    }
}
