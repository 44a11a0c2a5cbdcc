package io.telesignal.xmpp.stream;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.xmpp.xml.XmlElement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The messages of one bound session (RFC 6121 §8): routed one at a time, in the order sent, to a bare or full JID
 * through the {@link StanzaRouter}; kept offline when nobody takes them (XEP-0160); archived for both sides with a
 * stanza id (XEP-0313, XEP-0359); copied to the user's and the recipient's other resources (XEP-0280). On the
 * session's loop.
 */
final class MessageRouting {
    private static final String CLIENT = io.telesignal.xmpp.xml.XmlStreamParser.CLIENT_NS;
    private static final String CARBONS_NS = C2sSession.CARBONS_NS;
    private static final String FORWARD_NS = C2sSession.FORWARD_NS;
    private static final String HINTS_NS = C2sSession.HINTS_NS;

    private final C2sSession session;
    private final C2sSession.Context context;
    private final Link link;

    MessageRouting(C2sSession session, C2sSession.Context context, Link link) {
        this.session = session;
        this.context = context;
        this.link = link;
    }

    /** A message the client sent, its {@code from} stamped: routed in order, kept offline, archived, copied. */
    void handle(XmlElement message, Jid to) {
        if (session.toRoom(message, to) || session.toComponent(message, to)) {
            return;
        }
        if (!to.domain().equals(context.settings().domain())) {
            session.replyError(message, "cancel", "remote-server-not-found");
            return;
        }
        if (to.local().isEmpty()) {
            return; // a message to the server itself: nothing here answers it (RFC 6121 §8.5.1)
        }
        String type = message.attr("type") == null ? "normal" : message.attr("type");
        // XEP-0359 §4: stanza ids only this server may set; XEP-0313: chat and normal messages with a body are archived,
        // and the recipient's copy carries its archive id
        XmlElement clean = message.without("stanza-id", io.telesignal.xmpp.im.MessageArchive.SID_NS);
        boolean archived = context.archive().isPresent() && (type.equals("chat") || type.equals("normal"))
                && clean.child("body", CLIENT).isPresent() && clean.child("no-store", HINTS_NS).isEmpty();
        // XEP-0280 §7: the private marker is for this server; the recipient gets the message without it
        XmlElement forRecipient = clean.without("private", CARBONS_NS);
        Jid sender = session.boundJid();
        session.inOrder(() -> {
            CompletionStage<Boolean> routed;
            try {
                // the recipient's copy carries its archive id only when the recipient's preferences keep it
                routed = recipientArchives(archived, to, sender).thenCompose(keeps -> {
                    String archiveId = keeps.isPresent() ? context.archive().get().newId() : null;
                    XmlElement delivered = keeps.isEmpty() ? forRecipient : forRecipient.toBuilder().add(XmlElement
                            .builder("stanza-id", io.telesignal.xmpp.im.MessageArchive.SID_NS)
                            .attr("by", to.bare().toString()).attr("id", archiveId).build()).build();
                    return route(clean, to, type, delivered.toXml()).thenApply(taken -> {
                        if (taken && keeps.isPresent()) {
                            context.archive().get().archive(archiveId, keeps.get(), sender, delivered);
                        }
                        return taken;
                    });
                });
            } catch (RuntimeException failed) {
                routed = CompletableFuture.failedFuture(failed);
            }
            // the sender's copy is decided and queued within this step, so that the sender's copies keep its order
            UserId self = session.user().id();
            return routed.thenCompose(taken -> !taken || !archived ? CompletableFuture.completedFuture(taken)
                    : context.archive().get().archives(self, to.bare().toString()).exceptionally(failed -> false)
                            .thenApply(keep -> {
                                if (keep) {
                                    var archive = context.archive().get();
                                    archive.archive(archive.newId(), self, to, clean);
                                }
                                return taken;
                            })).whenCompleteAsync((taken, error) -> {
                if (error != null || !taken) {
                    // no such user, a full store, or a type nobody keeps: the sender is told (RFC 6121 §8.5.2.2.1)
                    session.replyError(message, "cancel", "service-unavailable");
                }
            }, link.loop());
        });
    }

