package io.telesignal.net.http;

import java.util.concurrent.CompletionStage;

/** Answers one request. Called on an event loop: return at once, do blocking work on the worker pool. */
@FunctionalInterface
public interface HttpHandler {
    CompletionStage<HttpResponse> handle(HttpRequest request);
}
