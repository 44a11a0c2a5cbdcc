/**
 * The HTTP(S) listener: Netty pipeline with connection limits, request size limit and idle timeout, routes
 * from path to handler, and graceful drain. Handlers are asynchronous and must not block the event loop;
 * blocking work goes to the core worker pool. Must not touch: what the routes do (health, REST and WebSocket
 * handlers belong to the modules that register them).
 */
package io.telesignal.net.http;
