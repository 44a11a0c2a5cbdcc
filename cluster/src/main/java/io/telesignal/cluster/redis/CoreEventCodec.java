package io.telesignal.cluster.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.telesignal.core.call.CallSignal;
import io.telesignal.core.chat.ChatPosted;
import io.telesignal.core.consultation.AdmissionChanged;
import io.telesignal.core.consultation.ParticipantsChanged;
import io.telesignal.core.consultation.WaitingRoomChanged;
import io.telesignal.core.presence.PresenceChanged;
import io.telesignal.core.routing.CoreEvent;
import io.telesignal.core.routing.DoorMessage;
import java.util.Map;

/**
 * Core events as JSON between nodes: {@code {"kind": "...", "event": {...}}}. Only the kinds listed here are read back
 * (no class name ever comes off the wire), each into its record through its canonical constructor, so its checks run
 * again on the receiving node.
 */
public final class CoreEventCodec {
    private static final Map<String, Class<? extends CoreEvent>> KINDS = Map.of(
            "participants", ParticipantsChanged.class,
            "waiting-room", WaitingRoomChanged.class,
            "admission", AdmissionChanged.class,
            "chat", ChatPosted.class,
            "signal", CallSignal.class,
            "presence", PresenceChanged.class,
            "door", DoorMessage.class);

    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);

    public ObjectNode encode(CoreEvent event) {
        String kind = KINDS.entrySet().stream().filter(e -> e.getValue().equals(event.getClass())).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no wire kind for " + event.getClass()));
        ObjectNode node = json.createObjectNode();
        node.put("kind", kind);
        node.set("event", json.valueToTree(event));
        return node;
    }

    public CoreEvent decode(JsonNode node) {
        Class<? extends CoreEvent> type = KINDS.get(node.path("kind").asText());
        if (type == null) {
            throw new IllegalArgumentException("unknown event kind " + node.path("kind").asText());
        }
        try {
            return json.treeToValue(node.path("event"), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event of kind " + node.path("kind").asText() + " not readable", e);
        }
    }

    public ObjectMapper json() {
        return json;
    }
}
