package io.telesignal.xmpp.muc;

import io.telesignal.core.groupchat.GroupRoom;
import io.telesignal.core.groupchat.Occupant;
import io.telesignal.core.groupchat.RoomRole;
import io.telesignal.xmpp.stream.Jid;
import io.telesignal.xmpp.xml.StreamErrorException;
import io.telesignal.xmpp.xml.XmlElement;
import io.telesignal.xmpp.xml.XmlStreamParser;
import java.util.List;

/** The stanzas a room sends (XEP-0045 §7, §9): occupants' presence as each viewer may see it, and status codes. */
final class RoomStanzas {
    static final String CLIENT = XmlStreamParser.CLIENT_NS;
    static final String MUC_NS = "http://jabber.org/protocol/muc";
    static final String USER_NS = MUC_NS + "#user";
    static final String ADMIN_NS = MUC_NS + "#admin";
    static final String OWNER_NS = MUC_NS + "#owner";
    static final String DATA_NS = "jabber:x:data";
    static final String DELAY_NS = "urn:xmpp:delay";
    static final String SID_NS = "urn:xmpp:sid:0";

    /** XEP-0045 §15.6 status codes this service sends. */
    static final String NON_ANONYMOUS = "100";
    static final String CONFIG_CHANGED = "104";
    static final String SELF = "110";
    static final String CREATED = "201";
    static final String BANNED = "301";
    static final String NICK_CHANGED = "303";
    static final String KICKED = "307";
    static final String AFFILIATION_CHANGED = "321";
    static final String MEMBERS_ONLY_NOW = "322";
    static final String SHUT_DOWN = "332";
    static final String TECHNICAL = "333";

    private RoomStanzas() {}

    /**
     * How logs name a room: a digest of its name, never the name itself (an address an owner chose, which might name a
     * patient). The same room always gets the same reference, so log lines about it can be followed.
     */
    static String ref(String room) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(room.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "r" + java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    /** What an occupant's presence says besides its status codes. */
    record Item(String nick, String actor, String reason, String newNick) {
        static final Item PLAIN = new Item(null, null, null, null);
    }

    /** An occupant's real address. */
    static Jid realJid(Occupant o, String serverDomain) {
        return new Jid(o.login(), serverDomain, o.resource());
    }

    /** The occupant's address in the room. */
    static Jid roomJid(Jid room, String nick) {
        return room.withResource(nick);
    }

    /**
     * {@code who}'s presence as {@code viewer} sees it: its own presence's content, the item with its affiliation and
     * role (and its real address when the room or the viewer's role lets the viewer see it), then the codes.
     */
    static XmlElement presence(Jid room, GroupRoom config, Occupant who, Occupant viewer, boolean unavailable, Item item,
            String serverDomain, List<String> codes) {
        return presence(room, config, who, unavailable ? List.of() : content(who.presence()), viewer, unavailable, item,
                serverDomain, codes);
    }

    /** As above, with {@code who}'s presence content already read (once for a broadcast, not once per viewer). */
    static XmlElement presence(Jid room, GroupRoom config, Occupant who, List<XmlElement> content, Occupant viewer,
            boolean unavailable, Item item, String serverDomain, List<String> codes) {
        XmlElement.Builder presence = XmlElement.builder("presence", CLIENT)
                .attr("from", roomJid(room, who.nick()).toString())
                .attr("to", realJid(viewer, serverDomain).toString());
        if (unavailable) {
            presence.attr("type", "unavailable");
        } else {
            for (XmlElement child : content) {
                presence.add(child);
            }
        }
        boolean self = who.is(viewer.user(), viewer.resource());
        XmlElement.Builder x = XmlElement.builder("x", USER_NS);
        XmlElement.Builder itemElement = XmlElement.builder("item", USER_NS)
                .attr("affiliation", who.affiliation().wireName())
                .attr("role", unavailable ? RoomRole.NONE.wireName() : who.role().wireName());
        if (config.nonAnonymous() || viewer.role() == RoomRole.MODERATOR || self) {
            itemElement.attr("jid", realJid(who, serverDomain).toString());
        }
        itemElement.attr("nick", item.newNick());
        if (item.actor() != null) {
            itemElement.add(XmlElement.builder("actor", USER_NS).attr("nick", item.actor()).build());
        }
        if (item.reason() != null && !item.reason().isEmpty()) {
            itemElement.textChild("reason", USER_NS, item.reason());
        }
        x.add(itemElement.build());
        for (String code : codes) {
            x.add(status(code));
        }
        if (self) {
            x.add(status(SELF));
        }
        return presence.add(x.build()).build();
    }

    static XmlElement status(String code) {
        return XmlElement.builder("status", USER_NS).attr("code", code).build();
    }

    /** An occupant's presence as kept: the client's own children (show, status, caps), without the MUC ones. */
    static String kept(XmlElement presence) {
        XmlElement.Builder kept = XmlElement.builder("presence", CLIENT);
        for (XmlElement child : presence.elements()) {
            if (!child.namespace().startsWith(MUC_NS)) {
                kept.add(child);
            }
        }
        return kept.build().toXml();
    }

    static List<XmlElement> content(String kept) {
        try {
            return XmlStreamParser.parseElement(kept, Integer.MAX_VALUE, 1000).elements();
        } catch (StreamErrorException writtenByUs) {
            return List.of();
        }
    }

    /** A message from the room itself with these codes (XEP-0045 §10.2.1: configuration changed). */
    static XmlElement notice(Jid room, Jid to, String... codes) {
        XmlElement.Builder x = XmlElement.builder("x", USER_NS);
        for (String code : codes) {
            x.add(status(code));
        }
        return XmlElement.builder("message", CLIENT).attr("type", "groupchat").attr("from", room.toString())
                .attr("to", to.toString()).add(x.build()).build();
    }
}
