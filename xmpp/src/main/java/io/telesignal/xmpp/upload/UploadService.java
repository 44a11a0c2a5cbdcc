package io.telesignal.xmpp.upload;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.core.identity.User;
import io.telesignal.core.upload.UploadStore;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.xmpp.stream.Jid;
import io.telesignal.xmpp.stream.Stanzas;
import io.telesignal.xmpp.xml.XmlElement;
import io.telesignal.xmpp.xml.XmlStreamParser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP file upload (XEP-0363, {@code urn:xmpp:http:upload:0}): the service at its own domain hands a signed-in user a
 * slot for a file (a PUT address with a secret header and a GET address), and the HTTP routes under {@code /upload/}
 * take the file once, within the slot's time, and serve it to whoever has its address until it is purged. Files are
 * sealed at rest in the store; each user's files and open slots stay within a quota. Addresses carry 192 random bits:
 * the GET address is the capability to read a file, as the protocol has it, so it is shared with whom the file is for.
 */
public final class UploadService {
    public static final String NS = "urn:xmpp:http:upload:0";
    /** Where the files are: {@code /upload/<slot>/<file name>}. */
    public static final String PATH = "/upload/";
    private static final Logger LOG = LoggerFactory.getLogger(UploadService.class);
    private static final String CLIENT = XmlStreamParser.CLIENT_NS;
    private static final String DISCO_INFO_NS = "http://jabber.org/protocol/disco#info";
    private static final String DISCO_ITEMS_NS = "http://jabber.org/protocol/disco#items";
    private static final String DATA_NS = "jabber:x:data";
    private static final Pattern CONTENT_TYPE = Pattern.compile("[A-Za-z0-9!#$&^_.+-]{1,127}/[A-Za-z0-9!#$&^_.+-]{1,127}");
    private static final int MAX_NAME = 255;

    private final UploadSettings settings;
    private final UploadStore store;
    private final WorkerPool workers;
    private final Clock clock;
    private final SecureRandom random;
    private final Supplier<String> baseUrl;
    private final io.telesignal.core.secrets.HmacSha256 putKey;

    /**
     * @param baseUrl where the HTTP listener is reached when the settings name none: {@code https://host:port}
     * @param putKey  signs the PUT secrets, so that a PUT is checked before its body is read (the same on every node)
     */
    public UploadService(UploadSettings settings, UploadStore store, WorkerPool workers, Clock clock, SecureRandom random,
            Supplier<String> baseUrl, byte[] putKey) {
        this.putKey = new io.telesignal.core.secrets.HmacSha256(putKey);
        this.settings = settings;
        this.store = store;
        this.workers = workers;
        this.clock = clock;
        this.random = random;
        this.baseUrl = () -> settings.baseUrl().orElseGet(baseUrl);
    }

    public UploadSettings settings() {
        return settings;
    }

    /** Whether a stanza to {@code to} is this service's. */
    public boolean serves(Jid to) {
        return to.domain().equals(settings.domain());
    }

    /** The service as an item of the server's service discovery (XEP-0030 §4, XEP-0363 §3). */
    public XmlElement discoItem() {
        return XmlElement.builder("item", DISCO_ITEMS_NS).attr("jid", settings.domain()).attr("name", "File upload")
                .build();
    }

