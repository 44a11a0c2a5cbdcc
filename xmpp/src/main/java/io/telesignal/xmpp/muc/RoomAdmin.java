package io.telesignal.xmpp.muc;

import io.telesignal.core.groupchat.Affiliation;
import io.telesignal.core.groupchat.GroupRoom;
import io.telesignal.core.groupchat.Occupant;
import io.telesignal.core.groupchat.RoomRole;
import io.telesignal.core.groupchat.RoomStore;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.xmpp.stream.Jid;
import io.telesignal.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's administration (XEP-0045 §8, §9: roles and affiliations, with their lists) and ownership (§10: the
 * configuration form, an instant room, destruction). Every request is checked whole before any of it is applied.
 */
final class RoomAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(RoomAdmin.class);
    private static final String ADMIN_NS = RoomStanzas.ADMIN_NS;
    private static final String OWNER_NS = RoomStanzas.OWNER_NS;
    private static final String USER_NS = RoomStanzas.USER_NS;
    private static final String DATA_NS = RoomStanzas.DATA_NS;
    static final String CONFIG_FORM = "http://jabber.org/protocol/muc#roomconfig";

    private final MucService muc;

    RoomAdmin(MucService muc) {
        this.muc = muc;
    }

    /** A refusal of a whole request: the error's type and condition. */
    private static final class Refused extends RuntimeException {
        final String type;
        final String condition;

        Refused(String type, String condition) {
            super(condition, null, false, false);
            this.type = type;
            this.condition = condition;
        }
    }

    /** One change a request asks for, checked. */
    private sealed interface Change permits RoleChange, AffiliationChange {}

    private record RoleChange(Occupant target, RoomRole role, String reason) implements Change {}

    private record AffiliationChange(UserId user, Affiliation affiliation, String reason) implements Change {}

    // ---- muc#admin

    CompletionStage<Void> admin(MucService.Sender sender, XmlElement iq, XmlElement query, String name, boolean get) {
        List<XmlElement> items = query.elements().stream().filter(e -> e.is("item", ADMIN_NS)).toList();
        if (items.isEmpty() || (get && items.size() != 1)) {
            MucService.reply(sender, iq, "modify", "bad-request");
            return MucService.done();
        }
        return muc.occupants.list(name).thenCompose(all -> {
            Optional<Occupant> me = all.stream().filter(o -> o.is(sender.user().id(), sender.jid().resource())).findFirst();
            return muc.workers.submit(() -> {
                GroupRoom room = muc.rooms.find(name).orElseThrow(() -> new Refused("cancel", "item-not-found"));
                Affiliation mine = muc.rooms.affiliation(name, sender.user().id());
                if (get) {
                    return new Answer(room, list(items.get(0), name, mine, me, all), List.of());
                }
                List<Change> changes = new ArrayList<>();
                for (XmlElement item : items) {
                    changes.add(check(item, name, mine, me, all));
                }
                for (Change change : changes) {
                    if (change instanceof AffiliationChange a
                            && muc.rooms.setAffiliation(name, a.user(), a.affiliation()) == RoomStore.Changed.LAST_OWNER) {
                        throw new Refused("cancel", "conflict"); // XEP-0045 §10.6: a room keeps an owner
                    }
                }
                return new Answer(room, null, changes);
            }).thenCompose(answer -> {
                if (get) {
                    sender.send(MucService.result(iq, sender, answer.list()));
                    return MucService.done();
                }
                CompletionStage<Void> applied = MucService.done();
                for (Change change : answer.changes()) {
                    applied = applied.thenCompose(ignored -> apply(sender, answer.room(), me, change));
                }
                return applied.thenRun(() -> sender.send(MucService.result(iq, sender, null)));
            });
        }).exceptionally(e -> refused(sender, iq, e));
    }

    private record Answer(GroupRoom room, XmlElement list, List<Change> changes) {}

    /** XEP-0045 §8.5, §9.3, §9.5, §10.5, §10.8: a list by affiliation (admins, owners) or by role (moderators). */
    private XmlElement list(XmlElement item, String name, Affiliation mine, Optional<Occupant> me, List<Occupant> all) {
        XmlElement.Builder query = XmlElement.builder("query", ADMIN_NS);
        if (item.attr("affiliation") != null) {
            Affiliation wanted = Affiliation.fromWireName(item.attr("affiliation"))
                    .filter(a -> a != Affiliation.NONE).orElseThrow(() -> new Refused("modify", "bad-request"));
            if (!mine.administers()) {
                throw new Refused("auth", "forbidden");
            }
            for (Map.Entry<UserId, Affiliation> entry : muc.rooms.affiliations(name).entrySet()) {
                if (entry.getValue() == wanted) {
                    muc.users.apply(entry.getKey()).ifPresent(user -> query.add(XmlElement.builder("item", ADMIN_NS)
                            .attr("affiliation", wanted.wireName())
                            .attr("jid", user.login().value() + "@" + muc.serverDomain).build()));
                }
            }
            return query.build();
        }
        RoomRole wanted = RoomRole.fromWireName(String.valueOf(item.attr("role")))
                .filter(r -> r != RoomRole.NONE).orElseThrow(() -> new Refused("modify", "bad-request"));
        if (me.isEmpty() || me.get().role() != RoomRole.MODERATOR) {
            throw new Refused("auth", "forbidden");
        }
        for (Occupant o : all) {
            if (o.role() == wanted) {
                query.add(XmlElement.builder("item", ADMIN_NS).attr("nick", o.nick()).attr("role", o.role().wireName())
                        .attr("affiliation", o.affiliation().wireName())
                        .attr("jid", RoomStanzas.realJid(o, muc.serverDomain).toString()).build());
            }
        }
        return query.build();
    }

    /** Checks one item of a set against XEP-0045's permissions (§8, §9, §10). */
    private Change check(XmlElement item, String name, Affiliation mine, Optional<Occupant> me, List<Occupant> all) {
        String reason = item.child("reason", ADMIN_NS).map(XmlElement::text).orElse("");
        if (item.attr("role") != null) {
            RoomRole role = RoomRole.fromWireName(item.attr("role")).orElseThrow(() -> new Refused("modify", "bad-request"));
            Occupant target = all.stream().filter(o -> o.nick().equals(item.attr("nick"))).findFirst()
                    .orElseThrow(() -> new Refused("cancel", "item-not-found"));
            if (role != RoomRole.MODERATOR && target.affiliation().administers()) {
                throw new Refused("cancel", "not-allowed"); // admins and owners keep their role (§8.4, §9.6)
            }
            if (me.isEmpty() || me.get().role() != RoomRole.MODERATOR) {
                throw new Refused("auth", "forbidden");
            }
            boolean toOrFromModerator = role == RoomRole.MODERATOR || target.role() == RoomRole.MODERATOR;
            if (toOrFromModerator && !mine.administers()) {
                throw new Refused("auth", "forbidden"); // only admins and owners grant or revoke moderation
            }
            return new RoleChange(target, role, reason);
        }
        Affiliation affiliation = Affiliation.fromWireName(String.valueOf(item.attr("affiliation")))
                .orElseThrow(() -> new Refused("modify", "bad-request"));
        UserId user;
        if (item.attr("jid") != null) {
            Jid jid = Jid.parse(item.attr("jid")).orElseThrow(() -> new Refused("modify", "jid-malformed"));
            if (!jid.domain().equals(muc.serverDomain) || jid.local().isEmpty()) {
                throw new Refused("modify", "not-acceptable"); // users of this server only
            }
            user = muc.router.findUser(jid.local()).map(User::id).orElseThrow(() -> new Refused("cancel", "item-not-found"));
        } else {
            user = all.stream().filter(o -> o.nick().equals(item.attr("nick"))).findFirst().map(Occupant::user)
                    .orElseThrow(() -> new Refused("cancel", "item-not-found"));
        }
        Affiliation current = muc.rooms.affiliation(name, user);
        boolean lesser = !current.administers() && !affiliation.administers();
        if (!(mine == Affiliation.OWNER || (mine == Affiliation.ADMIN && lesser))) {
            throw new Refused("auth", "forbidden");
        }
        return new AffiliationChange(user, affiliation, reason);
    }

    /** What a checked change does to those in the room now. */
    private CompletionStage<Void> apply(MucService.Sender sender, GroupRoom room, Optional<Occupant> me, Change change) {
        String actor = me.map(Occupant::nick).orElse(null);
        if (change instanceof RoleChange r) {
            if (r.role() == RoomRole.NONE) {
                LOG.info("event=muc_kicked room={} user={} by={}", RoomStanzas.ref(room.name()), r.target().user().value(),
                        sender.user().id().value());
                return remove(sender, room, r.target(), actor, r.reason(), RoomStanzas.KICKED);
            }
            return changed(sender, room, r.target().with(r.role(), r.target().affiliation()), actor, r.reason());
        }
        AffiliationChange a = (AffiliationChange) change;
        LOG.info("event=muc_affiliation room={} user={} affiliation={} by={}", RoomStanzas.ref(room.name()), a.user().value(),
                a.affiliation().wireName(), sender.user().id().value());
        return muc.occupants.list(room.name()).thenCompose(all -> {
            CompletionStage<Void> done = MucService.done();
            for (Occupant o : all) {
                if (!o.user().equals(a.user())) {
                    continue;
                }
                if (a.affiliation() == Affiliation.OUTCAST) {
                    done = done.thenCompose(x -> remove(sender, room, o.with(o.role(), Affiliation.OUTCAST), actor,
                            a.reason(), RoomStanzas.BANNED));
                } else if (a.affiliation() == Affiliation.NONE && room.membersOnly()) {
                    done = done.thenCompose(x -> remove(sender, room, o.with(o.role(), Affiliation.NONE), actor,
                            a.reason(), RoomStanzas.AFFILIATION_CHANGED));
                } else {
                    done = done.thenCompose(x -> changed(sender, room,
                            o.with(RoomRole.entering(a.affiliation(), room.moderated()), a.affiliation()), actor, a.reason()));
                }
            }
            return done;
        });
    }

    /** Takes an occupant out (kicked, banned, no longer a member) and tells everyone, it included, why. */
    private CompletionStage<Void> remove(MucService.Sender sender, GroupRoom room, Occupant target, String actor,
            String reason, String code) {
        return muc.occupants.leave(room.name(), target.user(), target.resource()).thenCompose(gone -> gone.isEmpty()
                ? MucService.done()
                : muc.afterLeaving(room.name(), target, Optional.of(sender), new RoomStanzas.Item(null, actor, reason, null),
                        List.of(code)));
    }

    /** An occupant's new role or affiliation, to everyone. */
    private CompletionStage<Void> changed(MucService.Sender sender, GroupRoom room, Occupant updated, String actor,
            String reason) {
        return muc.occupants.update(room.name(), updated).thenCompose(kept -> !kept ? MucService.done()
                : muc.occupants.list(room.name()).thenAccept(all -> muc.broadcast(room, all, sender, updated, false,
                        new RoomStanzas.Item(null, actor, reason, null), List.of())));
    }

    // ---- muc#owner

    CompletionStage<Void> owner(MucService.Sender sender, XmlElement iq, XmlElement query, String name, boolean get) {
        return muc.workers.submit(() -> {
            GroupRoom room = muc.rooms.find(name).orElseThrow(() -> new Refused("cancel", "item-not-found"));
            if (muc.rooms.affiliation(name, sender.user().id()) != Affiliation.OWNER) {
                throw new Refused("auth", "forbidden");
            }
            return room;
        }).thenCompose(room -> {
            if (get) {
                sender.send(MucService.result(iq, sender, XmlElement.builder("query", OWNER_NS).add(configForm(room)).build()));
                return MucService.done();
            }
            Optional<XmlElement> destroy = query.child("destroy", OWNER_NS);
            if (destroy.isPresent()) {
                return destroy(sender, room, destroy.get()).thenRun(() -> sender.send(MucService.result(iq, sender, null)));
            }
            XmlElement form = query.child("x", DATA_NS).orElseThrow(() -> new Refused("modify", "bad-request"));
            if ("cancel".equals(form.attr("type"))) {
                // XEP-0045 §10.1.3: cancelling the first configuration destroys the new room
                CompletionStage<Void> cancelled = room.locked() ? destroy(sender, room, XmlElement.empty("destroy", OWNER_NS))
                        : MucService.done();
                return cancelled.thenRun(() -> sender.send(MucService.result(iq, sender, null)));
            }
            if (!"submit".equals(form.attr("type"))) {
                throw new Refused("modify", "bad-request");
            }
            GroupRoom configured = configured(room, form);
            return muc.workers.submit(() -> muc.rooms.update(configured)).thenCompose(updated -> {
                LOG.info("event=muc_configured room={} by={}", RoomStanzas.ref(name), sender.user().id().value());
                sender.send(MucService.result(iq, sender, null));
                return muc.occupants.list(name).thenCompose(all -> {
                    CompletionStage<Void> done = MucService.done();
                    if (!room.locked()) {
                        for (Occupant o : all) {
                            muc.deliver(name, o, sender, RoomStanzas.notice(muc.roomJid(name),
                                    RoomStanzas.realJid(o, muc.serverDomain), RoomStanzas.CONFIG_CHANGED), false);
                        }
                    }
                    if (configured.membersOnly() && !room.membersOnly()) {
                        for (Occupant o : all) {
                            if (o.affiliation() == Affiliation.NONE) {
                                done = done.thenCompose(x -> remove(sender, configured, o, null, null,
                                        RoomStanzas.MEMBERS_ONLY_NOW));
                            }
                        }
                    }
                    return done;
                });
            });
        }).exceptionally(e -> refused(sender, iq, e));
    }

    /** XEP-0045 §10.9: everyone leaves with the reason, then the room, its affiliations and history are deleted. */
    private CompletionStage<Void> destroy(MucService.Sender sender, GroupRoom room, XmlElement request) {
        String reason = request.child("reason", OWNER_NS).map(XmlElement::text).orElse("");
        return muc.occupants.clear(room.name()).thenCompose(all -> {
            for (Occupant o : all) {
                XmlElement.Builder destroyed = XmlElement.builder("destroy", USER_NS).attr("jid", request.attr("jid"));
                if (!reason.isEmpty()) {
                    destroyed.textChild("reason", USER_NS, reason);
                }
                XmlElement.Builder x = XmlElement.builder("x", USER_NS).add(XmlElement.builder("item", USER_NS)
                        .attr("affiliation", "none").attr("role", "none").build()).add(destroyed.build());
                if (o.is(sender.user().id(), sender.jid().resource())) {
                    x.add(RoomStanzas.status(RoomStanzas.SELF));
                }
                muc.deliver(room.name(), o, sender, XmlElement.builder("presence", MucService.CLIENT)
                        .attr("from", muc.roomJid(room.name()).withResource(o.nick()).toString())
                        .attr("to", RoomStanzas.realJid(o, muc.serverDomain).toString()).attr("type", "unavailable")
                        .add(x.build()).build(), false);
                if (o.is(sender.user().id(), sender.jid().resource())) {
                    sender.left(room.name());
                }
            }
            return muc.workers.submit(() -> muc.rooms.delete(room.name()));
        }).thenAccept(deleted -> LOG.info("event=muc_room_destroyed room={} by={}", RoomStanzas.ref(room.name()), sender.user().id().value()));
    }

    /** XEP-0045 §10.2: the room's configuration as a form to fill in. */
    private XmlElement configForm(GroupRoom room) {
        return form("form", CONFIG_FORM, List.of(
                field("muc#roomconfig_roomname", "text-single", room.title()),
                field("muc#roomconfig_roomdesc", "text-single", room.description()),
                field("muc#roomconfig_persistentroom", "boolean", room.persistent() ? "1" : "0"),
                field("muc#roomconfig_publicroom", "boolean", room.listed() ? "1" : "0"),
                field("muc#roomconfig_membersonly", "boolean", room.membersOnly() ? "1" : "0"),
                field("muc#roomconfig_moderatedroom", "boolean", room.moderated() ? "1" : "0"),
                field("muc#roomconfig_changesubject", "boolean", room.changeSubject() ? "1" : "0"),
                XmlElement.builder("field", DATA_NS).attr("var", "muc#roomconfig_whois").attr("type", "list-single")
                        .textChild("value", DATA_NS, room.nonAnonymous() ? "anyone" : "moderators")
                        .add(option("moderators")).add(option("anyone")).build(),
                field("muc#roomconfig_maxusers", "text-single", Integer.toString(room.maxOccupants()))));
    }

    private static XmlElement option(String value) {
        return XmlElement.builder("option", DATA_NS).textChild("value", DATA_NS, value).build();
    }

    /** The room as a submitted form configures it: fields left out keep their values; the room is unlocked. */
    private GroupRoom configured(GroupRoom room, XmlElement form) {
        Map<String, String> values = new HashMap<>();
        for (XmlElement field : form.elements()) {
            if (field.is("field", DATA_NS) && field.attr("var") != null) {
                values.put(field.attr("var"), field.child("value", DATA_NS).map(XmlElement::text).orElse("").strip());
            }
        }
        String whois = values.getOrDefault("muc#roomconfig_whois", room.nonAnonymous() ? "anyone" : "moderators");
        if (!whois.equals("anyone") && !whois.equals("moderators")) {
            throw new Refused("modify", "not-acceptable");
        }
        int max = room.maxOccupants();
        String maxText = values.get("muc#roomconfig_maxusers");
        if (maxText != null && !maxText.isEmpty()) {
            if (maxText.equals("none")) {
                max = muc.settings.maxOccupants();
            } else {
                try {
                    max = Integer.parseInt(maxText);
                } catch (NumberFormatException e) {
                    throw new Refused("modify", "not-acceptable");
                }
                if (max < 1 || max > muc.settings.maxOccupants()) {
                    throw new Refused("modify", "not-acceptable");
                }
            }
        }
        return new GroupRoom(room.name(), values.getOrDefault("muc#roomconfig_roomname", room.title()),
                values.getOrDefault("muc#roomconfig_roomdesc", room.description()), room.subject(), room.subjectBy(),
                bool(values, "muc#roomconfig_persistentroom", room.persistent()),
                bool(values, "muc#roomconfig_membersonly", room.membersOnly()),
                bool(values, "muc#roomconfig_moderatedroom", room.moderated()),
                bool(values, "muc#roomconfig_publicroom", room.listed()), whois.equals("anyone"),
                bool(values, "muc#roomconfig_changesubject", room.changeSubject()), max, false, room.createdAt());
    }

    private static boolean bool(Map<String, String> values, String field, boolean current) {
        String value = values.get(field);
        if (value == null) {
            return current;
        }
        return switch (value) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new Refused("modify", "not-acceptable");
        };
    }

    static XmlElement form(String type, String formType, List<XmlElement> fields) {
        XmlElement.Builder form = XmlElement.builder("x", DATA_NS).attr("type", type)
                .add(XmlElement.builder("field", DATA_NS).attr("var", "FORM_TYPE").attr("type", "hidden")
                        .textChild("value", DATA_NS, formType).build());
        fields.forEach(form::add);
        return form.build();
    }

    static XmlElement field(String var, String type, String value) {
        return XmlElement.builder("field", DATA_NS).attr("var", var).attr("type", type).textChild("value", DATA_NS, value)
                .build();
    }

    private static Void refused(MucService.Sender sender, XmlElement iq, Throwable error) {
        Throwable cause = io.telesignal.core.work.Failures.cause(error);
        if (cause instanceof Refused refused) {
            MucService.reply(sender, iq, refused.type, refused.condition);
        } else {
            LOG.warn("event=muc_admin_failed user={} error={}", sender.user().id().value(), cause.getClass().getSimpleName());
            MucService.reply(sender, iq, "wait", "internal-server-error");
        }
        return null;
    }
}
