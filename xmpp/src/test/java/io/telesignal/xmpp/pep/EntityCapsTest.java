package io.telesignal.xmpp.pep;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.xmpp.stream.Jid;
import io.telesignal.xmpp.xml.XmlElement;
import io.telesignal.xmpp.xml.XmlStreamParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * XEP-0115 verification strings (the XEP's own examples), what is kept node-wide and what only for one session, and
 * the {@code +notify} features a session follows.
 */
class EntityCapsTest {
    private static XmlElement parse(String xml) throws Exception {
        return XmlStreamParser.parseElement(xml, 100_000, 20);
    }

    private static final String SIMPLE = "<query xmlns='http://jabber.org/protocol/disco#info'>"
            + "<identity category='client' name='Exodus 0.9.1' type='pc'/>"
            + "<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>"
            + "<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/>"
            + "</query>";

    @Test
    void theXepsExamplesHashToTheirVerificationStrings() throws Exception {
        // XEP-0115 §5.2
        assertThat(EntityCaps.verification(parse(SIMPLE), "sha-1")).contains("QgayPKawpkPSDYmwT/WM94uAlu0=");
        // XEP-0115 §5.3: identities in two languages and an extended form
        String complex = "<query xmlns='http://jabber.org/protocol/disco#info'>"
                + "<identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>"
                + "<identity xml:lang='el' category='client' name='\u03a8 0.11' type='pc'/>"
                + "<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>"
                + "<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/>"
                + "<x xmlns='jabber:x:data' type='result'>"
                + "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>"
                + "<field var='ip_version'><value>ipv4</value><value>ipv6</value></field>"
                + "<field var='os'><value>Mac</value></field><field var='os_version'><value>10.5.1</value></field>"
                + "<field var='software'><value>Psi</value></field>"
                + "<field var='software_version'><value>0.11</value></field></x></query>";
        assertThat(EntityCaps.verification(parse(complex), "sha-1")).contains("q07IKJEyjvHSyhy//CH0CxmKi8w=");
        // §5.4: a feature twice, or a form without its FORM_TYPE, does not verify
        assertThat(EntityCaps.verification(parse(SIMPLE.replace("</query>",
                "<feature var='http://jabber.org/protocol/muc'/></query>")), "sha-1")).isEmpty();
        assertThat(EntityCaps.verification(parse(SIMPLE.replace("</query>",
                "<x xmlns='jabber:x:data' type='result'><field var='os'><value>Mac</value></field></x></query>")), "sha-1"))
                .isEmpty();
        assertThat(EntityCaps.verification(parse(SIMPLE), "crc-32")).isEmpty();
    }

    private static XmlElement presence(String hash, String ver) {
        XmlElement.Builder c = XmlElement.builder("c", EntityCaps.CAPS_NS).attr("node", "https://example.org/client")
                .attr("ver", ver);
        if (hash != null) {
            c.attr("hash", hash);
        }
        return XmlElement.builder("presence", XmlStreamParser.CLIENT_NS).add(c.build()).build();
    }

    private static XmlElement answer(XmlElement query, String... features) {
        XmlElement.Builder info = XmlElement.builder("query", EntityCaps.DISCO_INFO_NS);
        info.add(XmlElement.builder("identity", EntityCaps.DISCO_INFO_NS).attr("category", "client").attr("type", "pc").build());
        for (String feature : features) {
            info.add(XmlElement.builder("feature", EntityCaps.DISCO_INFO_NS).attr("var", feature).build());
        }
        return XmlElement.builder("iq", XmlStreamParser.CLIENT_NS).attr("type", "result").attr("id", query.attr("id"))
                .add(info.build()).build();
    }

    private static String ver(String... features) {
        XmlElement.Builder info = XmlElement.builder("query", EntityCaps.DISCO_INFO_NS);
        info.add(XmlElement.builder("identity", EntityCaps.DISCO_INFO_NS).attr("category", "client").attr("type", "pc").build());
        for (String feature : features) {
            info.add(XmlElement.builder("feature", EntityCaps.DISCO_INFO_NS).attr("var", feature).build());
        }
        return EntityCaps.verification(info.build(), "sha-1").orElseThrow();
    }

    @Test
    void verifiedCapabilitiesAreAskedOnceAndForgedOnesAreBelievedForTheirSessionOnly() {
        EntityCaps caps = new EntityCaps(100);
        Jid bob = Jid.parse("bob@localhost/phone").orElseThrow();
        String[] features = {"http://jabber.org/protocol/disco#info", "urn:xmpp:mood+notify", "urn:xmpp:tune"};
        String ver = ver(features);

        EntityCaps.Interest first = caps.new Interest();
        List<Set<String>> added = new ArrayList<>();
        Optional<XmlElement> asked = first.presence(presence("sha-1", ver), bob, added::add);
        assertThat(asked).isPresent();
        assertThat(asked.get().attr("to")).isEqualTo("bob@localhost/phone");
        assertThat(asked.get().child("query", EntityCaps.DISCO_INFO_NS).orElseThrow().attr("node"))
                .isEqualTo("https://example.org/client#" + ver);
        assertThat(first.notifies("urn:xmpp:mood")).isFalse();
        assertThat(first.answer(answer(asked.get(), features), added::add)).isTrue();
        assertThat(added).containsExactly(Set.of("urn:xmpp:mood"));
        assertThat(first.notifies("urn:xmpp:mood")).isTrue();
        assertThat(first.notifies("urn:xmpp:tune")).isFalse();
        // the same presence again changes nothing; another IQ is not the answer
        assertThat(first.presence(presence("sha-1", ver), bob, added::add)).isEmpty();
        assertThat(first.answer(answer(asked.get(), features), added::add)).isFalse();

        // a second session with the same capabilities: known, not asked, its nodes wanted at once
        EntityCaps.Interest second = caps.new Interest();
        List<Set<String>> secondAdded = new ArrayList<>();
        assertThat(second.presence(presence("sha-1", ver), bob, secondAdded::add)).isEmpty();
        assertThat(secondAdded).containsExactly(Set.of("urn:xmpp:mood"));

        // a forged string: believed for that session, never kept for others
        EntityCaps.Interest forger = caps.new Interest();
        Optional<XmlElement> forged = forger.presence(presence("sha-1", "forged="), bob, s -> { });
        forger.answer(answer(forged.orElseThrow(), "urn:xmpp:geoloc+notify"), s -> { });
        assertThat(forger.notifies("urn:xmpp:geoloc")).isTrue();
        assertThat(caps.new Interest().presence(presence("sha-1", "forged="), bob, s -> { })).isPresent();
        assertThat(caps.size()).isEqualTo(1);

        // unavailable: nothing wanted until the next presence, which is initial again
        first.unavailable();
        assertThat(first.notifies("urn:xmpp:mood")).isFalse();
        added.clear();
        assertThat(first.presence(presence("sha-1", ver), bob, added::add)).isEmpty();
        assertThat(added).containsExactly(Set.of("urn:xmpp:mood"));
    }

    @Test
    void anErrorAnswerOrAPresenceWithoutCapabilitiesChangesNothing() {
        EntityCaps caps = new EntityCaps(100);
        Jid bob = Jid.parse("bob@localhost/phone").orElseThrow();
        EntityCaps.Interest interest = caps.new Interest();
        XmlElement asked = interest.presence(presence("sha-1", ver("urn:xmpp:mood+notify")), bob, s -> { }).orElseThrow();
        XmlElement error = XmlElement.builder("iq", XmlStreamParser.CLIENT_NS).attr("type", "error")
                .attr("id", asked.attr("id")).build();
        assertThat(interest.answer(error, s -> { })).isTrue();
        assertThat(interest.notifies("urn:xmpp:mood")).isFalse();
        assertThat(interest.presence(XmlElement.builder("presence", XmlStreamParser.CLIENT_NS).build(), bob, s -> { }))
                .isEmpty();
        assertThat(caps.size()).isZero();
    }
}