    /** An IQ to the service from {@code user}'s resource {@code from}; {@code send} writes the answer. */
    public CompletionStage<?> iq(XmlElement iq, User user, Jid from, Consumer<XmlElement> send) {
        String type = iq.attr("type");
        if (!"get".equals(type) && !"set".equals(type)) {
            return done(); // results and errors to the service: nothing waits for them
        }
        XmlElement query = iq.elements().get(0);
        if (type.equals("get") && query.is("query", DISCO_INFO_NS) && query.attr("node") == null) {
            send.accept(result(iq, from, info()));
        } else if (type.equals("get") && query.is("query", DISCO_ITEMS_NS)) {
            send.accept(result(iq, from, XmlElement.builder("query", DISCO_ITEMS_NS).build()));
        } else if (type.equals("get") && query.is("request", NS)) {
            return request(iq, query, user, from, send);
        } else {
            send.accept(Stanzas.error(iq, "cancel", "service-unavailable", from));
        }
        return done();
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    private XmlElement info() {
        return XmlElement.builder("query", DISCO_INFO_NS)
                .add(XmlElement.builder("identity", DISCO_INFO_NS).attr("category", "store").attr("type", "file")
                        .attr("name", "File upload").build())
                .add(XmlElement.builder("feature", DISCO_INFO_NS).attr("var", DISCO_INFO_NS).build())
                .add(XmlElement.builder("feature", DISCO_INFO_NS).attr("var", NS).build())
                .add(XmlElement.builder("x", DATA_NS).attr("type", "result")
                        .add(XmlElement.builder("field", DATA_NS).attr("var", "FORM_TYPE").attr("type", "hidden")
                                .textChild("value", DATA_NS, NS).build())
                        .add(XmlElement.builder("field", DATA_NS).attr("var", "max-file-size")
                                .textChild("value", DATA_NS, Long.toString(settings.maxFileSize())).build())
                        .build())
                .build();
    }

    private static XmlElement result(XmlElement iq, Jid to, XmlElement payload) {
        return XmlElement.builder("iq", CLIENT).attr("type", "result").attr("id", iq.attr("id"))
                .attr("from", iq.attr("to")).attr("to", to.toString()).add(payload).build();
    }

    /** XEP-0363 §4: a slot, or why not. */
    private CompletionStage<?> request(XmlElement iq, XmlElement request, User user, Jid from, Consumer<XmlElement> send) {
        String filename = request.attr("filename");
        String sizeText = request.attr("size");
        String contentType = request.attr("content-type");
        long size;
        try {
            size = Long.parseLong(String.valueOf(sizeText));
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (!validName(filename) || size < 1 || (contentType != null && !CONTENT_TYPE.matcher(contentType).matches())) {
            send.accept(Stanzas.error(iq, "modify", "bad-request", from));
            return done();
        }
        if (size > settings.maxFileSize()) {
            send.accept(Stanzas.error(iq, "modify", "not-acceptable", from, XmlElement.builder("file-too-large", NS)
                    .textChild("max-file-size", NS, Long.toString(settings.maxFileSize())).build()));
            return done();
        }
        String id = token(24);
        Instant now = clock.instant();
        Instant expires = now.plus(settings.slotTtl());
        String secret = putSecret(id, size, expires.getEpochSecond());
        UploadStore.Slot slot = new UploadStore.Slot(id, user.id(), filename,
                contentType == null ? "application/octet-stream" : contentType.toLowerCase(java.util.Locale.ROOT), size,
                io.telesignal.core.secrets.Sha256.hex(secret), now, expires, Optional.empty());
        long length = size;
        return workers.submit(() -> store.reserve(slot, settings.quota(), now)).handle((reserved, failure) -> {
            if (failure != null) {
                LOG.warn("event=upload_slot outcome=failed user={} kind={}", user.id().value(),
                        failure.getClass().getSimpleName());
                send.accept(Stanzas.error(iq, "wait", "internal-server-error", from));
            } else if (!reserved) {
                LOG.info("event=upload_slot outcome=quota user={} size={}", user.id().value(), length);
                send.accept(Stanzas.error(iq, "wait", "resource-constraint", from));
            } else {
                LOG.info("event=upload_slot outcome=granted user={} slot={} size={}", user.id().value(), reference(id), length);
                String url = baseUrl.get() + PATH + id + "/" + URLEncoder.encode(filename, StandardCharsets.UTF_8)
                        .replace("+", "%20");
                send.accept(result(iq, from, XmlElement.builder("slot", NS)
                        .add(XmlElement.builder("put", NS).attr("url", url)
                                .add(XmlElement.builder("header", NS).attr("name", "Authorization")
                                        .text("Bearer " + secret).build()).build())
                        .add(XmlElement.builder("get", NS).attr("url", url).build()).build()));
            }
            return null;
        });
    }

    /** A file name a slot may have: 1 to 255 characters, no path, no control characters. */
    private static boolean validName(String name) {
        return name != null && !name.isBlank() && name.length() <= MAX_NAME && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == '\\' || c < 0x20 || c == 0x7f);
    }

    /**
     * The PUT secret of a slot: its deadline, its size and an HMAC of them with the slot's id, so that the HTTP listener
     * checks a PUT from its headers before reading its body ({@link #admit}); the store keeps its SHA-256 too.
     */
    private String putSecret(String id, long size, long expires) {
        return expires + "." + size + "." + mac(id, size, expires);
    }

    private String mac(String id, long size, long expires) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(putKey.mac(
                (id + "\n" + size + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The HTTP listener's check of a PUT before its body is read: a length (411 without), the slot's secret, signed for
     * this slot and not lapsed (403 otherwise), and the length the slot is for (400 otherwise).
     */
    public Optional<HttpResponseStatus> admit(String path, io.netty.handler.codec.http.HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return Optional.of(HttpResponseStatus.LENGTH_REQUIRED);
        }
        String rest = path.startsWith(PATH) ? path.substring(PATH.length()) : "";
        int slash = rest.indexOf('/');
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION, "");
        String[] parts = authorization.startsWith("Bearer ") ? authorization.substring(7).strip().split("\\.", 3)
                : new String[0];
        if (slash <= 0 || parts.length != 3) {
            return Optional.of(HttpResponseStatus.FORBIDDEN);
        }
        long expires;
        long size;
        try {
            expires = Long.parseLong(parts[0]);
            size = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return Optional.of(HttpResponseStatus.FORBIDDEN);
        }
        String id = rest.substring(0, slash);
        if (!MessageDigest.isEqual(mac(id, size, expires).getBytes(StandardCharsets.US_ASCII),
                parts[2].getBytes(StandardCharsets.US_ASCII)) || clock.instant().getEpochSecond() >= expires) {
            return Optional.of(HttpResponseStatus.FORBIDDEN);
        }
        long length;
        try {
            length = Long.parseLong(headers.get(HttpHeaderNames.CONTENT_LENGTH).strip());
        } catch (NumberFormatException e) {
            return Optional.of(HttpResponseStatus.BAD_REQUEST);
        }
        return length == size ? Optional.empty() : Optional.of(HttpResponseStatus.BAD_REQUEST);
    }

    /**
     * How logs name a slot: {@code s} and the first 12 hex digits of its id's SHA-256. Never the id itself, which with
     * the file name is the capability to read the file.
     */
    static String reference(String id) {
        return "s" + io.telesignal.core.secrets.Sha256.hex(id).substring(0, 12);
    }

    private String token(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    // ---- HTTP: PUT, GET and HEAD, OPTIONS under /upload/

    /** The slot id and file name of {@code /upload/<slot>/<name>}, or empty. */
    private static Optional<String[]> address(HttpRequest request) {
        String rest = request.path().substring(PATH.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new String[] {rest.substring(0, slash), rest.substring(slash + 1)});
    }

    private static HttpResponse status(HttpResponseStatus status, String code, String message) {
        return cors(HttpResponse.error(status, code, message));
    }

    /** Web clients (XMPP over WebSocket in a browser) put and read files from their own origin. */
    private static HttpResponse cors(HttpResponse response) {
        return response.withHeader("Access-Control-Allow-Origin", "*")
                .withHeader("Access-Control-Allow-Methods", "GET, HEAD, PUT, OPTIONS")
                .withHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
                .withHeader("Access-Control-Max-Age", "86400");
    }

    /** CORS preflight. */
    public CompletionStage<HttpResponse> options(HttpRequest request) {
        return CompletableFuture.completedFuture(cors(new HttpResponse(HttpResponseStatus.NO_CONTENT, "text/plain",
                new byte[0], java.util.Map.of())));
    }

    /**
     * XEP-0363 §5: the file, into its slot (its headers were {@link #admit admitted}): 201 once stored; 403 with a
     * wrong secret or a slot unknown or lapsed; 400 for another size or type than the slot's (a slot asked for with a
     * type needs that type); 409 when the slot has its file already.
     */
    public CompletionStage<HttpResponse> put(HttpRequest request) {
        Optional<String[]> address = address(request);
        if (address.isEmpty()) {
            return CompletableFuture.completedFuture(status(HttpResponseStatus.NOT_FOUND, "not_found", "no such file"));
        }
        String id = address.get()[0];
        String name = address.get()[1];
        String authorization = String.valueOf(request.headers().get(HttpHeaderNames.AUTHORIZATION));
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        byte[] body = request.body();
        return workers.submit(() -> {
            Optional<UploadStore.Slot> slot = store.slot(id);
            if (slot.isEmpty() || !slot.get().filename().equals(name) || !authorization.startsWith("Bearer ")
                    || !MessageDigest.isEqual(io.telesignal.core.secrets.Sha256.hex(authorization.substring(7).strip()).getBytes(StandardCharsets.US_ASCII),
                            slot.get().putTokenHash().getBytes(StandardCharsets.US_ASCII))) {
                return status(HttpResponseStatus.FORBIDDEN, "forbidden", "no such slot, or not yours to fill");
            }
            if (!slot.get().contentType().equals("application/octet-stream")
                    && (type == null || !type.split(";")[0].strip().equalsIgnoreCase(slot.get().contentType()))) {
                return status(HttpResponseStatus.BAD_REQUEST, "wrong_type", "the slot is for " + slot.get().contentType());
            }
            UploadStore.Put outcome = store.put(id, body, clock.instant());
            LOG.info("event=upload_put slot={} outcome={} size={}", reference(id), outcome.name().toLowerCase(java.util.Locale.ROOT),
                    body.length);
            return switch (outcome) {
                case STORED -> cors(new HttpResponse(HttpResponseStatus.CREATED, "text/plain", new byte[0], java.util.Map.of()));
                case UNKNOWN, EXPIRED -> status(HttpResponseStatus.FORBIDDEN, "forbidden", "the slot lapsed");
                case ALREADY -> status(HttpResponseStatus.CONFLICT, "conflict", "the slot has its file");
                case WRONG_SIZE -> status(HttpResponseStatus.BAD_REQUEST, "wrong_size", "the slot is for "
                        + slot.get().size() + " bytes");
            };
        });
    }

    /**
     * The file (GET and HEAD): its type as the slot said (without one, as its name says); images, audio, video, PDF and text shown inline, anything
     * else as an attachment; never run by a browser in this origin (a sandboxing content security policy). 404 for a
     * file that is not there (never put, purged, or the name does not match).
     */
    public CompletionStage<HttpResponse> get(HttpRequest request) {
        Optional<String[]> address = address(request);
        if (address.isEmpty()) {
            return CompletableFuture.completedFuture(status(HttpResponseStatus.NOT_FOUND, "not_found", "no such file"));
        }
        String id = address.get()[0];
        String name = address.get()[1];
        return workers.submit(() -> {
            Optional<UploadStore.Slot> slot = store.slot(id);
            if (slot.isEmpty() || slot.get().uploadedAt().isEmpty() || !slot.get().filename().equals(name)) {
                return status(HttpResponseStatus.NOT_FOUND, "not_found", "no such file");
            }
            boolean head = request.method().equals(io.netty.handler.codec.http.HttpMethod.HEAD);
            // HEAD: the slot says all the headers need; the file is not read
            Optional<byte[]> content = head ? Optional.of(new byte[0]) : store.content(id);
            if (content.isEmpty()) {
                return status(HttpResponseStatus.NOT_FOUND, "not_found", "no such file");
            }
            String type = slot.get().contentType();
            if (type.equals("application/octet-stream")) {
                // no type asked for (Smack asks for none): the name's, as the JDK knows them
                type = Optional.ofNullable(java.net.URLConnection.guessContentTypeFromName(name)).orElse(type);
            }
            boolean inline = type.startsWith("image/") || type.startsWith("audio/") || type.startsWith("video/")
                    || type.equals("application/pdf") || type.equals("text/plain");
            return cors(new HttpResponse(HttpResponseStatus.OK, type, content.get(), java.util.Map.of()))
                    .withHeader("Content-Disposition", (inline ? "inline" : "attachment") + "; filename*=UTF-8''"
                            + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))
                    .withHeader("Content-Security-Policy", "default-src 'none'; sandbox")
                    .withHeader(HttpHeaderNames.CACHE_CONTROL.toString(), "private, no-store")
                    .withHeader(HttpHeaderNames.CONTENT_LENGTH.toString(), Long.toString(slot.get().size()));
        });
    }

    /** Deletes the files older than the retention and the slots that lapsed empty; answers how many. On a worker. */
    public int purge() {
        Instant now = clock.instant();
        return store.purge(now.minus(settings.retention()), now);
    }
}
