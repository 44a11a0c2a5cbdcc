/**
 * Test fixtures other modules' tests reuse (published in the server's test-jar): {@link
 * io.telesignal.server.testing.LoopbackServer} starts the composed server the way every in-process test does; {@link
 * io.telesignal.server.testing.ServerProcess} runs the packaged jar as a process that a test can stop or kill; {@link
 * io.telesignal.server.testing.Ports} finds a free loopback port and waits for a started process to listen on one.
 * Only fixtures live here, never tests, and nothing here is part of the shipped jar.
 */
package io.telesignal.server.testing;
