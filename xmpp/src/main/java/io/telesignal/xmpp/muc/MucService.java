package io.telesignal.xmpp.muc;

import io.telesignal.core.groupchat.Affiliation;
import io.telesignal.core.groupchat.GroupRoom;
import io.telesignal.core.groupchat.Occupant;
import io.telesignal.core.groupchat.Occupants;
import io.telesignal.core.groupchat.RoomMessage;
import io.telesignal.core.groupchat.RoomRole;
import io.telesignal.core.groupchat.RoomStore;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.xmpp.stream.Jid;
import io.telesignal.xmpp.stream.StanzaRouter;
import io.telesignal.xmpp.stream.Stanzas;
import io.telesignal.xmpp.xml.XmlElement;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group chat service (XEP-0045) of one node: what a session sends to {@code room@muc-domain} comes here. Rooms
 * are read from and written to the {@link RoomStore} on the workers; who is in a room is in the shared
 * {@link Occupants}; what occupants on other sessions receive travels through the {@link StanzaRouter}, and what the
 * sender itself receives is handed to its {@link Sender}, in order. An occupant whose connection is gone (its node
 * died) is taken out of the room the first time a delivery to it fails.
 */
public final class MucService {
    private static final Logger LOG = LoggerFactory.getLogger(MucService.class);
    static final String CLIENT = RoomStanzas.CLIENT;
    private static final String DISCO_INFO_NS = "http://jabber.org/protocol/disco#info";
    private static final String DISCO_ITEMS_NS = "http://jabber.org/protocol/disco#items";

    /** What the service needs of the session that sent a stanza; {@link #send} runs on the session's loop. */
    public interface Sender {
        User user();

        Jid jid();

        /** Sends to the client, in the order called. */
        void send(XmlElement stanza);

        Executor loop();

        /** The session is now an occupant of the room (to leave it when it ends). */
        void entered(String room);

        void left(String room);
    }

    final MucSettings settings;
    final RoomStore rooms;
    final Occupants occupants;
    final StanzaRouter router;
    final WorkerPool workers;
    final Clock clock;
    final String serverDomain;
    private final SecureRandom random = new SecureRandom();
    /** Users by id (affiliation lists name them), from the directory; blocking. */
    final Function<UserId, Optional<User>> users;
    private final RoomAdmin admin;

    public MucService(MucSettings settings, RoomStore rooms, Occupants occupants, StanzaRouter router, WorkerPool workers,
            Clock clock, String serverDomain, Function<UserId, Optional<User>> users) {
        this.settings = settings;
        this.rooms = rooms;
        this.occupants = occupants;
        this.router = router;
        this.workers = workers;
        this.clock = clock;
        this.serverDomain = serverDomain;
        this.users = users;
        this.admin = new RoomAdmin(this);
    }

    public String domain() {
        return settings.domain();
    }

    /** Whether a stanza to {@code to} is this service's. */
    public boolean serves(Jid to) {
        return to.domain().equals(settings.domain());
    }

    // ---- presence: entering, changing presence or nickname, leaving (XEP-0045 §7.2, §7.6, §7.7, §7.14)

    /** A presence the sender addressed to a room (or an occupant's address in it). */
    public CompletionStage<Void> presence(Sender sender, XmlElement presence, Jid to) {
        String type = presence.attr("type");
        if (to.local().isEmpty()) {
            return done();
        }
        if ("unavailable".equals(type)) {
            return leave(sender.user().id(), sender.jid(), to.local(), Optional.of(sender));
        }
        if (type != null) {
            return done(); // probes, subscriptions and errors to a room: nothing to do
        }
        if (to.isBare() || to.resource().isBlank()) {
            // XEP-0045 §7.2.1: entering needs a nickname
            reply(sender, presence, "modify", "jid-malformed");
            return done();
        }
        String room = to.local();
        return workers.submit(() -> admit(sender.user(), room)).thenCompose(admitted -> {
            if (admitted.refusal() != null) {
                reply(sender, presence, admitted.refusal()[0], admitted.refusal()[1]);
                return done();
            }
            Optional<XmlElement> history = presence.child("x", RoomStanzas.MUC_NS)
                    .flatMap(x -> x.child("history", RoomStanzas.MUC_NS));
            return enter(sender, presence, to.withResource(to.resource()), admitted, history, true);
        }).exceptionally(e -> failed(sender, presence, e));
    }

