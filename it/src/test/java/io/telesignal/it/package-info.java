/**
 * telesignal it: end-to-end tests across modules with real peers. The web app and the SDK in two
 * headless Chromium browsers (Debian's chromium and chromium-driver through Selenium) against a server started in-process or as a
 * process on a loopback port, through restarts, cluster failover and the patient-data checks; JsSIP (npm) in two
 * browsers calling each other over the SIP door's WebSocket. Later: Smack XMPP clients.
 * Must not touch: production code; it only drives what a user would.
 */
package io.telesignal.it;
