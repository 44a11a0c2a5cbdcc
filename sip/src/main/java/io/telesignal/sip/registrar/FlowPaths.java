package io.telesignal.sip.registrar;

import io.telesignal.sip.message.NameAddr;
import io.telesignal.sip.transport.Flow;
import java.util.Optional;

/**
 * Whether a binding must be reached through the flow its REGISTER came on, and the Path entry that leads there (first
 * in the binding's Path). Empty: the Contact is reachable as it is written.
 */
@FunctionalInterface
public interface FlowPaths {
    Optional<String> pathFor(Flow flow, NameAddr contact);
}