    /** Whether and how the user may be in the room: its configuration and the user's affiliation, or a refusal. */
    record Admitted(GroupRoom room, Affiliation affiliation, boolean created, String[] refusal) {
        static Admitted refused(String type, String condition) {
            return new Admitted(null, null, false, new String[] {type, condition});
        }
    }

    /** On a worker: finds the room (creating it, locked, for a user who may), and checks the user may enter. */
    private Admitted admit(User user, String name) {
        Optional<GroupRoom> found = rooms.find(name);
        boolean created = false;
        if (found.isEmpty()) {
            if (user.roles().stream().noneMatch(settings.creators()::contains)) {
                return Admitted.refused("cancel", "item-not-found"); // XEP-0045 §10.1.1: creation is restricted
            }
            if (rooms.ownedBy(user.id()) >= settings.maxRoomsPerUser()) {
                return Admitted.refused("wait", "resource-constraint");
            }
            created = rooms.create(GroupRoom.created(name, settings.persistentByDefault(), settings.maxOccupants(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS)), user.id());
            found = rooms.find(name);
            if (found.isEmpty()) {
                return Admitted.refused("cancel", "item-not-found"); // destroyed as it was made
            }
            if (created) {
                LOG.info("event=muc_room_created room={} owner={}", RoomStanzas.ref(name), user.id().value());
            }
        }
        GroupRoom room = found.get();
        Affiliation affiliation = rooms.affiliation(name, user.id());
        if (room.locked() && affiliation != Affiliation.OWNER) {
            return Admitted.refused("cancel", "item-not-found"); // XEP-0045 §10.1.1: locked until configured
        }
        if (affiliation == Affiliation.OUTCAST) {
            return Admitted.refused("auth", "forbidden");
        }
        if (room.membersOnly() && affiliation == Affiliation.NONE) {
            return Admitted.refused("auth", "registration-required");
        }
        return new Admitted(room, affiliation, created, null);
    }

    private CompletionStage<Void> enter(Sender sender, XmlElement presence, Jid occupantJid, Admitted admitted,
            Optional<XmlElement> history, boolean firstTry) {
        GroupRoom room = admitted.room();
        Jid roomJid = roomJid(room.name());
        Occupant me = new Occupant(occupantJid.resource(), sender.user().id(), sender.user().login().value(),
                sender.jid().resource(), RoomRole.entering(admitted.affiliation(), room.moderated()),
                admitted.affiliation(), RoomStanzas.kept(presence));
        return occupants.enter(room.name(), me, room.maxOccupants()).thenCompose(entered -> {
            switch (entered.outcome()) {
                case NICK_TAKEN -> {
                    Occupant holder = entered.previous().orElseThrow();
                    // a holder whose connection is gone (its node died) gives the nickname up
                    return firstTry ? live(holder).thenCompose(live -> {
                        if (live) {
                            reply(sender, presence, "cancel", "conflict");
                            return done();
                        }
                        return evict(room.name(), holder).thenCompose(ignored ->
                                enter(sender, presence, occupantJid, admitted, history, false));
                    }) : conflict(sender, presence);
                }
                case FULL -> {
                    reply(sender, presence, "wait", "service-unavailable");
                    return done();
                }
                case UPDATED -> {
                    return occupants.list(room.name()).thenAccept(all -> broadcast(room, all, sender, me, false,
                            RoomStanzas.Item.PLAIN, List.of()));
                }
                case RENAMED -> {
                    Occupant old = entered.previous().orElseThrow();
                    return occupants.list(room.name()).thenAccept(all -> {
                        // XEP-0045 §7.6: unavailable from the old nickname with 303 and the new one, then the new
                        broadcast(room, all, sender, old, true, new RoomStanzas.Item(null, null, null, me.nick()),
                                List.of(RoomStanzas.NICK_CHANGED));
                        broadcast(room, all, sender, me, false, RoomStanzas.Item.PLAIN, List.of());
                    });
                }
                default -> {
                    return joined(sender, room, roomJid, me, admitted.created(), history);
                }
            }
        });
    }

