package io.telesignal.xmpp.upload;

import java.time.Duration;
import java.util.Optional;

/**
 * HTTP file upload (XEP-0363) at {@code domain}: the largest file, each user's quota (files kept and slots open), how
 * long a slot waits for its file, how long a file is kept, and the base of the addresses handed out (empty: the
 * server's public URL).
 */
public record UploadSettings(String domain, long maxFileSize, long quota, Duration slotTtl, Duration retention,
        Optional<String> baseUrl) {}
