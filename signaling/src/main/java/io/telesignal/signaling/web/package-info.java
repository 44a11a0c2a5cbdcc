/**
 * What the server serves to browsers from its jar: the JavaScript SDK (kept at the repository's
 * {@code sdk/telesignal.js}, packaged here) and, with issue 4, the web app. Read-only, in memory, no CDN.
 * Must not touch: sessions, consultations or any state; it only serves files.
 */
package io.telesignal.signaling.web;