    private CompletionStage<Void> conflict(Sender sender, XmlElement presence) {
        reply(sender, presence, "cancel", "conflict");
        return done();
    }

    /**
     * XEP-0045 §7.2.3 to §7.2.15: the newcomer gets everyone's presence, then its own (110, 100 for a non-anonymous
     * room, 201 for a new one), the history and the subject; the others get the newcomer's presence.
     */
    private CompletionStage<Void> joined(Sender sender, GroupRoom room, Jid roomJid, Occupant me, boolean created,
            Optional<XmlElement> request) {
        sender.entered(room.name());
        LOG.info("event=muc_entered room={} user={} created={}", RoomStanzas.ref(room.name()), me.user().value(), created);
        int max = historyLimit(request);
        Instant since = historySince(request);
        CompletionStage<List<RoomMessage>> history = max == 0 ? CompletableFuture.completedFuture(List.of())
                : workers.submit(() -> rooms.history(room.name(), max, since));
        return occupants.list(room.name()).thenCombine(history, (all, messages) -> {
            Occupant self = all.stream().filter(o -> o.is(me.user(), me.resource())).findFirst().orElse(me);
            for (Occupant other : all) {
                if (!other.is(me.user(), me.resource())) {
                    sender.send(RoomStanzas.presence(roomJid, room, other, self, false, RoomStanzas.Item.PLAIN,
                            serverDomain, List.of()));
                }
            }
            List<String> codes = new ArrayList<>();
            if (room.nonAnonymous()) {
                codes.add(RoomStanzas.NON_ANONYMOUS);
            }
            if (created) {
                codes.add(RoomStanzas.CREATED);
            }
            broadcast(room, all, sender, self, false, RoomStanzas.Item.PLAIN, codes);
            int chars = request.map(h -> h.attr("maxchars")).map(MucService::number).orElse(Integer.MAX_VALUE);
            int total = 0;
            List<XmlElement> shown = new ArrayList<>();
            for (int i = messages.size() - 1; i >= 0; i--) {
                // XEP-0045 §7.2.15: delayed (XEP-0203) from the room, newest within maxchars, oldest first
                RoomMessage kept = messages.get(i);
                total += kept.stanza().length();
                if (total > chars) {
                    break;
                }
                shown.add(0, history(kept, roomJid, sender.jid()));
            }
            shown.forEach(sender::send);
            XmlElement.Builder subject = XmlElement.builder("message", CLIENT).attr("type", "groupchat")
                    .attr("from", room.subjectBy().isEmpty() ? roomJid.toString() : roomJid.withResource(room.subjectBy()).toString())
                    .attr("to", sender.jid().toString()).attr("id", newId());
            subject.textChild("subject", CLIENT, room.subject());
            sender.send(subject.build());
            return null;
        });
    }

    private XmlElement history(RoomMessage kept, Jid roomJid, Jid to) {
        try {
            XmlElement message = io.telesignal.xmpp.xml.XmlStreamParser.parseElement(kept.stanza(), Integer.MAX_VALUE, 1000);
            return message.with("to", to.toString()).toBuilder().add(XmlElement.builder("delay", RoomStanzas.DELAY_NS)
                    .attr("from", roomJid.toString()).attr("stamp", kept.sentAt().toString()).build()).build();
        } catch (io.telesignal.xmpp.xml.StreamErrorException writtenByUs) {
            throw new IllegalStateException("a room's history holds a stanza that does not parse", writtenByUs);
        }
    }

    private int historyLimit(Optional<XmlElement> request) {
        int asked = request.map(h -> h.attr("maxstanzas")).map(MucService::number).orElse(Integer.MAX_VALUE);
        if (request.map(h -> h.attr("maxchars")).map(MucService::number).orElse(1) == 0) {
            return 0;
        }
        return Math.min(asked, settings.historySize());
    }

    private Instant historySince(Optional<XmlElement> request) {
        Instant since = Instant.EPOCH;
        Optional<Integer> seconds = request.map(h -> h.attr("seconds")).map(MucService::number);
        if (seconds.isPresent()) {
            since = clock.instant().minusSeconds(seconds.get());
        }
        Optional<String> after = request.map(h -> h.attr("since"));
        if (after.isPresent()) {
            try {
                Instant given = Instant.parse(after.get());
                since = given.isAfter(since) ? given : since;
            } catch (DateTimeParseException ignored) {
                // not a date: the whole history, as if none was given
            }
        }
        return since;
    }

