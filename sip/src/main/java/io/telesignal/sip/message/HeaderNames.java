package io.telesignal.sip.message;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Header names: compact forms (RFC 3261 §7.3.3 and the extensions that define one), canonical spelling, list headers. */
public final class HeaderNames {
    public static final String VIA = "Via";
    public static final String FROM = "From";
    public static final String TO = "To";
    public static final String CALL_ID = "Call-ID";
    public static final String CSEQ = "CSeq";
    public static final String CONTACT = "Contact";
    public static final String MAX_FORWARDS = "Max-Forwards";
    public static final String CONTENT_LENGTH = "Content-Length";
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String ROUTE = "Route";
    public static final String RECORD_ROUTE = "Record-Route";
    public static final String EXPIRES = "Expires";
    public static final String REQUIRE = "Require";
    public static final String PROXY_REQUIRE = "Proxy-Require";

    private static final Map<String, String> CANONICAL = new HashMap<>();
    private static final Map<Character, String> COMPACT = Map.ofEntries(
            Map.entry('i', CALL_ID), Map.entry('m', CONTACT), Map.entry('e', "Content-Encoding"),
            Map.entry('l', CONTENT_LENGTH), Map.entry('c', CONTENT_TYPE), Map.entry('f', FROM),
            Map.entry('s', "Subject"), Map.entry('k', "Supported"), Map.entry('t', TO), Map.entry('v', VIA),
            Map.entry('o', "Event"), Map.entry('r', "Refer-To"), Map.entry('b', "Referred-By"),
            Map.entry('x', "Session-Expires"), Map.entry('u', "Allow-Events"), Map.entry('y', "Identity"),
            Map.entry('n', "Identity-Info"), Map.entry('a', "Accept-Contact"), Map.entry('j', "Reject-Contact"),
            Map.entry('d', "Request-Disposition"));

    /** Headers whose value is a comma-separated list (RFC 3261 §7.3.1); others may hold commas in their value. */
    private static final Set<String> LISTS = Set.of(VIA, CONTACT, ROUTE, RECORD_ROUTE, "Path", "Service-Route", "Allow",
            "Supported", REQUIRE, PROXY_REQUIRE, "Unsupported", "Accept", "Accept-Encoding", "Accept-Language",
            "Allow-Events", "Content-Encoding", "Content-Language", "In-Reply-To", "Alert-Info", "Call-Info",
            "Error-Info", "Warning", "Accept-Contact", "Reject-Contact", "Request-Disposition");

    static {
        for (String name : new String[] {VIA, FROM, TO, CALL_ID, CSEQ, CONTACT, MAX_FORWARDS, CONTENT_LENGTH,
            CONTENT_TYPE, ROUTE, RECORD_ROUTE, EXPIRES, REQUIRE, PROXY_REQUIRE, "Content-Encoding", "Subject",
            "Supported", "Event", "Refer-To", "Referred-By", "Session-Expires", "Allow-Events", "Identity",
            "Identity-Info", "Accept-Contact", "Reject-Contact", "Request-Disposition", "Path", "Service-Route",
            "Allow", "Unsupported", "Accept", "Accept-Encoding", "Accept-Language", "Content-Language",
            "In-Reply-To", "Alert-Info", "Call-Info", "Error-Info", "Warning", "Authorization",
            "Proxy-Authorization", "WWW-Authenticate", "Proxy-Authenticate", "Authentication-Info", "Min-Expires",
            "User-Agent", "Server", "Date", "Timestamp", "Organization", "Priority", "Reply-To", "Retry-After",
            "Content-Disposition", "MIME-Version", "Min-SE", "RAck", "RSeq", "Sip-ETag", "Sip-If-Match"}) {
            CANONICAL.put(name.toLowerCase(Locale.ROOT), name);
        }
    }

    private static final Set<String> CANONICAL_SPELLING = Set.copyOf(CANONICAL.values());

    private HeaderNames() {}

    /** The canonical name of a header name as received (a compact form expands; case is normalised for known ones). */
    public static String canonical(String received) {
        if (CANONICAL_SPELLING.contains(received)) {
            return received; // spelled as this server writes it: no case folding, no allocation
        }
        if (received.length() == 1) {
            String expanded = COMPACT.get(Character.toLowerCase(received.charAt(0)));
            if (expanded != null) {
                return expanded;
            }
        }
        String known = CANONICAL.get(received.toLowerCase(Locale.ROOT));
        return known != null ? known : received;
    }

    public static boolean isList(String canonical) {
        return LISTS.contains(canonical);
    }

    /** Whether two names (canonical or not) are the same header. */
    public static boolean same(String a, String b) {
        return canonical(a).equalsIgnoreCase(canonical(b));
    }
}
