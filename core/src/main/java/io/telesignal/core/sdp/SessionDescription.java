package io.telesignal.core.sdp;

import java.util.List;
import java.util.Optional;

/** A parsed SDP session description (RFC 8866 §5). */
public record SessionDescription(int version, Origin origin, String sessionName, List<Attribute> attributes,
        List<Media> media) {

    public SessionDescription {
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
    }

    /** RFC 8866 §5.2 {@code o=}. */
    public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
            String address) {}

    /** {@code a=name} or {@code a=name:value}. */
    public record Attribute(String name, Optional<String> value) {}

    /** RFC 3551 tables 4 and 5: the static RTP payload types and their encoding names (lower case). */
    static final java.util.Map<String, String> STATIC_PAYLOAD_TYPES = java.util.Map.ofEntries(
            java.util.Map.entry("0", "pcmu"), java.util.Map.entry("3", "gsm"), java.util.Map.entry("4", "g723"),
            java.util.Map.entry("5", "dvi4"), java.util.Map.entry("6", "dvi4"), java.util.Map.entry("7", "lpc"),
            java.util.Map.entry("8", "pcma"), java.util.Map.entry("9", "g722"), java.util.Map.entry("10", "l16"),
            java.util.Map.entry("11", "l16"), java.util.Map.entry("12", "qcelp"), java.util.Map.entry("13", "cn"),
            java.util.Map.entry("14", "mpa"), java.util.Map.entry("15", "g728"), java.util.Map.entry("16", "dvi4"),
            java.util.Map.entry("17", "dvi4"), java.util.Map.entry("18", "g729"), java.util.Map.entry("25", "celb"),
            java.util.Map.entry("26", "jpeg"), java.util.Map.entry("28", "nv"), java.util.Map.entry("31", "h261"),
            java.util.Map.entry("32", "mpv"), java.util.Map.entry("33", "mp2t"), java.util.Map.entry("34", "h263"));

    /** One {@code m=} section: media type, port, protocol, formats, and its attributes. */
    public record Media(String type, int port, String protocol, List<String> formats, List<Attribute> attributes) {
        public Media {
            formats = List.copyOf(formats);
            attributes = List.copyOf(attributes);
        }

        /**
         * The codecs offered, lower case, in the order of the formats: each format's {@code a=rtpmap:<pt> <name>/<rate>}
         * name, or, for an RTP profile's static payload type with no rtpmap, its RFC 3551 name ({@code m=audio … 0} is
         * PCMU). A dynamic payload type with no rtpmap names nothing.
         */
        public List<String> codecs() {
            java.util.Map<String, String> mapped = new java.util.HashMap<>();
            for (Attribute a : attributes) {
                if (a.name().equals("rtpmap") && a.value().isPresent()) {
                    String v = a.value().get();
                    int space = v.indexOf(' ');
                    if (space > 0) {
                        String name = v.substring(space + 1);
                        name = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
                        mapped.putIfAbsent(v.substring(0, space), name.toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
            boolean rtp = protocol.contains("RTP/");
            List<String> codecs = new java.util.ArrayList<>();
            for (String format : formats) {
                String name = mapped.get(format);
                if (name == null && rtp) {
                    name = STATIC_PAYLOAD_TYPES.get(format);
                }
                if (name != null) {
                    codecs.add(name);
                }
            }
            return codecs;
        }

        /** RFC 3264 §6: port 0 rejects the stream. */
        public boolean rejected() {
            return port == 0;
        }
    }
}
