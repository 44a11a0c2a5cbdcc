package io.telesignal.core.routing;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Objects;

/** One connected client: whose it is, which door it came through, which node holds its connection. */
public record Endpoint(EndpointId id, UserId user, FrontDoor door, NodeId node, String remoteAddress,
        Instant connectedAt) {
    public Endpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(door, "door");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(connectedAt, "connectedAt");
    }
}
