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

    /** One {@code m=} section: media type, port, protocol, formats, and its attributes. */
    public record Media(String type, int port, String protocol, List<String> formats, List<Attribute> attributes) {
        public Media {
            formats = List.copyOf(formats);
            attributes = List.copyOf(attributes);
        }

        /** Codec names from {@code a=rtpmap:<pt> <name>/<rate>}, lower case. */
        public List<String> codecs() {
            return attributes.stream()
                    .filter(a -> a.name().equals("rtpmap") && a.value().isPresent())
                    .map(a -> a.value().get())
                    .map(v -> v.contains(" ") ? v.substring(v.indexOf(' ') + 1) : "")
                    .map(v -> v.contains("/") ? v.substring(0, v.indexOf('/')) : v)
                    .map(v -> v.toLowerCase(java.util.Locale.ROOT))
                    .toList();
        }

        /** RFC 3264 §6: port 0 rejects the stream. */
        public boolean rejected() {
            return port == 0;
        }
    }
}
