/**
 * Logback set up from the configuration: text or JSON lines, one event per line, to standard output for the
 * server and to standard error for the other commands (their standard output is their answer).
 */
package io.telesignal.server.logging;
