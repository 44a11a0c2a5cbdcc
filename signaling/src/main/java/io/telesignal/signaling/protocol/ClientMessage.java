package io.telesignal.signaling.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * What a client sends. Every message but {@code hello} and {@code ack} is a request with an {@code id} the
 * client chooses (1-64 characters), answered by one {@code result} or {@code error} with {@code re} = that id.
 * Any message may carry {@code ack} (the highest server {@code seq} received), handled before the message.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ClientMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = ClientMessage.Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = ClientMessage.Join.class, name = "join"),
    @JsonSubTypes.Type(value = ClientMessage.Leave.class, name = "leave"),
    @JsonSubTypes.Type(value = ClientMessage.Admit.class, name = "admit"),
    @JsonSubTypes.Type(value = ClientMessage.Deny.class, name = "deny"),
    @JsonSubTypes.Type(value = ClientMessage.Remove.class, name = "remove"),
    @JsonSubTypes.Type(value = ClientMessage.End.class, name = "end"),
    @JsonSubTypes.Type(value = ClientMessage.Signal.class, name = "signal"),
    @JsonSubTypes.Type(value = ClientMessage.Chat.class, name = "chat"),
    @JsonSubTypes.Type(value = ClientMessage.History.class, name = "history"),
    @JsonSubTypes.Type(value = ClientMessage.Invite.class, name = "invite"),
    @JsonSubTypes.Type(value = ClientMessage.PresenceUpdate.class, name = "presence"),
    @JsonSubTypes.Type(value = ClientMessage.Watch.class, name = "watch")
})
public sealed interface ClientMessage {
    /** A request: answered with {@code result} or {@code error}. */
    sealed interface Request extends ClientMessage {
        String id();
    }

    /**
     * First message on every connection. {@code signalAcks}: {@code each} (the default) answers every {@code signal}
     * with a {@code result}; {@code cumulative} answers the session's successful signals together, with
     * {@code signaled} (errors still come one by one).
     */
    record Hello(String token, Resume resume, String signalAcks) implements ClientMessage {
        public static final String CUMULATIVE = "cumulative";

        public Hello {
            Fields.required("token", token, 8192);
            if (signalAcks != null && !signalAcks.equals("each") && !signalAcks.equals(CUMULATIVE)) {
                throw new InvalidFieldException("signalAcks", "must be each or cumulative");
            }
        }

        public Hello(String token, Resume resume) {
            this(token, resume, null);
        }

        public boolean cumulativeSignalAcks() {
            return CUMULATIVE.equals(signalAcks);
        }
    }

    /** Where a dropped client left off. */
    record Resume(String session, String resumeToken, Long lastSeq) {
        public Resume {
            Fields.required("resume.session", session, 64);
            Fields.required("resume.resumeToken", resumeToken, 128);
            Fields.present("resume.lastSeq", lastSeq);
            if (lastSeq < 0) {
                throw new InvalidFieldException("resume.lastSeq", "must not be negative");
            }
        }
    }

    /** Cumulative acknowledgement: every server message up to {@code seq} arrived. */
    record Ack(Long seq) implements ClientMessage {
        public Ack {
            Fields.present("seq", seq);
            if (seq < 0) {
                throw new InvalidFieldException("seq", "must not be negative");
            }
        }
    }

    record Join(String id, String consultation, String invite) implements Request {
        public Join {
            Fields.required("id", id, Fields.MAX_ID);
            Fields.required("consultation", consultation, 64);
            Fields.optional("invite", invite, 8192);
        }
    }

    record Leave(String id, String consultation) implements Request {
        public Leave {
            Fields.required("id", id, Fields.MAX_ID);
            Fields.required("consultation", consultation, 64);
        }
    }

    record Admit(String id, String consultation, String user) implements Request {
        public Admit {
            Fields.required("id", id, Fields.MAX_ID);
            Fields.required("consultation", consultation, 64);
            Fields.required("user", user, 64);
        }
    }

    record Deny(String id, String consultation, String user) implements Request {
        public Deny {
            Fields.required("id", id, Fields.MAX_ID);
            Fields.required("consultation", consultation, 64);
            Fields.required("user", user, 64);
        }
    }

    record Remove(String id, String consultation, String user) implements Request {
        public Remove {
            Fields.required("id", id, Fields.MAX_ID);
            Fields.required("consultation", consultation, 64);
            Fields.required("user", user, 64);
        }
    }

    record End(String id, String consultation) implements Request {
        public End {
            Fields.required("id", id, Fields.MAX_ID);
            Fields.required("consultation", consultation, 64);
        }
    }

    /**
     * Call signaling for one peer endpoint in a consultation: exactly one of a session description, an ICE
     * candidate (empty {@code candidate} = end of candidates), an ICE restart request, or a hangup.
     */
    record Signal(String id, String consultation, String to, Description description, Candidate candidate,
            Boolean restart, Hangup hangup) implements Request {
        public Signal {
            Fields.required("id", id, Fields.MAX_ID);
            Fields.required("consultation", consultation, 64);
            Fields.required("to", to, 128);
            int payloads = (description == null ? 0 : 1) + (candidate == null ? 0 : 1)
                    + (Boolean.TRUE.equals(restart) ? 1 : 0) + (hangup == null ? 0 : 1);
            if (restart != null && !restart) {
                throw new InvalidFieldException("restart", "must be true when present");
            }
            if (payloads != 1) {
                throw new InvalidFieldException("signal",
                        "must carry exactly one of description, candidate, restart, hangup");
            }
        }
    }

