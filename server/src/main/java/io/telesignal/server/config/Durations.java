package io.telesignal.server.config;

import java.time.Duration;

/** Reads durations as operators write them ({@link io.telesignal.core.Durations}), naming the key when one is wrong. */
final class Durations {
    private Durations() {}

    static Duration parse(String key, String text) {
        return io.telesignal.core.Durations.parse(text).orElseThrow(() -> new ConfigException(key,
                "not a duration (use e.g. 500ms, 30s, 15m, 2h, 7d; got '" + text + "')"));
    }
}
