/**
 * The runnable server: {@code main}, the CLI, configuration, logging, and the one composition root that
 * builds every module with plain constructors and stops them in reverse.
 *
 * <p>May use every module. Must not hold domain logic or protocol code: it wires, it does not decide.
 */
package io.telesignal.server;