    /** A non-negative number, or the most there is when it is not one. */
    private static Integer number(String text) {
        try {
            return Math.max(0, Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * The connection leaves the room (it said so, or it ended): everyone left, and the connection itself when it
     * said so, gets its unavailable presence; a temporary or still-locked room goes with its last occupant.
     */
    CompletionStage<Void> leave(UserId user, Jid jid, String name, Optional<Sender> sender) {
        return occupants.leave(name, user, jid.resource()).thenCompose(gone -> {
            sender.ifPresent(s -> s.left(name));
            if (gone.isEmpty()) {
                return done();
            }
            LOG.info("event=muc_left room={} user={}", RoomStanzas.ref(name), user.value());
            return afterLeaving(name, gone.get(), sender, RoomStanzas.Item.PLAIN, List.of());
        });
    }

    /** Every room this connection is in, left at once (its session ended or went unavailable). */
    public CompletionStage<Void> leaveAll(UserId user, Jid jid, List<String> names) {
        CompletionStage<Void> all = done();
        for (String name : names) {
            all = all.thenCompose(ignored -> leave(user, jid, name, Optional.empty()).exceptionally(e -> null));
        }
        return all;
    }

    /** After {@code gone} was taken out: its unavailable presence to those left (and to it), and the room's end. */
    CompletionStage<Void> afterLeaving(String name, Occupant gone, Optional<Sender> sender, RoomStanzas.Item item,
            List<String> codes) {
        return occupants.list(name).thenCombine(workers.submit(() -> rooms.find(name)), (left, room) -> {
            if (room.isEmpty()) {
                return null;
            }
            List<Occupant> told = new ArrayList<>(left);
            told.add(gone);
            broadcast(room.get(), told, sender.orElse(null), gone, true, item, codes);
            if (left.isEmpty() && (!room.get().persistent() || room.get().locked())) {
                workers.submit(() -> rooms.delete(name)).thenAccept(deleted -> {
                    if (deleted) {
                        LOG.info("event=muc_room_ended room={}", RoomStanzas.ref(name));
                    }
                });
            }
            return null;
        });
    }

    /** Takes out an occupant whose connection is gone, telling the others (XEP-0045 status 333). */
    CompletionStage<Void> evict(String room, Occupant gone) {
        return occupants.leave(room, gone.user(), gone.resource()).thenCompose(left -> {
            if (left.isEmpty()) {
                return done();
            }
            LOG.info("event=muc_evicted room={} user={}", RoomStanzas.ref(room), gone.user().value());
            return afterLeaving(room, gone, Optional.empty(), RoomStanzas.Item.PLAIN, List.of(RoomStanzas.TECHNICAL));
        });
    }

    /** Whether the occupant's connection is still bound somewhere in the cluster. */
    CompletionStage<Boolean> live(Occupant o) {
        return router.resourcesOf(o.user()).thenApply(endpoints -> endpoints.stream()
                .anyMatch(e -> e.id().equals(StanzaRouter.endpointOf(o.user(), o.resource()))));
    }

    /**
     * {@code who}'s presence to each of {@code everyone} as each may see it; the sender's own copy goes to the sender
     * directly (in order with what else it is sent), the others' through the router.
     */
    void broadcast(GroupRoom room, List<Occupant> everyone, Sender sender, Occupant who, boolean unavailable,
            RoomStanzas.Item item, List<String> codes) {
        Jid roomJid = roomJid(room.name());
        List<XmlElement> content = unavailable ? List.of() : RoomStanzas.content(who.presence());
        for (Occupant viewer : everyone) {
            XmlElement presence = RoomStanzas.presence(roomJid, room, who, content, viewer, unavailable, item, serverDomain,
                    codes);
            deliver(room.name(), viewer, sender, presence, !unavailable);
        }
    }

    /** One stanza to one occupant; a connection found gone is taken out of the room when {@code evictGone}. */
    void deliver(String room, Occupant to, Sender sender, XmlElement stanza, boolean evictGone) {
        if (sender != null && to.is(sender.user().id(), sender.jid().resource())) {
            sender.send(stanza);
            return;
        }
        router.toResource(to.user(), to.resource(), StanzaRouter.STANZA, stanza.toXml()).thenAccept(outcome -> {
            if (outcome == DeliveryOutcome.NOT_CONNECTED && evictGone) {
                // gone only when its resource is registered nowhere: a session moving between nodes (XEP-0198
                // resumed elsewhere) is not found for those milliseconds, and stays in the room
                router.holderOf(to.user(), to.resource()).thenAccept(holder -> {
                    if (holder.isEmpty()) {
                        evict(room, to);
                    }
                });
            }
        });
    }

    // ---- messages (XEP-0045 §7.4, §7.5, §7.8.2, §8.1)

    /** A message the sender addressed to a room or to an occupant. */
    public CompletionStage<Void> message(Sender sender, XmlElement message, Jid to) {
        String type = message.attr("type") == null ? "normal" : message.attr("type");
        if (to.local().isEmpty() || type.equals("error")) {
            return done();
        }
        String name = to.local();
        return occupants.list(name).thenCompose(all -> {
            Optional<Occupant> me = all.stream().filter(o -> o.is(sender.user().id(), sender.jid().resource())).findFirst();
            if (to.isBare() && !type.equals("groupchat")) {
                Optional<XmlElement> invite = message.child("x", RoomStanzas.USER_NS)
                        .flatMap(x -> x.child("invite", RoomStanzas.USER_NS));
                if (invite.isPresent()) {
                    return invite(sender, message, name, me, invite.get());
                }
                reply(sender, message, "modify", "bad-request");
                return done();
            }
            if (me.isEmpty()) {
                reply(sender, message, "modify", "not-acceptable"); // only occupants speak in a room
                return done();
            }
            if (!to.isBare()) {
                return privateMessage(sender, message, name, me.get(), all, to.resource(), type);
            }
            if (message.child("subject", CLIENT).isPresent() && message.child("body", CLIENT).isEmpty()) {
                return subject(sender, message, name, me.get(), all);
            }
            if (me.get().role() == RoomRole.VISITOR) {
                reply(sender, message, "auth", "forbidden"); // a moderated room: visitors have no voice
                return done();
            }
            return groupchat(sender, message, name, me.get(), all);
        }).exceptionally(e -> failed(sender, message, e));
    }

    /** XEP-0045 §7.4: to every occupant, the sender included, from the sender's room address, with the room's id. */
    private CompletionStage<Void> groupchat(Sender sender, XmlElement message, String name, Occupant me,
            List<Occupant> all) {
        Jid roomJid = roomJid(name);
        String id = newId();
        XmlElement sent = message.without("stanza-id", RoomStanzas.SID_NS).with("to", null)
                .with("from", roomJid.withResource(me.nick()).toString()).toBuilder()
                .add(XmlElement.builder("stanza-id", RoomStanzas.SID_NS).attr("by", roomJid.toString()).attr("id", id)
                        .build()).build();
        boolean kept = message.child("body", CLIENT).isPresent() && settings.historySize() > 0
                && message.child("no-store", "urn:xmpp:hints").isEmpty();
        // kept before it is delivered: whoever sees it, and whoever enters after, finds it in the history
        CompletionStage<Void> stored = kept ? workers.submit(() -> {
            rooms.appendHistory(new RoomMessage(name, id, sent.toXml(), clock.instant().truncatedTo(ChronoUnit.MILLIS)),
                    settings.historySize());
            return null;
        }) : done();
        return stored.thenRun(() -> {
            for (Occupant to : all) {
                deliver(name, to, sender, sent.with("to", RoomStanzas.realJid(to, serverDomain).toString()), true);
            }
        });
    }

    /** XEP-0045 §7.5: to one occupant, from the sender's room address, marked as from the room. */
    private CompletionStage<Void> privateMessage(Sender sender, XmlElement message, String name, Occupant me,
            List<Occupant> all, String nick, String type) {
        if (type.equals("groupchat")) {
            reply(sender, message, "modify", "bad-request");
            return done();
        }
        Optional<Occupant> target = all.stream().filter(o -> o.nick().equals(nick)).findFirst();
        if (target.isEmpty()) {
            reply(sender, message, "cancel", "item-not-found");
            return done();
        }
        Jid roomJid = roomJid(name);
        XmlElement sent = message.without("x", RoomStanzas.USER_NS)
                .with("from", roomJid.withResource(me.nick()).toString())
                .with("to", RoomStanzas.realJid(target.get(), serverDomain).toString()).toBuilder()
                .add(XmlElement.empty("x", RoomStanzas.USER_NS)).build();
        return router.toResource(target.get().user(), target.get().resource(), StanzaRouter.STANZA, sent.toXml())
                .thenAccept(outcome -> {
                    if (outcome != DeliveryOutcome.DELIVERED) {
                        reply(sender, message, "cancel", "item-not-found");
                    }
                });
    }

    /** XEP-0045 §8.1: moderators, and participants where the room allows it, change the subject. */
    private CompletionStage<Void> subject(Sender sender, XmlElement message, String name, Occupant me,
            List<Occupant> all) {
        String text = message.child("subject", CLIENT).map(XmlElement::text).orElse("");
        return workers.submit(() -> {
            Optional<GroupRoom> room = rooms.find(name);
            if (room.isEmpty()) {
                return Optional.<GroupRoom>empty();
            }
            boolean may = me.role() == RoomRole.MODERATOR
                    || (me.role() == RoomRole.PARTICIPANT && room.get().changeSubject());
            if (!may) {
                return Optional.<GroupRoom>empty();
            }
            GroupRoom changed = room.get().withSubject(text, me.nick());
            rooms.update(changed);
            return Optional.of(changed);
        }).thenAccept(changed -> {
            if (changed.isEmpty()) {
                reply(sender, message, "auth", "forbidden");
                return;
            }
            Jid roomJid = roomJid(name);
            XmlElement sent = XmlElement.builder("message", CLIENT).attr("type", "groupchat").attr("id", message.attr("id"))
                    .attr("from", roomJid.withResource(me.nick()).toString()).textChild("subject", CLIENT, text).build();
            for (Occupant to : all) {
                deliver(name, to, sender, sent.with("to", RoomStanzas.realJid(to, serverDomain).toString()), true);
            }
        });
    }

    /**
     * XEP-0045 §7.8.2: a mediated invitation, from the room to the invitee's resources; in a members-only room only
     * admins and owners invite, and the invitee becomes a member.
     */
    private CompletionStage<Void> invite(Sender sender, XmlElement message, String name, Optional<Occupant> me,
            XmlElement invite) {
        if (me.isEmpty()) {
            reply(sender, message, "modify", "not-acceptable");
            return done();
        }
        Optional<Jid> invitee = Jid.parse(String.valueOf(invite.attr("to")));
        if (invitee.isEmpty() || !invitee.get().domain().equals(serverDomain) || invitee.get().local().isEmpty()) {
            reply(sender, message, "modify", "jid-malformed");
            return done();
        }
        String reason = invite.child("reason", RoomStanzas.USER_NS).map(XmlElement::text).orElse("");
        return workers.submit(() -> {
            Optional<GroupRoom> room = rooms.find(name);
            Optional<User> user = router.findUser(invitee.get().local());
            if (room.isEmpty() || user.isEmpty()) {
                return "item-not-found";
            }
            if (room.get().membersOnly()) {
                if (!me.get().affiliation().administers()) {
                    return "forbidden";
                }
                if (rooms.affiliation(name, user.get().id()) == Affiliation.NONE) {
                    rooms.setAffiliation(name, user.get().id(), Affiliation.MEMBER);
                }
            }
            Jid roomJid = roomJid(name);
            XmlElement.Builder inviteOut = XmlElement.builder("invite", RoomStanzas.USER_NS)
                    .attr("from", sender.jid().bare().toString());
            if (!reason.isEmpty()) {
                inviteOut.textChild("reason", RoomStanzas.USER_NS, reason);
            }
            XmlElement out = XmlElement.builder("message", CLIENT).attr("from", roomJid.toString())
                    .attr("to", invitee.get().bare().toString()).attr("id", message.attr("id"))
                    .add(XmlElement.builder("x", RoomStanzas.USER_NS).add(inviteOut.build()).build())
                    .add(XmlElement.builder("x", "jabber:x:conference").attr("jid", roomJid.toString()).build()).build();
            router.toResources(user.get().id(), Optional.empty(), StanzaRouter.STANZA, out.toXml());
            return "";
        }).thenAccept(condition -> {
            if (!condition.isEmpty()) {
                reply(sender, message, condition.equals("forbidden") ? "auth" : "cancel", condition);
            }
        });
    }

    // ---- IQs: disco (XEP-0030, XEP-0045 §6), administration (§8, §9) and ownership (§10)

    /** An IQ the sender addressed to the service, a room or an occupant. */
    public CompletionStage<Void> iq(Sender sender, XmlElement iq, Jid to) {
        String type = iq.attr("type");
        if (!"get".equals(type) && !"set".equals(type)) {
            return done(); // results and errors to a room: nobody asked
        }
        XmlElement query = iq.elements().get(0);
        boolean get = type.equals("get");
        if (to.local().isEmpty()) {
            return service(sender, iq, query, get);
        }
        if (!to.isBare()) {
            // IQs to occupants are not relayed; a non-occupant may not address them at all (XEP-0045 §7.12)
            return occupants.list(to.local()).thenAccept(all -> {
                boolean occupant = all.stream().anyMatch(o -> o.is(sender.user().id(), sender.jid().resource()));
                reply(sender, iq, occupant ? "cancel" : "modify", occupant ? "service-unavailable" : "bad-request");
            }).exceptionally(e -> failed(sender, iq, e));
        }
        CompletionStage<Void> answered;
        if (get && query.is("query", DISCO_INFO_NS) && query.attr("node") == null) {
            answered = roomInfo(sender, iq, to.local());
        } else if (get && query.is("query", DISCO_ITEMS_NS) && query.attr("node") == null) {
            answered = occupants.list(to.local()).thenCombine(workers.submit(() -> rooms.find(to.local())), (all, room) -> {
                XmlElement.Builder items = XmlElement.builder("query", DISCO_ITEMS_NS);
                // the occupants' room addresses (never their real ones): to occupants, and to anyone for a public
                // room; a hidden room lists nobody to outsiders (XEP-0045 §6.5)
                boolean occupant = all.stream().anyMatch(o -> o.is(sender.user().id(), sender.jid().resource()));
                if (occupant || room.map(r -> r.listed() && !r.locked()).orElse(false)) {
                    all.forEach(o -> items.add(XmlElement.builder("item", DISCO_ITEMS_NS)
                            .attr("jid", roomJid(to.local()).withResource(o.nick()).toString()).build()));
                }
                sender.send(result(iq, sender, items.build()));
                return null;
            });
        } else if (query.is("query", RoomStanzas.ADMIN_NS)) {
            answered = admin.admin(sender, iq, query, to.local(), get);
        } else if (query.is("query", RoomStanzas.OWNER_NS)) {
            answered = admin.owner(sender, iq, query, to.local(), get);
        } else if (get && query.is("ping", "urn:xmpp:ping")) {
            answered = occupants.list(to.local()).thenAccept(all -> {
                // XEP-0410: a self-ping answers whether the sender is still in the room
                if (all.stream().anyMatch(o -> o.is(sender.user().id(), sender.jid().resource()))) {
                    sender.send(result(iq, sender, null));
                } else {
                    reply(sender, iq, "cancel", "not-acceptable");
                }
            });
        } else {
            reply(sender, iq, "cancel", "service-unavailable");
            answered = done();
        }
        return answered.exceptionally(e -> failed(sender, iq, e));
    }

    private CompletionStage<Void> service(Sender sender, XmlElement iq, XmlElement query, boolean get) {
        if (get && query.is("query", DISCO_INFO_NS) && query.attr("node") == null) {
            XmlElement.Builder info = XmlElement.builder("query", DISCO_INFO_NS)
                    .add(XmlElement.builder("identity", DISCO_INFO_NS).attr("category", "conference").attr("type", "text")
                            .attr("name", "Care-team rooms").build());
            for (String feature : List.of(DISCO_INFO_NS, DISCO_ITEMS_NS, RoomStanzas.MUC_NS, "urn:xmpp:ping")) {
                info.add(XmlElement.builder("feature", DISCO_INFO_NS).attr("var", feature).build());
            }
            sender.send(result(iq, sender, info.build()));
            return done();
        }
        if (get && query.is("query", DISCO_ITEMS_NS) && query.attr("node") == null) {
            return workers.submit(rooms::listed).thenAccept(listed -> {
                XmlElement.Builder items = XmlElement.builder("query", DISCO_ITEMS_NS);
                for (GroupRoom room : listed) {
                    items.add(XmlElement.builder("item", DISCO_ITEMS_NS).attr("jid", roomJid(room.name()).toString())
                            .attr("name", room.title().isEmpty() ? room.name() : room.title()).build());
                }
                sender.send(result(iq, sender, items.build()));
            }).exceptionally(e -> failed(sender, iq, e));
        }
        if (get && query.is("ping", "urn:xmpp:ping")) {
            sender.send(result(iq, sender, null));
            return done();
        }
        reply(sender, iq, "cancel", "service-unavailable");
        return done();
    }

    /** XEP-0045 §6.4: the room's identity, features and the muc#roominfo form; a locked room is not there. */
    private CompletionStage<Void> roomInfo(Sender sender, XmlElement iq, String name) {
        return workers.submit(() -> rooms.find(name)).thenCombine(occupants.list(name), (room, all) -> {
            if (room.isEmpty() || room.get().locked()) {
                reply(sender, iq, "cancel", "item-not-found");
                return null;
            }
            GroupRoom r = room.get();
            XmlElement.Builder info = XmlElement.builder("query", DISCO_INFO_NS)
                    .add(XmlElement.builder("identity", DISCO_INFO_NS).attr("category", "conference").attr("type", "text")
                            .attr("name", r.title().isEmpty() ? r.name() : r.title()).build());
            List<String> features = List.of(DISCO_INFO_NS, DISCO_ITEMS_NS, RoomStanzas.MUC_NS, RoomStanzas.SID_NS,
                    "urn:xmpp:ping", r.persistent() ? "muc_persistent" : "muc_temporary",
                    r.membersOnly() ? "muc_membersonly" : "muc_open", r.moderated() ? "muc_moderated" : "muc_unmoderated",
                    r.nonAnonymous() ? "muc_nonanonymous" : "muc_semianonymous", r.listed() ? "muc_public" : "muc_hidden",
                    "muc_unsecured");
            for (String feature : features) {
                info.add(XmlElement.builder("feature", DISCO_INFO_NS).attr("var", feature).build());
            }
            info.add(RoomAdmin.form("result", "http://jabber.org/protocol/muc#roominfo", List.of(
                    RoomAdmin.field("muc#roominfo_description", "text-single", r.description()),
                    RoomAdmin.field("muc#roominfo_subject", "text-single", r.subject()),
                    RoomAdmin.field("muc#roominfo_occupants", "text-single", Integer.toString(all.size())),
                    RoomAdmin.field("muc#roomconfig_roomname", "text-single", r.title()))));
            sender.send(result(iq, sender, info.build()));
            return null;
        });
    }

    /** The item the server's disco#items lists for this service. */
    public XmlElement discoItem() {
        return XmlElement.builder("item", DISCO_ITEMS_NS).attr("jid", settings.domain()).attr("name", "Care-team rooms")
                .build();
    }

    // ---- shared

    Jid roomJid(String name) {
        return new Jid(name, settings.domain(), "");
    }

    String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static XmlElement result(XmlElement iq, Sender sender, XmlElement payload) {
        XmlElement.Builder result = XmlElement.builder("iq", CLIENT).attr("type", "result").attr("id", iq.attr("id"))
                .attr("from", iq.attr("to")).attr("to", sender.jid().toString());
        if (payload != null) {
            result.add(payload);
        }
        return result.build();
    }

    static void reply(Sender sender, XmlElement stanza, String type, String condition) {
        if (Stanzas.answerable(stanza)) {
            sender.send(Stanzas.error(stanza, type, condition, sender.jid()));
        }
    }

    private Void failed(Sender sender, XmlElement stanza, Throwable error) {
        Throwable cause = io.telesignal.core.work.Failures.cause(error);
        LOG.warn("event=muc_failed user={} stanza={} error={}", sender.user().id().value(), stanza.name(),
                cause.getClass().getSimpleName());
        reply(sender, stanza, "wait", "internal-server-error");
        return null;
    }

    static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