    /**
     * The recipient, when the message is one to archive and the recipient's preferences keep a conversation with the
     * sender (XEP-0313 §8); else empty.
     */
    private CompletionStage<Optional<UserId>> recipientArchives(boolean archived, Jid to, Jid sender) {
        if (!archived) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return context.router().user(to.local()).thenCompose(found -> found.isEmpty()
                ? CompletableFuture.completedFuture(Optional.<UserId>empty())
                : context.archive().get().archives(found.get().id(), sender.bare().toString())
                        .thenApply(keep -> keep ? Optional.of(found.get().id()) : Optional.<UserId>empty())
                        // the preferences could not be read (store down, workers busy): delivered all the same
                        .exceptionally(failed -> Optional.empty()));
    }

    /** Delivers a message to its user's resources, or keeps it; answers whether someone took it. */
    private CompletionStage<Boolean> route(XmlElement message, Jid to, String type, String xml) {
        boolean copied = type.equals("chat") && message.child("private", CARBONS_NS).isEmpty()
                && message.child("no-copy", HINTS_NS).isEmpty();
        if (copied) {
            // XEP-0280 §6: what this resource sends, to the user's other resources that asked for carbons
            context.router().toResources(session.user().id(), Optional.of(session.endpoint()), StanzaRouter.CARBON,
                    () -> carbon("sent", message, session.boundJid().bare().toString()));
        }
        return context.router().user(to.local()).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            UserId target = found.get().id();
            CompletionStage<Integer> delivered;
            if (!to.isBare()) {
                delivered = context.router().toResource(target, to.resource(), StanzaRouter.STANZA, xml).thenCompose(o -> {
                    if (o == DeliveryOutcome.DELIVERED && copied) {
                        // XEP-0280 §5: what one resource received, to the recipient's other resources
                        context.router().toResources(target, Optional.of(StanzaRouter.endpointOf(target, to.resource())),
                                StanzaRouter.CARBON, () -> carbon("received", message, to.bare().toString()));
                    }
                    return CompletableFuture.completedFuture(o);
                }).thenCompose(o ->
                        o == DeliveryOutcome.DELIVERED ? CompletableFuture.completedFuture(1)
                                : type.equals("groupchat") ? CompletableFuture.completedFuture(0)
                                : context.router().toResources(target, Optional.empty(), StanzaRouter.STANZA, xml));
            } else if (type.equals("groupchat")) {
                delivered = CompletableFuture.completedFuture(0);
            } else {
                delivered = context.router().toResources(target, Optional.empty(), StanzaRouter.STANZA, xml);
            }
            return delivered.thenCompose(n -> {
                if (n > 0) {
                    return CompletableFuture.completedFuture(true);
                }
                if (type.equals("headline")) {
                    return CompletableFuture.completedFuture(true); // nobody to show it to: dropped (RFC 6121 §8.5.2.1.1)
                }
                if (!type.equals("normal") && !type.equals("chat")) {
                    return CompletableFuture.completedFuture(false);
                }
                // nobody online: kept (XEP-0160); the sender is told when it could not be
                return context.keepOffline(target, session.boundJid(), message);
            });
        });
    }

    /** XEP-0280: the message forwarded (XEP-0297) inside {@code <sent/>} or {@code <received/>}, from the bare JID. */
    private static String carbon(String direction, XmlElement message, String bare) {
        return XmlElement.builder("message", CLIENT).attr("from", bare).attr("type", message.attr("type"))
                .add(XmlElement.builder(direction, CARBONS_NS).add(XmlElement.builder("forwarded", FORWARD_NS)
                        .add(message).build()).build()).build().toXml();
    }
}
