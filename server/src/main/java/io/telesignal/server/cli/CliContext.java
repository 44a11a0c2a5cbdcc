package io.telesignal.server.cli;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/** What a command may touch of the outside world. */
public record CliContext(BufferedReader in, PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {}
