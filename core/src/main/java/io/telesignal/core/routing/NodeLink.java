package io.telesignal.core.routing;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.NodeId;
import java.util.concurrent.CompletionStage;

/**
 * SPI: carries an event to an endpoint held by another node. The receiving node hands it to
 * {@link Router#acceptFromNode}. Single-node deployments use {@link SingleNodeLink}.
 */
public interface NodeLink {
    CompletionStage<DeliveryOutcome> send(NodeId node, EndpointId endpoint, CoreEvent event);
}
