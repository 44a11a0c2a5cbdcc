package io.telesignal.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * What the server sends. The codec adds {@code seq}: 1, 2, 3... for the session's stream (buffered until
 * acknowledged, replayed on resume), and 0 for connection-level messages ({@code welcome}, errors before a
 * session exists), which are never buffered.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ServerMessage.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = ServerMessage.Result.class, name = "result"),
    @JsonSubTypes.Type(value = ServerMessage.Error.class, name = "error"),
    @JsonSubTypes.Type(value = ServerMessage.Participants.class, name = "participant"),
    @JsonSubTypes.Type(value = ServerMessage.WaitingRoom.class, name = "waiting-room"),
    @JsonSubTypes.Type(value = ServerMessage.Admission.class, name = "admission"),
    @JsonSubTypes.Type(value = ServerMessage.SignalRelay.class, name = "signal"),
    @JsonSubTypes.Type(value = ServerMessage.Chat.class, name = "chat"),
    @JsonSubTypes.Type(value = ServerMessage.PresenceNotice.class, name = "presence"),
    @JsonSubTypes.Type(value = ServerMessage.Reconnect.class, name = "reconnect"),
    @JsonSubTypes.Type(value = ServerMessage.Signaled.class, name = "signaled")
})
@JsonInclude(JsonInclude.Include.NON_NULL)
// seq is written last by the codec, from a per-call attribute: one pass, no splicing
@com.fasterxml.jackson.databind.annotation.JsonAppend(attrs = @com.fasterxml.jackson.databind.annotation.JsonAppend.Attr(
        value = ProtocolCodec.SEQ, include = JsonInclude.Include.ALWAYS))
public sealed interface ServerMessage {
    /**
     * The session is open; {@code endpoint} is its endpoint id (what peers address signals to). On a resume, {@code resumed} is true and the messages the client missed follow at
     * once, in order, from {@code replayFrom}.
     */
    /** {@code maxMessageBytes}: the largest message the server takes; a larger one closes the connection (1009). */
    record Welcome(String session, String endpoint, String resumeToken, boolean resumed, Long replayFrom,
            long heartbeatMs, int maxMessageBytes, UserView user, List<Map<String, Object>> iceServers)
            implements ServerMessage {}

    record UserView(String id, String displayName, List<String> roles) {}

    /** A request succeeded; {@code body} depends on the request. */
    record Result(String re, Object body) implements ServerMessage {}

    /**
     * To a session that said hello with {@code signalAcks: cumulative}: every {@code signal} it sent up to and including
     * the one with id {@code through} has been handled: relayed (it is in the peer's stream), or answered with its
     * {@code error} before this message.
     */
    record Signaled(String through) implements ServerMessage {}

    /** A request failed ({@code re} set) or the connection has a problem ({@code re} absent). */
    record Error(String re, String code, String message) implements ServerMessage {}

    /**
     * {@code awaySince}: set while every endpoint of theirs was lost with its server and they have not come back;
     * {@code invited}: true when they came through an invite link rather than being named in the consultation.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ParticipantView(String user, String displayName, String role, String status, String since,
            List<String> endpoints, String awaySince, Boolean invited) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    /** {@code version}: the consultation's version this view shows, comparable with the events' (older ones lose). */
    record ConsultationView(String id, String state, List<ParticipantView> participants, List<ParticipantView> waiting,
            List<ChatView> chat, long version) {}

    record ChatView(String id, String from, String displayName, String text, String at) {}

    /** A watched user's aggregated presence: available, away, busy, dnd, reconnecting or offline. */
    record PresenceNotice(String user, String status, String note) implements ServerMessage {}

    /** A chat message from another participant. */
    record Chat(String consultation, ChatView message) implements ServerMessage {}

    /** {@code version} orders snapshots of one consultation; the session never sends an older one after a newer. */
    record Participants(String consultation, String state, List<ParticipantView> participants, long version)
            implements ServerMessage {}

    record WaitingRoom(String consultation, List<ParticipantView> waiting, long version) implements ServerMessage {}

    /** Where the receiving user stands: waiting, admitted, denied, removed, ended. */
    record Admission(String consultation, String status) implements ServerMessage {}

    /**
     * This node is going away ({@code reason}: {@code node_draining}): reconnect at once, through the load balancer,
     * to another node. The connection is closed (1012) right after.
     */
    record Reconnect(String reason) implements ServerMessage {}

    /** A peer's call signaling, relayed as sent, with who sent it. */
    record SignalRelay(String consultation, String from, String fromEndpoint, RelayedDescription description,
            ClientMessage.Candidate candidate, Boolean restart, ClientMessage.Hangup hangup) implements ServerMessage {}

    /**
     * A relayed session description, written as {@link ClientMessage.Description} is read. It checks nothing: what it
     * carries was checked where it was sent (type, well-formed text, the SDP itself), so the receiver's event loop
     * does not walk a 2 KiB text again for every description.
     */
    record RelayedDescription(String type, JsonString sdp) {
        public static RelayedDescription of(ClientMessage.Description sent) {
            return new RelayedDescription(sent.type(), sent.sdp());
        }
    }
}
