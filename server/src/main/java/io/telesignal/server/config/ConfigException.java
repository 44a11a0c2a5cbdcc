package io.telesignal.server.config;

/** A configuration problem: the key and what is wrong with it, in one line. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem, null, false, false);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