    /**
     * RFC 8829 session description: type and SDP text. The SDP keeps the JSON literal it arrived in, so that
     * relaying it writes it back as it came (see {@link JsonString}).
     */
    record Description(String type, JsonString sdp) {
        static final List<String> TYPES = List.of("offer", "answer", "pranswer", "rollback");

        public Description {
            Fields.present("description.type", type);
            if (!TYPES.contains(type)) {
                throw new InvalidFieldException("description.type", "must be one of " + TYPES);
            }
            if (!type.equals("rollback")) {
                Fields.present("description.sdp", sdp);
                Fields.wellFormed("description.sdp", sdp.value());
            } else if (sdp != null) {
                // a rollback carries no description; anything relayed must have passed the SDP checks
                throw new InvalidFieldException("description.sdp", "must be absent for a rollback");
            }
        }

        /** The SDP text, or null for a rollback. */
        public String sdpText() {
            return sdp == null ? null : sdp.value();
        }

        /** The SDP as the JSON literal it arrived in, or null (a rollback, or none kept: see {@link JsonString}). */
        public String sdpLiteral() {
            return sdp == null ? null : sdp.literal();
        }
    }

    /** A trickled ICE candidate (RFC 8838); an empty {@code candidate} signals end of candidates. */
    record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {
        public Candidate {
            Fields.present("candidate.candidate", candidate);
            Fields.optional("candidate.candidate", candidate, 1024);
            Fields.optional("candidate.sdpMid", sdpMid, 64);
            Fields.optional("candidate.usernameFragment", usernameFragment, 256);
            if (sdpMLineIndex != null && (sdpMLineIndex < 0 || sdpMLineIndex > 1024)) {
                throw new InvalidFieldException("candidate.sdpMLineIndex", "must be 0-1024");
            }
        }
    }

    /**
     * A chat message to the consultation's admitted participants. {@code clientId}, the client's own id for the
     * message, makes sending it again idempotent across sessions: it is stored once.
     */
    record Chat(String id, String consultation, String text, String clientId) implements Request {
        public Chat {
            Fields.required("id", id, Fields.MAX_ID);
            Fields.required("consultation", consultation, 64);
            Fields.required("text", text, 4000);
            Fields.optional("clientId", clientId, 64);
            if (clientId != null && clientId.isEmpty()) {
                throw new InvalidFieldException("clientId", "must not be empty");
            }
            if (text.isBlank()) {
                throw new InvalidFieldException("text", "must not be blank");
            }
        }
    }

    /** The consultation's recent chat, for an admitted participant (after admission, or to catch up). */
    record History(String id, String consultation, Integer limit) implements Request {
        public History {
            Fields.required("id", id, Fields.MAX_ID);
            Fields.required("consultation", consultation, 64);
            if (limit != null && (limit < 1 || limit > 200)) {
                throw new InvalidFieldException("limit", "must be 1-200");
            }
        }
    }

    /** A provider asks for an invite to the consultation for someone with a role. */
    record Invite(String id, String consultation, String role, String ttl) implements Request {
        public Invite {
            Fields.required("id", id, Fields.MAX_ID);
            Fields.required("consultation", consultation, 64);
            Fields.required("role", role, 16);
            if (!List.of("guest", "interpreter", "patient", "device").contains(role)) {
                throw new InvalidFieldException("role", "must be guest, interpreter, patient or device");
            }
            Fields.optional("ttl", ttl, 16);
        }
    }

    /** Sets this endpoint's presence: available, away, busy or dnd, with an optional note (at most 256). */
    record PresenceUpdate(String id, String status, String note) implements Request {
        static final List<String> STATUSES = List.of("available", "away", "busy", "dnd");

        public PresenceUpdate {
            Fields.required("id", id, Fields.MAX_ID);
            Fields.present("status", status);
            if (!STATUSES.contains(status)) {
                throw new InvalidFieldException("status", "must be one of " + STATUSES);
            }
            Fields.optional("note", note, 256);
        }
    }

    /** Start receiving presence changes of these users (1-100 user ids), as far as one may see them. */
    record Watch(String id, List<String> users) implements Request {
        public Watch {
            Fields.required("id", id, Fields.MAX_ID);
            Fields.present("users", users);
            if (users.isEmpty() || users.size() > 100) {
                throw new InvalidFieldException("users", "must list 1-100 user ids");
            }
            for (String user : users) {
                Fields.required("users[]", user, 64);
            }
            users = List.copyOf(users);
        }
    }

    record Hangup(String reason) {
        public Hangup {
            Fields.optional("hangup.reason", reason, 64);
        }
    }
}
