package io.telesignal.xmpp.pep;

import io.telesignal.xmpp.stream.Jid;
import io.telesignal.xmpp.xml.XmlElement;
import io.telesignal.xmpp.xml.XmlStreamParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Entity capabilities (XEP-0115) as this node learns them: what a client's {@code <c/>} stands for, asked of the client
 * with disco#info once per verification string and kept, node-wide, only when the answer hashes to that string
 * (§5.4), so that one client cannot poison what others are thought to want. A client whose answer does not verify
 * (or that uses the legacy format without a hash) is believed for its own session only. Each session follows its
 * client's {@code +notify} features (XEP-0163 §4.3.2) with an {@link Interest}.
 */
public final class EntityCaps {
    public static final String CAPS_NS = "http://jabber.org/protocol/caps";
    static final String DISCO_INFO_NS = "http://jabber.org/protocol/disco#info";
    private static final String DATA_NS = "jabber:x:data";
    private static final String CLIENT = XmlStreamParser.CLIENT_NS;
    /**
     * The most features kept for one verification string (longer features are not kept), and the most nodes one client
     * may want notifications of: a client chooses its own string and answer, so what it can make this node keep is
     * bounded, about 2,000 × 200 × 256 characters at worst.
     */
    static final int MAX_FEATURES = 200;
    static final int MAX_FEATURE_LENGTH = 256;
    static final int MAX_NOTIFY = 200;

    private final ConcurrentHashMap<String, Set<String>> known = new ConcurrentHashMap<>();
    private final int capacity;

    /** {@code capacity}: verification strings kept (past it, the cache starts again). */
    public EntityCaps(int capacity) {
        this.capacity = capacity;
    }

    Optional<Set<String>> known(String key) {
        return Optional.ofNullable(known.get(key));
    }

    void remember(String key, Set<String> features) {
        if (known.size() >= capacity) {
            known.clear(); // full (perhaps of strings made up to fill it): start again rather than stop learning
        }
        known.putIfAbsent(key, features);
    }

    int size() {
        return known.size();
    }

