/**
 * The command line (picocli): {@code serve}, {@code user}, {@code token}, {@code audit}, {@code migrate}.
 * Commands get their streams, environment and clock from {@link io.telesignal.server.cli.CliContext}, so tests
 * run them in-process. Exit codes: 0 success, 1 the operation failed, 2 bad usage or configuration.
 */
package io.telesignal.server.cli;
