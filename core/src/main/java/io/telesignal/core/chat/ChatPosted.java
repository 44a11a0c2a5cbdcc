package io.telesignal.core.chat;

import io.telesignal.core.routing.CoreEvent;

/** A chat message for the participants present. */
public record ChatPosted(ChatMessage message) implements CoreEvent {
    @Override
    public String type() {
        return "chat";
    }
}
