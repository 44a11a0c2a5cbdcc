/**
 * What the server serves to browsers from its jar: the JavaScript SDK (kept at the repository's
 * {@code sdk/telesignal.js}) and the web app (the repository's {@code web/}), both packaged here. Read-only, in memory, no CDN.
 * Must not touch: sessions, consultations or any state; it only serves files.
 */
package io.telesignal.signaling.web;
