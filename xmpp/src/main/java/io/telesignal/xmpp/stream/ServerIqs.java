package io.telesignal.xmpp.stream;

import io.telesignal.core.identity.User;
import io.telesignal.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IQs a bound session's server answers itself (RFC 6120 §8.1.4, RFC 6121 §2): the roster, XEP-0199 ping, XEP-0030
 * disco, the legacy session, XEP-0280 carbons (whose switch it keeps), XEP-0313 MAM and XEP-0215 external services.
 * Anything else is {@code service-unavailable}. On the session's loop only.
 */
final class ServerIqs {
    private static final Logger LOG = LoggerFactory.getLogger(ServerIqs.class);
    private static final String CLIENT = io.telesignal.xmpp.xml.XmlStreamParser.CLIENT_NS;
    private static final String PING_NS = C2sSession.PING_NS;
    private static final String SESSION_NS = C2sSession.SESSION_NS;
    private static final String DISCO_INFO_NS = C2sSession.DISCO_INFO_NS;
    private static final String DISCO_ITEMS_NS = C2sSession.DISCO_ITEMS_NS;
    private static final String CARBONS_NS = C2sSession.CARBONS_NS;

    private final C2sSession session;
    private final C2sSession.Context context;
    private final Link link;
    /** Whether this resource asked for message carbons (XEP-0280). */
    private boolean carbons;

    ServerIqs(C2sSession session, C2sSession.Context context, Link link) {
        this.session = session;
        this.context = context;
        this.link = link;
    }

    boolean carbons() {
        return carbons;
    }

    /** Carbons as a session that moved here had them. */
    void carbons(boolean on) {
        carbons = on;
    }

    /** An IQ request to the server or the account: the roster, ping, disco, carbons, MAM, external services. */
    void answer(XmlElement iq) {
        XmlElement query = iq.elements().get(0);
        boolean get = "get".equals(iq.attr("type"));
        if (query.is("query", io.telesignal.xmpp.im.RosterService.ROSTER_NS)) {
            roster(iq, query, get);
        } else if (query.is("query", io.telesignal.xmpp.im.MessageArchive.MAM_NS) && context.archive().isPresent()) {
            mam(iq, query, get);
        } else if (query.is("prefs", io.telesignal.xmpp.im.MessageArchive.MAM_NS) && context.archive().isPresent()) {
            preferences(iq, query, get);
        } else if (query.namespace().equals(io.telesignal.xmpp.im.Blocking.NS)) {
            blocking(iq, query, get);
        } else if (get && query.is("services", io.telesignal.xmpp.im.ExternalServices.NS)) {
            link.send(session.result(iq, context.services().services(session.user().id(), Optional.ofNullable(query.attr("type")))));
        } else if (!get && query.namespace().equals(CARBONS_NS) && (query.name().equals("enable")
                || query.name().equals("disable"))) {
            carbons = query.name().equals("enable");
            link.send(session.result(iq, null));
        } else if ((get && query.is("ping", PING_NS)) || (!get && query.is("session", SESSION_NS))) {
            link.send(session.result(iq, null));
        } else if (get && query.is("query", DISCO_INFO_NS) && query.attr("node") == null) {
            XmlElement.Builder info = XmlElement.builder("query", DISCO_INFO_NS);
            if (Jid.parse(iq.attr("to") == null ? "" : iq.attr("to")).map(j -> j.local().isEmpty()).orElse(false)) {
                info.add(XmlElement.builder("identity", DISCO_INFO_NS).attr("category", "server").attr("type", "im")
                        .attr("name", "telesignal").build());
                if (context.pep().isPresent()) {
                    info.add(XmlElement.builder("feature", DISCO_INFO_NS).attr("var",
                            io.telesignal.xmpp.pep.PepService.VCARD_NS).build()); // XEP-0054 §4: on the server too
                }
            } else {
                info.add(XmlElement.builder("identity", DISCO_INFO_NS).attr("category", "account")
                        .attr("type", "registered").build());
                context.pep().ifPresent(pep -> pep.describeAccount(info)); // XEP-0163 §5: on the account
            }
            List<String> features = new java.util.ArrayList<>(List.of(DISCO_INFO_NS, DISCO_ITEMS_NS, PING_NS, CARBONS_NS,
                    io.telesignal.xmpp.im.Blocking.NS,
                    io.telesignal.xmpp.im.RosterService.ROSTER_NS, "urn:xmpp:features:rosterver",
                    io.telesignal.xmpp.im.ExternalServices.NS));
            if (context.archive().isPresent()) {
                features.addAll(List.of(io.telesignal.xmpp.im.MessageArchive.MAM_NS, io.telesignal.xmpp.im.MessageArchive.SID_NS));
            }
            for (String feature : features) {
                info.add(XmlElement.builder("feature", DISCO_INFO_NS).attr("var", feature).build());
            }
            link.send(session.result(iq, info.build()));
        } else if (get && query.is("query", DISCO_ITEMS_NS) && query.attr("node") == null) {
            XmlElement.Builder items = XmlElement.builder("query", DISCO_ITEMS_NS);
            boolean server = Jid.parse(iq.attr("to") == null ? "" : iq.attr("to")).map(j -> j.local().isEmpty()).orElse(false);
            if (server) {
                context.muc().ifPresent(muc -> items.add(muc.discoItem())); // XEP-0045 §6.1: the service is found here
                context.components().ifPresent(components -> components.discoItems().forEach(items::add));
                context.upload().ifPresent(upload -> items.add(upload.discoItem())); // XEP-0363 §3
            }
            link.send(session.result(iq, items.build()));
        } else {
            session.replyError(iq, "cancel", "service-unavailable");
        }
    }

