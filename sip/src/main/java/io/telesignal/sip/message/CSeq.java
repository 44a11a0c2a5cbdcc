package io.telesignal.sip.message;

/** RFC 3261 §20.16: {@code 1*DIGIT LWS Method}; the number is at most 2^31 - 1 (§8.1.1.5). */
public record CSeq(long number, String method) {
    public static CSeq parse(String text) {
        String s = text.strip();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 10) {
            throw SipParseException.malformed("CSeq has no sequence number, or one too long");
        }
        long number = Long.parseLong(s.substring(0, i));
        if (number > Integer.MAX_VALUE) {
            throw SipParseException.malformed("CSeq number over 2**31 - 1");
        }
        int j = Syntax.skipWs(s, i);
        if (j == i) {
            throw SipParseException.malformed("CSeq has no whitespace before its method");
        }
        String method = s.substring(j);
        if (!Syntax.isToken(method)) {
            throw SipParseException.malformed("CSeq has no method");
        }
        return new CSeq(number, method);
    }
}
