package io.telesignal.signaling.ws;

import io.telesignal.core.call.CallSignal;
import io.telesignal.core.consultation.Action;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.net.websocket.WebSocketConnection;
import io.telesignal.signaling.protocol.ClientMessage;
import io.telesignal.signaling.session.SignalingSession;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A connection's call signaling: each {@code signal} authorized, its description checked, relayed to the peer in the
 * order sent, and the connection moved to its peer's event loop when both are on this node. One per connection,
 * touched on its event loop.
 */
final class SignalRelay {
    private final SignalingFrontDoor door;
    private final WebSocketConnection connection;
    /** How often at most the connection moves to its peer's loop (nanoseconds); 0: never. */
    private final long moveInterval;
    /** When it last looked for its peer's loop, and moved if it was another ({@link System#nanoTime()}). */
    private long movedAt;
    /**
     * The consultation and peer of the last signal (a call sends hundreds to the same): their ids are taken again
     * rather than checked and made anew, and their strings keep their hash codes for the maps they are looked up in.
     * Touched on the connection's loop only.
     */
    private ConsultationId lastSignalConsultation;
    private EndpointId lastSignalPeer;

    SignalRelay(SignalingFrontDoor door, WebSocketConnection connection) {
        this.door = door;
        this.connection = connection;
        this.moveInterval = door.settings().peerMoves().map(java.time.Duration::toNanos).orElse(0L);
        this.movedAt = System.nanoTime() - moveInterval;
    }

    /** Relays call signaling to an admitted peer endpoint of the same consultation. */
    CompletionStage<Object> relay(SignalingSession s, ClientMessage.Signal signal, ConsultationService.Origin origin) {
        ConsultationId id = lastSignalConsultation != null && lastSignalConsultation.value().equals(signal.consultation())
                ? lastSignalConsultation : (lastSignalConsultation = consultationId(signal.consultation()));
        EndpointId to = lastSignalPeer != null && lastSignalPeer.value().equals(signal.to())
                ? lastSignalPeer : (lastSignalPeer = endpointId(signal.to()));
        CompletableFuture<Void> handed = new CompletableFuture<>();
        // in the order sent: checked after the previous signal was handed to the router, handed on in turn (most
        // often the previous one was long since, and this one is checked at once)
        CompletableFuture<Void> previous = s.relayAfter(handed);
        CompletionStage<Consultation> authorized = previous.isDone()
                ? door.consultations().authorize(s.actor(), id, Action.SIGNAL, origin)
                : previous.thenCompose(ready -> door.consultations().authorize(s.actor(), id, Action.SIGNAL, origin));
        CompletionStage<Object> relayed = authorized.thenCompose(c -> c.admittedEndpoint(to).isPresent()
                ? CompletableFuture.completedFuture(c)
                // this node's copy may not know yet that the peer was admitted on another node: ask for the latest
                : door.consultations().latest(id)).thenCompose(c -> {
            var peer = c.admittedEndpoint(to).filter(attendee -> !to.equals(s.endpoint()));
            if (peer.isEmpty()) {
                throw new io.telesignal.core.Refusal("peer_unavailable", "no admitted participant endpoint " + to + " here");
            }
            if (connection.eventLoop().inEventLoop()) {
                followPeer(s, to); // else authorized on a worker: the next signal will
            }
            if (signal.description() != null) {
                // RFC 8866 grammar, size, codec policy and RFC 3264 offer/answer, before the peer sees it
                door.checkDescription(id.value(), s.endpoint().value(), to.value(), signal.description().type(),
                        signal.description().sdpText());
            }
            CallSignal event = new CallSignal(id, s.actor().user(), s.endpoint(),
                    signal.description() == null ? null
                            : new CallSignal.Description(signal.description().type(), signal.description().sdpText(),
                                    signal.description().sdpLiteral()),
                    signal.candidate() == null ? null : new CallSignal.Candidate(signal.candidate().candidate(),
                            signal.candidate().sdpMid(), signal.candidate().sdpMLineIndex(),
                            signal.candidate().usernameFragment()),
                    Boolean.TRUE.equals(signal.restart()),
                    signal.hangup() == null ? null : new CallSignal.Hangup(signal.hangup().reason()), signal.id());
            UserId toUser = peer.get().user();
            CompletionStage<DeliveryOutcome> delivered = door.router().deliver(to, event);
            handed.complete(null);
            return delivered.thenCompose(outcome -> {
                if (outcome != DeliveryOutcome.DELIVERED) {
                    throw new io.telesignal.core.Refusal("peer_unavailable", "the peer could not be reached");
                }
                // a signal that starts, connects or ends a call is answered once its call record is committed; the
                // peer has the signal either way, so a record that fails (logged by the tracker) does not fail it
                return door.calls().relayed(event, toUser, to).handle((recorded, failure) -> (Object) null);
            });
        });
        if (!handed.isDone()) {
            relayed.whenComplete((done, failure) -> handed.complete(null)); // refused or failed: the next goes
        }
        return relayed;
    }

    /**
     * Shares an event loop with the peer this connection signals (when both are connected to this node): relaying
     * between two connections of one loop takes no hand-off between threads, which on a busy server costs more than
     * the relay. Of two peers the one with the larger endpoint id moves to the other's loop, so two that signal at
     * once do not swap; a connection looks (and moves) at most once per {@code signaling.peerMoveInterval}, so one that
     * signals several peers on several loops does not bounce between them. Called on the connection's loop.
     */
    private void followPeer(SignalingSession session, EndpointId to) {
        if (moveInterval == 0 || to.value().compareTo(session.endpoint().value()) >= 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - movedAt < moveInterval) {
            return;
        }
        // looked up once per interval, not per signal: once on the peer's loop there is nothing to do until then
        movedAt = now;
        door.loopOf(to).filter(loop -> loop != connection.eventLoop()).ifPresent(connection::moveTo);
    }

    private static ConsultationId consultationId(String value) {
        return new ConsultationId(value);
    }

    private static EndpointId endpointId(String value) {
        return new EndpointId(value);
    }
}
