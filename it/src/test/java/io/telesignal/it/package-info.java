/**
 * telesignal it: end-to-end tests across modules with real peers. Today: the web app and the SDK in two
 * headless Chromium browsers (Debian's chromium and chromium-driver through Selenium) against a server started
 * in-process on a loopback port. Later: sipp, Smack XMPP clients, several nodes, faults.
 * Must not touch: production code; it only drives what a user would.
 */
package io.telesignal.it;