    /**
     * The verification string of a disco#info answer (XEP-0115 §5.1) with this hash ({@code sha-1}, {@code sha-256}...),
     * or empty when the hash is unknown or the answer is not well formed as §5.4 requires (repeated identities or
     * features, a form without a hidden FORM_TYPE, two forms of one FORM_TYPE).
     */
    public static Optional<String> verification(XmlElement query, String hash) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(switch (hash.toLowerCase(Locale.ROOT)) {
                case "sha-1" -> "SHA-1";
                case "sha-224" -> "SHA-224";
                case "sha-256" -> "SHA-256";
                case "sha-384" -> "SHA-384";
                case "sha-512" -> "SHA-512";
                case "md5" -> "MD5";
                default -> throw new NoSuchAlgorithmException(hash);
            });
        } catch (NoSuchAlgorithmException e) {
            return Optional.empty();
        }
        List<String> identities = new ArrayList<>();
        List<String> features = new ArrayList<>();
        List<List<String>> forms = new ArrayList<>();
        for (XmlElement child : query.elements()) {
            if (child.is("identity", DISCO_INFO_NS)) {
                identities.add(nz(child.attr("category")) + "/" + nz(child.attr("type")) + "/" + nz(child.attr("xml:lang"))
                        + "/" + nz(child.attr("name")));
            } else if (child.is("feature", DISCO_INFO_NS)) {
                features.add(nz(child.attr("var")));
            } else if (child.is("x", DATA_NS)) {
                Optional<List<String>> form = form(child);
                if (form.isEmpty()) {
                    return Optional.empty();
                }
                forms.add(form.get());
            }
        }
        if (new HashSet<>(identities).size() != identities.size() || new HashSet<>(features).size() != features.size()
                || forms.stream().map(f -> f.get(0)).distinct().count() != forms.size()) {
            return Optional.empty();
        }
        identities.sort(OCTETS);
        features.sort(OCTETS);
        forms.sort(Comparator.comparing(f -> f.get(0), OCTETS));
        StringBuilder s = new StringBuilder();
        identities.forEach(i -> s.append(i).append('<'));
        features.forEach(f -> s.append(f).append('<'));
        forms.forEach(f -> f.forEach(part -> s.append(part).append('<')));
        return Optional.of(Base64.getEncoder().encodeToString(digest.digest(s.toString().getBytes(StandardCharsets.UTF_8))));
    }

    /** A form as §5.1 hashes it: its FORM_TYPE, then each field's var and sorted values, fields sorted by var. */
    private static Optional<List<String>> form(XmlElement x) {
        String formType = null;
        List<List<String>> fields = new ArrayList<>();
        for (XmlElement field : x.elements()) {
            if (!field.is("field", DATA_NS)) {
                continue;
            }
            List<String> values = new ArrayList<>();
            field.elements().stream().filter(v -> v.is("value", DATA_NS)).forEach(v -> values.add(v.text()));
            if ("FORM_TYPE".equals(field.attr("var"))) {
                if (formType != null || values.size() != 1 || !"hidden".equals(field.attr("type"))) {
                    return Optional.empty();
                }
                formType = values.get(0);
                continue;
            }
            values.sort(OCTETS);
            List<String> entry = new ArrayList<>();
            entry.add(nz(field.attr("var")));
            entry.addAll(values);
            fields.add(entry);
        }
        if (formType == null) {
            return Optional.empty();
        }
        fields.sort(Comparator.comparing(f -> f.get(0), OCTETS));
        List<String> flat = new ArrayList<>();
        flat.add(formType);
        fields.forEach(flat::addAll);
        return Optional.of(flat);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    /** i;octet: byte order of the UTF-8 forms. */
    private static final Comparator<String> OCTETS = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** The nodes a client wants notifications of: its features {@code <node>+notify}. */
    static Set<String> notifyNodes(Set<String> features) {
        Set<String> nodes = new HashSet<>();
        for (String feature : features) {
            if (feature.endsWith("+notify") && feature.length() > 7 && nodes.size() < MAX_NOTIFY) {
                nodes.add(feature.substring(0, feature.length() - 7));
            }
        }
        return Set.copyOf(nodes);
    }

    /**
     * One session's view of its client's capabilities: which nodes it wants notifications of. On the session's loop.
     */
    public final class Interest {
        /** The capabilities the client announced last: "hash ver" (or "node#ver" in the legacy format). */
        private String current;
        private Set<String> notify = Set.of();
        private String queryId;
        private String queryKey;
        private String queryHash;
        private String queryVer;
        private long queries;

        /** Whether the client wants notifications of this node. */
        public boolean notifies(String node) {
            return notify.contains(node);
        }

        /** The client went unavailable: it wants nothing until its next presence. */
        public void unavailable() {
            current = null;
            notify = Set.of();
            queryId = null;
        }

        /**
         * The client's own available presence: its capabilities when they are new to this session. {@code added} hears of
         * the nodes newly wanted (all of them on an initial presence) when they are known here; otherwise the answer
         * is the disco#info request to send the client, and {@code added} hears once it answers.
         */
        public Optional<XmlElement> presence(XmlElement presence, Jid client, Consumer<Set<String>> added) {
            Optional<XmlElement> c = presence.child("c", CAPS_NS);
            if (c.isEmpty() || c.get().attr("ver") == null || c.get().attr("node") == null) {
                return Optional.empty(); // no capabilities: what was known stays
            }
            String hash = c.get().attr("hash");
            String ver = c.get().attr("ver");
            String key = hash == null ? c.get().attr("node") + "#" + ver : hash + " " + ver;
            if (key.equals(current)) {
                return Optional.empty();
            }
            current = key;
            Optional<Set<String>> features = hash == null ? Optional.empty() : known(key);
            if (features.isPresent()) {
                apply(features.get(), added);
                return Optional.empty();
            }
            queryId = "caps-" + (++queries);
            queryKey = key;
            queryHash = hash;
            queryVer = ver;
            return Optional.of(XmlElement.builder("iq", CLIENT).attr("type", "get").attr("id", queryId)
                    .attr("from", client.bare().toString()).attr("to", client.toString())
                    .add(XmlElement.builder("query", DISCO_INFO_NS).attr("node", c.get().attr("node") + "#" + ver).build())
                    .build());
        }

        /** Whether this IQ answers the session's disco#info request; if so, what it says is taken. */
        public boolean answer(XmlElement iq, Consumer<Set<String>> added) {
            if (queryId == null || !queryId.equals(iq.attr("id"))) {
                return false;
            }
            queryId = null;
            Optional<XmlElement> query = iq.child("query", DISCO_INFO_NS);
            if (!"result".equals(iq.attr("type")) || query.isEmpty()) {
                return true;
            }
            Set<String> features = new HashSet<>();
            for (XmlElement child : query.get().elements()) {
                if (child.is("feature", DISCO_INFO_NS) && child.attr("var") != null && features.size() < MAX_FEATURES
                        && child.attr("var").length() <= MAX_FEATURE_LENGTH) {
                    features.add(child.attr("var"));
                }
            }
            Set<String> kept = Set.copyOf(features);
            if (queryHash != null && verification(query.get(), queryHash).map(queryVer::equals).orElse(false)) {
                remember(queryKey, kept);
            }
            if (queryKey.equals(current)) {
                apply(kept, added);
            }
            return true;
        }

        private void apply(Set<String> features, Consumer<Set<String>> added) {
            Set<String> wanted = notifyNodes(features);
            Set<String> fresh = new HashSet<>(wanted);
            fresh.removeAll(notify);
            notify = wanted;
            if (!fresh.isEmpty()) {
                added.accept(Set.copyOf(fresh));
            }
        }
    }
}
