package io.telesignal.core.sdp;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which audio and video codecs a deployment accepts (for example only Opus, VP8 and H.264 for a recording media
 * server). An empty allow-list accepts everything. A description is refused when one of its audio or video
 * sections that is not rejected (port 0) offers none of the allowed codecs; sections keep their other codecs,
 * since rewriting a peer's SDP would break its negotiation. RTX, RED, FEC, comfort noise and telephone-event are
 * helpers, not codecs: they do not make a section with codecs pass, but a section that carries only helpers (a DTMF-only
 * audio section) passes when one of them is on the list. Static payload types count by their RFC 3551 names.
 */
public final class CodecPolicy {
    private static final Set<String> HELPERS = Set.of("rtx", "red", "ulpfec", "flexfec-03", "telephone-event", "cn");
    private final Set<String> allowed;

    public CodecPolicy(Set<String> allowed) {
        this.allowed = allowed.stream().map(c -> c.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public static CodecPolicy any() {
        return new CodecPolicy(Set.of());
    }

    public void check(SessionDescription description) {
        if (allowed.isEmpty()) {
            return;
        }
        int line = 0;
        for (SessionDescription.Media media : description.media()) {
            line++;
            if (media.rejected() || !(media.type().equals("audio") || media.type().equals("video"))) {
                continue;
            }
            List<String> codecs = media.codecs();
            List<String> real = codecs.stream().filter(c -> !HELPERS.contains(c)).toList();
            boolean any = real.isEmpty() ? codecs.stream().anyMatch(allowed::contains)
                    : real.stream().anyMatch(allowed::contains);
            if (!any) {
                throw SdpException.codecNotAllowed(media.type(), line);
            }
        }
    }
}
