package io.telesignal.server.wiring;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version this build was made as. */
public final class Version {
    private Version() {}

    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream("/io/telesignal/server/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