    /**
     * XEP-0191: the block list read (this resource then gets the changes pushed), or an address blocked or unblocked;
     * a change is pushed to every resource of the user, wherever it is connected, and each applies it at once.
     */
    private void blocking(XmlElement iq, XmlElement query, boolean get) {
        User self = session.user();
        var blocking = context.blocking();
        boolean change = !get && (query.name().equals("block") || query.name().equals("unblock"));
        if (!(get && query.name().equals("blocklist")) && !change) {
            session.replyError(iq, "modify", "bad-request");
            return;
        }
        // in turn with the session's other stanzas: a change then a read answers what the change left
        session.inOrder(() -> {
            CompletionStage<XmlElement> answer;
            try {
                answer = get ? blocking.list(self.id()).thenApply(list -> {
                    session.blocklistRequested = true;
                    return list;
                }) : blocking.change(self.id(), query).thenApply(made -> {
                    made.ifPresent(done -> {
                        context.router().toResources(self.id(), Optional.empty(), StanzaRouter.BLOCKED, done.body());
                        LOG.info("event=xmpp_block_list_changed user={} block={} items={}", self.id().value(),
                                done.block(), done.jids().size());
                    });
                    return (XmlElement) null;
                });
            } catch (io.telesignal.xmpp.im.Blocking.Refused refused) {
                session.replyError(iq, refused.type(), refused.condition());
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            return answer.whenCompleteAsync((payload, error) -> {
                if (!session.bound()) {
                    return;
                }
                Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                if (cause instanceof io.telesignal.xmpp.im.Blocking.Refused refused) {
                    session.replyError(iq, refused.type(), refused.condition());
                } else if (cause != null) {
                    LOG.warn("event=xmpp_block_failed user={} error={}", self.id().value(), cause.getClass().getSimpleName());
                    session.replyError(iq, "wait", "internal-server-error");
                } else {
                    link.send(session.result(iq, payload));
                }
            }, link.loop());
        });
    }

    /** XEP-0313 §8: the user's archiving preferences, read or replaced. */
    private void preferences(XmlElement iq, XmlElement query, boolean get) {
        User self = session.user();
        CompletionStage<XmlElement> answer;
        try {
            answer = get ? context.archive().get().preferences(self.id())
                    : context.archive().get().setPreferences(self.id(), query);
        } catch (io.telesignal.xmpp.im.MessageArchive.QueryException e) {
            session.replyError(iq, "modify", e.condition());
            return;
        }
        answer.whenCompleteAsync((prefs, error) -> {
            if (!session.bound()) {
                return;
            }
            if (error != null) {
                LOG.warn("event=xmpp_mam_prefs_failed user={} error={}", self.id().value(), error.getClass().getSimpleName());
                session.replyError(iq, "wait", "internal-server-error");
            } else {
                link.send(session.result(iq, prefs));
            }
        }, link.loop());
    }

    /** XEP-0313: the form (get), or a query (set) answered with its results, then the IQ result with {@code fin}. */
    private void mam(XmlElement iq, XmlElement query, boolean get) {
        if (get) {
            link.send(session.result(iq, io.telesignal.xmpp.im.MessageArchive.form()));
            return;
        }
        User self = session.user();
        Jid to = session.boundJid();
        CompletionStage<io.telesignal.xmpp.im.MessageArchive.Answer> answer;
        try {
            answer = context.archive().get().query(self.id(), to, query);
        } catch (io.telesignal.xmpp.im.MessageArchive.QueryException e) {
            session.replyError(iq, "modify", e.condition());
            return;
        }
        answer.whenCompleteAsync((done, error) -> {
            if (!session.bound()) {
                return;
            }
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                if (cause instanceof io.telesignal.xmpp.im.MessageArchive.QueryException refused) {
                    session.replyError(iq, "cancel", refused.condition());
                } else {
                    LOG.warn("event=xmpp_mam_failed user={} error={}", self.id().value(), cause.getClass().getSimpleName());
                    session.replyError(iq, "wait", "internal-server-error");
                }
                return;
            }
            done.results().forEach(link::send);
            link.send(session.result(iq, done.fin()));
        }, link.loop());
    }

    /** RFC 6121 §2.2, §2.3: the user's own roster; an IQ to another user's roster is refused. */
    private void roster(XmlElement iq, XmlElement query, boolean get) {
        String to = iq.attr("to");
        if (to != null && !Jid.parse(to).map(j -> j.equals(session.boundJid().bare()) || j.equals(session.boundJid())).orElse(false)) {
            session.replyError(iq, "auth", "forbidden");
            return;
        }
        User self = session.user();
        if (get) {
            String version = query.attr("ver");
            session.later(() -> context.rosters().get(self.id(), version), roster -> link.send(session.result(iq, roster.orElse(null))));
            return;
        }
        List<XmlElement> items = query.elements();
        if (items.size() != 1 || !items.get(0).is("item", io.telesignal.xmpp.im.RosterService.ROSTER_NS)) {
            session.replyError(iq, "modify", "bad-request");
            return;
        }
        session.later(() -> {
            try {
                context.rosters().set(self, items.get(0));
                return "";
            } catch (io.telesignal.xmpp.im.RosterService.RosterException e) {
                return e.condition();
            }
        }, condition -> {
            if (condition.isEmpty()) {
                link.send(session.result(iq, null));
            } else {
                session.replyError(iq, condition.equals("not-allowed") ? "cancel" : "modify", condition);
            }
        });
    }

}
