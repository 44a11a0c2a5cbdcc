/**
 * The composition root: {@link io.telesignal.server.wiring.StoreServices} (store, audit, accounts, tokens — all
 * the CLI needs) and {@link io.telesignal.server.wiring.TelesignalServer} (those plus listeners, metrics and
 * health) are built with constructors from a {@link io.telesignal.server.config.ServerConfig} and closed in
 * reverse order. No static state: two servers can run in one JVM.
 */
package io.telesignal.server.wiring;
