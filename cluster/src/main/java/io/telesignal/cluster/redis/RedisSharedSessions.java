package io.telesignal.cluster.redis;

import io.lettuce.core.ScriptOutputType;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.session.SharedSessions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Shared sessions in Redis, one script per change. Keys under the prefix, for session {@code <id>}:
 * <ul>
 *   <li>{@code s:<id>}: a hash of user, token (SHA-256 of the resume token), endpoint, owner (empty once a deposit
 *       took it), first (oldest message kept), next, bytes, state ({@code open} or {@code overflowed}) and the door's
 *       context fields ({@code c:<key>});
 *   <li>{@code s:<id>:q}: the messages kept, a list whose head is message {@code first};
 *   <li>{@code s:<id>:a}: the requests answered by a kept message, a sorted set of request id by message number;
 *   <li>{@code s:<id>:d}: the delivery ids of the last messages stored, by message number, for deposits of the same.
 * </ul>
 * Every key lives {@link #TTL} after it was last written whole, acknowledged, claimed or deposited to (not on every
 * message: that would be four more commands each), so that a session nobody ends (its owner and every other node gone
 * at once) does not stay for ever. A lost owner hears it on channel {@code sessions:<node>}.
 */
public final class RedisSharedSessions implements SharedSessions {
    /** How long a session's keys outlive their last change. */
    static final Duration TTL = Duration.ofHours(24);

    private static final String TRIM = """
            local function trim(k, upto)
              local first = tonumber(redis.call('HGET', k, 'first'))
              local n = upto - first + 1
              if n <= 0 then return first end
              local gone = redis.call('LPOP', k .. ':q', n)
              local bytes = 0
              if gone then for _, m in ipairs(gone) do bytes = bytes + #m end end
              redis.call('HINCRBY', k, 'bytes', -bytes)
              redis.call('HSET', k, 'first', upto + 1)
              redis.call('ZREMRANGEBYSCORE', k .. ':a', '-inf', upto)
              return upto + 1
            end
            local function expire(k, ttl)
              for _, s in ipairs({'', ':q', ':a', ':d'}) do redis.call('EXPIRE', k .. s, ttl) end
            end
            """;
    private static final String WRITE = TRIM + """
            local k = ARGV[1] .. 's:' .. ARGV[2]
            local owner = redis.call('HGET', k, 'owner')
            if owner and owner ~= ARGV[6] then return 0 end
            redis.call('DEL', k, k .. ':q')
            redis.call('HSET', k, 'user', ARGV[3], 'token', ARGV[4], 'endpoint', ARGV[5], 'owner', ARGV[6],
              'first', ARGV[7], 'next', ARGV[8], 'bytes', 0, 'state', 'open')
            local n = tonumber(ARGV[10])
            local bytes = 0
            for i = 1, n do
              redis.call('RPUSH', k .. ':q', ARGV[10 + i]); bytes = bytes + #ARGV[10 + i]
            end
            redis.call('HSET', k, 'bytes', bytes)
            for i = 11 + n, #ARGV, 2 do redis.call('HSET', k, 'c:' .. ARGV[i], ARGV[i + 1]) end
            expire(k, ARGV[9])
            return 1
            """;
    /** Mirrors a batch: ARGV p, cap, then six per message (session, owner, seq, text, answers, delivery); a code each. */
    private static final String MIRROR = """
            local p, cap = ARGV[1], tonumber(ARGV[2])
            local out = {}
            for i = 3, #ARGV, 6 do
              local k = p .. 's:' .. ARGV[i]
              local f = redis.call('HMGET', k, 'owner', 'next')
              local seq = tonumber(ARGV[i + 2])
              local code = 0
              if not f[1] then code = 1
              elseif f[1] ~= ARGV[i + 1] then code = 2
              else
                local next = tonumber(f[2])
                if seq > next then code = 3
                elseif seq == next then
                  redis.call('RPUSH', k .. ':q', ARGV[i + 3])
                  redis.call('HSET', k, 'next', seq + 1)
                  redis.call('HINCRBY', k, 'bytes', #ARGV[i + 3])
                  if ARGV[i + 4] ~= '' then
                    redis.call('ZADD', k .. ':a', seq, ARGV[i + 4])
                    redis.call('ZREMRANGEBYRANK', k .. ':a', 0, -cap - 1)
                  end
                  if ARGV[i + 5] ~= '' then
                    redis.call('ZADD', k .. ':d', seq, ARGV[i + 5])
                    redis.call('ZREMRANGEBYRANK', k .. ':d', 0, -cap - 1)
                  end
                end
              end
              table.insert(out, code)
            end
            return out
            """;
    private static final String ACKNOWLEDGE = TRIM + """
            local k = ARGV[1] .. 's:' .. ARGV[2]
            local f = redis.call('HMGET', k, 'owner', 'next')
            if not f[1] or f[1] ~= ARGV[3] then return 0 end
            trim(k, math.min(tonumber(ARGV[4]), tonumber(f[2]) - 1))
            expire(k, ARGV[5])
            return 1
            """;
    private static final String CONTEXT = """
            local k = ARGV[1] .. 's:' .. ARGV[2]
            if redis.call('HGET', k, 'owner') ~= ARGV[3] then return 0 end
            redis.call('HSET', k, 'c:' .. ARGV[4], ARGV[5])
            return 1
            """;
    private static final String DEPOSIT = TRIM + """
            local p = ARGV[1]
            local k = p .. 's:' .. ARGV[2]
            local f = redis.call('HMGET', k, 'owner', 'next', 'first', 'bytes', 'state')
            if not f[2] then return -1 end
            if f[5] ~= 'open' then return -2 end
            if ARGV[5] ~= '' and redis.call('ZSCORE', k .. ':d', ARGV[5]) then return -3 end
            if f[1] ~= '' and f[1] ~= ARGV[10] then return -4 end
            local seq = tonumber(f[2])
            local text = ARGV[3] .. seq .. ARGV[4]
            if seq - tonumber(f[3]) + 1 > tonumber(ARGV[6]) or tonumber(f[4]) + #text > tonumber(ARGV[7]) then
              redis.call('HSET', k, 'state', 'overflowed')
              return -2
            end
            redis.call('RPUSH', k .. ':q', text)
            redis.call('HSET', k, 'next', seq + 1)
            redis.call('HINCRBY', k, 'bytes', #text)
            if ARGV[5] ~= '' then
              redis.call('ZADD', k .. ':d', seq, ARGV[5])
              redis.call('ZREMRANGEBYRANK', k .. ':d', 0, -tonumber(ARGV[8]) - 1)
            end
            if f[1] ~= '' then
              redis.call('HSET', k, 'owner', '')
              redis.call('PUBLISH', p .. 'sessions:' .. f[1], ARGV[2])
            end
            expire(k, ARGV[9])
            return seq
            """;
    /** Answers {status, ...}: 'ok', previous owner, first, next, then counted lists: replay, answers, delivered, context. */
    private static final String CLAIM = TRIM + """
            local p = ARGV[1]
            local k = p .. 's:' .. ARGV[2]
            local f = redis.call('HMGET', k, 'user', 'token', 'owner', 'next', 'state')
            if not f[1] or f[1] ~= ARGV[3] or f[2] ~= ARGV[4] then return {'expired'} end
            if f[5] ~= 'open' then return {'overflowed'} end
            local last, next = tonumber(ARGV[6]), tonumber(f[4])
            local first = tonumber(redis.call('HGET', k, 'first'))
            if last > next - 1 or last < first - 1 then return {'position'} end
            first = trim(k, last)
            redis.call('HSET', k, 'owner', ARGV[5])
            if f[3] ~= '' and f[3] ~= ARGV[5] then redis.call('PUBLISH', p .. 'sessions:' .. f[3], ARGV[2]) end
            expire(k, ARGV[7])
            local out = {'ok', f[3], tostring(first), tostring(next)}
            local replay = redis.call('LRANGE', k .. ':q', 0, -1)
            table.insert(out, tostring(#replay))
            for _, m in ipairs(replay) do table.insert(out, m) end
            local answers = redis.call('ZRANGE', k .. ':a', 0, -1, 'WITHSCORES')
            table.insert(out, tostring(#answers))
            for _, m in ipairs(answers) do table.insert(out, m) end
            local delivered = redis.call('ZRANGE', k .. ':d', 0, -1)
            table.insert(out, tostring(#delivered))
            for _, m in ipairs(delivered) do table.insert(out, m) end
            local all = redis.call('HGETALL', k)
            local context = {}
            for i = 1, #all, 2 do
              if string.sub(all[i], 1, 2) == 'c:' then
                table.insert(context, string.sub(all[i], 3)); table.insert(context, all[i + 1])
              end
            end
            table.insert(out, tostring(#context))
            for _, m in ipairs(context) do table.insert(out, m) end
            redis.call('HDEL', k, 'c:moved')
            return out
            """;
    private static final String HAND_OVER = """
            local k = ARGV[1] .. 's:' .. ARGV[2]
            local f = redis.call('HMGET', k, 'owner', 'next')
            if not f[1] then return 1 end
            if f[1] ~= ARGV[3] then return 2 end
            if tonumber(f[2]) ~= tonumber(ARGV[4]) then return 3 end
            -- handed over already (an answer lost on the way, the call made again): the same outcome
            for i = 5, #ARGV, 2 do redis.call('HSET', k, 'c:' .. ARGV[i], ARGV[i + 1]) end
            redis.call('HSET', k, 'c:moved', '1')
            return 0
            """;
    private static final String OVERFLOWED = """
            local k = ARGV[1] .. 's:' .. ARGV[2]
            if redis.call('HGET', k, 'owner') ~= ARGV[3] then return 0 end
            redis.call('HSET', k, 'state', 'overflowed')
            return 1
            """;
    private static final String ABANDON = """
            local k = ARGV[1] .. 's:' .. ARGV[2]
            local owner = redis.call('HGET', k, 'owner')
            if not owner then return {'absent'} end
            if owner ~= '' and owner ~= ARGV[3] and owner ~= ARGV[4] then return {'held'} end
            redis.call('HSET', k, 'owner', ARGV[4])
            local out = redis.call('LRANGE', k .. ':q', 0, -1)
            table.insert(out, 1, 'ok')
            return out
            """;
    private static final String END = """
            local k = ARGV[1] .. 's:' .. ARGV[2]
            local owner = redis.call('HGET', k, 'owner')
            if not owner then return 0 end
            if ARGV[3] ~= '' and owner ~= '' and owner ~= ARGV[3] then return 2 end
            redis.call('DEL', k, k .. ':q', k .. ':a', k .. ':d')
            return 1
            """;

    private final Redis redis;
    private final RedisBus bus;
    private final int remembered;
    private final String ttl = Long.toString(TTL.toSeconds());
    private final Redis.Script write;
    private final Redis.Script mirror;
    private final Redis.Script acknowledge;
    private final Redis.Script context;
    private final Redis.Script deposit;
    private final Redis.Script claim;
    private final Redis.Script overflowed;
    private final Redis.Script end;
    private final Redis.Script abandon;
    private final Redis.Script handOver;
    private final java.util.Map<String, java.util.List<Consumer<String>>> listeners = new java.util.HashMap<>();

    /** @param remembered answered requests and delivery ids kept per session */
    public RedisSharedSessions(Redis redis, RedisBus bus, int remembered) {
        this.redis = redis;
        this.bus = bus;
        this.remembered = remembered;
        this.write = redis.new Script(WRITE, ScriptOutputType.INTEGER);
        this.mirror = redis.new Script(MIRROR, ScriptOutputType.MULTI);
        this.acknowledge = redis.new Script(ACKNOWLEDGE, ScriptOutputType.INTEGER);
        this.context = redis.new Script(CONTEXT, ScriptOutputType.INTEGER);
        this.deposit = redis.new Script(DEPOSIT, ScriptOutputType.INTEGER);
        this.claim = redis.new Script(CLAIM, ScriptOutputType.MULTI);
        this.overflowed = redis.new Script(OVERFLOWED, ScriptOutputType.INTEGER);
        this.end = redis.new Script(END, ScriptOutputType.INTEGER);
        this.abandon = redis.new Script(ABANDON, ScriptOutputType.MULTI);
        this.handOver = redis.new Script(HAND_OVER, ScriptOutputType.INTEGER);
    }

    @Override
    public void listen(NodeId self, Consumer<String> lost) {
        List<Consumer<String>> heard;
        synchronized (listeners) {
            heard = listeners.get(self.value());
            if (heard == null) {
                heard = new java.util.concurrent.CopyOnWriteArrayList<>();
                listeners.put(self.value(), heard);
                List<Consumer<String>> all = heard;
                bus.subscribe("sessions:" + self.value(), id -> all.forEach(listener -> listener.accept(id)));
            }
        }
        heard.add(lost);
    }

    @Override
    public CompletionStage<Void> write(Snapshot s) {
        List<String> args = new ArrayList<>(List.of(redis.prefix(), s.session(), s.user(), s.resumeTokenHash(),
                s.endpoint(), s.owner().value(), Long.toString(s.first()), Long.toString(s.next()), ttl,
                Integer.toString(s.messages().size())));
        args.addAll(s.messages());
        s.context().forEach((key, value) -> {
            args.add(key);
            args.add(value);
        });
        return write.<Long>run(new String[0], args.toArray(String[]::new)).thenApply(done -> null);
    }

    /** A message waiting for its batch. */
    private record Pending(String session, String owner, String seq, String text, String answers, String delivery,
            CompletableFuture<Mirrored> result) {}

    /** At most this many messages, or about this many characters, go in one call. */
    static final int BATCH_MESSAGES = 256;
    static final int BATCH_CHARS = 1 << 20;

    private final ArrayDeque<Pending> queued = new ArrayDeque<>();
    private boolean sending;

    /**
     * One call in flight at a time; what is mirrored meanwhile waits and goes in the next call, in order, as one script
     * run: with little traffic every message goes at once on its own, under load many share a round trip. Not two: a
     * call sent from Lettuce's event loop (on an answer) is written before one another thread queued a moment earlier,
     * so two in flight could reach Redis out of order (the session's later message first, found a gap and resent).
     */
    @Override
    public CompletionStage<Mirrored> mirror(String session, NodeId owner, long seq, String text,
            Optional<String> answers, Optional<String> delivery) {
        Pending pending = new Pending(session, owner.value(), Long.toString(seq), text, answers.orElse(""),
                delivery.orElse(""), new CompletableFuture<>());
        List<Pending> batch = null;
        synchronized (queued) {
            queued.add(pending);
            if (!sending) {
                sending = true;
                batch = nextBatch();
            }
        }
        if (batch != null) {
            send(batch);
        }
        return pending.result();
    }

    /** Under the queue's lock. */
    private List<Pending> nextBatch() {
        List<Pending> batch = new ArrayList<>();
        int chars = 0;
        while (!queued.isEmpty() && batch.size() < BATCH_MESSAGES && (batch.isEmpty() || chars < BATCH_CHARS)) {
            Pending next = queued.poll();
            chars += next.text().length();
            batch.add(next);
        }
        return batch;
    }

    private void send(List<Pending> batch) {
        String[] args = new String[2 + 6 * batch.size()];
        args[0] = redis.prefix();
        args[1] = Integer.toString(remembered);
        int at = 2;
        for (Pending p : batch) {
            args[at++] = p.session();
            args[at++] = p.owner();
            args[at++] = p.seq();
            args[at++] = p.text();
            args[at++] = p.answers();
            args[at++] = p.delivery();
        }
        mirror.<List<Object>>run(new String[0], args).whenComplete((codes, failure) -> {
            // the next batch goes before this one's answers are taken up: Redis is kept busy meanwhile
            List<Pending> next;
            synchronized (queued) {
                next = queued.isEmpty() ? null : nextBatch();
                sending = next != null;
            }
            if (next != null) {
                send(next);
            }
            for (int i = 0; i < batch.size(); i++) {
                CompletableFuture<Mirrored> result = batch.get(i).result();
                if (failure != null) {
                    result.completeExceptionally(failure);
                    continue;
                }
                result.complete(switch (((Number) codes.get(i)).intValue()) {
                    case 0 -> Mirrored.OK;
                    case 1 -> Mirrored.MISSING;
                    case 2 -> Mirrored.MOVED;
                    default -> Mirrored.GAP;
                });
            }
        });
    }

    @Override
    public CompletionStage<Void> acknowledge(String session, NodeId owner, long seq) {
        return acknowledge.<Long>run(new String[0], redis.prefix(), session, owner.value(), Long.toString(seq), ttl)
                .thenApply(done -> null);
    }

    @Override
    public CompletionStage<Mirrored> handOver(String session, NodeId owner, long next, Map<String, String> context) {
        List<String> args = new ArrayList<>(List.of(redis.prefix(), session, owner.value(), Long.toString(next)));
        context.forEach((key, value) -> {
            args.add(key);
            args.add(value);
        });
        return handOver.<Long>run(new String[0], args.toArray(String[]::new)).thenApply(code -> switch (code.intValue()) {
            case 0 -> Mirrored.OK;
            case 1 -> Mirrored.MISSING;
            case 2 -> Mirrored.MOVED;
            default -> Mirrored.GAP;
        });
    }

    @Override
    public CompletionStage<Void> context(String session, NodeId owner, String key, String value) {
        return context.<Long>run(new String[0], redis.prefix(), session, owner.value(), key, value)
                .thenApply(done -> null);
    }

    @Override
    public CompletionStage<Deposited> deposit(String session, NodeId unreachable, String prefix, String suffix,
            Optional<String> delivery, Limits limits) {
        return deposit.<Long>run(new String[0], redis.prefix(), session, prefix, suffix, delivery.orElse(""),
                Integer.toString(limits.maxMessages()), Long.toString(limits.maxBytes()),
                Integer.toString(limits.remembered()), ttl, unreachable.value())
                .thenApply(code -> switch (code.intValue()) {
                    case -1 -> new Deposited(0, Optional.of(Deposited.Outcome.MISSING));
                    case -4 -> new Deposited(0, Optional.of(Deposited.Outcome.MOVED));
                    case -2 -> new Deposited(0, Optional.of(Deposited.Outcome.OVERFLOWED));
                    case -3 -> new Deposited(0, Optional.of(Deposited.Outcome.DUPLICATE));
                    default -> new Deposited(code, Optional.empty());
                });
    }

    @Override
    public CompletionStage<Claim> claim(String session, String user, String resumeTokenHash, NodeId node,
            long lastSeq) {
        return claim.<List<Object>>run(new String[0], redis.prefix(), session, user, resumeTokenHash, node.value(),
                Long.toString(lastSeq), ttl).thenApply(RedisSharedSessions::claimed);
    }

    private static Claim claimed(List<Object> out) {
        String status = text(out.get(0));
        switch (status) {
            case "expired" -> {
                return Claim.refused(Refusal.EXPIRED);
            }
            case "overflowed" -> {
                return Claim.refused(Refusal.OVERFLOWED);
            }
            case "position" -> {
                return Claim.refused(Refusal.POSITION);
            }
            default -> { }
        }
        String previous = text(out.get(1));
        long first = Long.parseLong(text(out.get(2)));
        long next = Long.parseLong(text(out.get(3)));
        int at = 4;
        int n = Integer.parseInt(text(out.get(at++)));
        List<String> replay = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            replay.add(text(out.get(at++)));
        }
        n = Integer.parseInt(text(out.get(at++)));
        Map<String, Long> answers = new LinkedHashMap<>();
        for (int i = 0; i < n; i += 2) {
            answers.put(text(out.get(at)), Long.parseLong(text(out.get(at + 1))));
            at += 2;
        }
        n = Integer.parseInt(text(out.get(at++)));
        List<String> delivered = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            delivered.add(text(out.get(at++)));
        }
        n = Integer.parseInt(text(out.get(at++)));
        Map<String, String> context = new LinkedHashMap<>();
        for (int i = 0; i < n; i += 2) {
            context.put(text(out.get(at)), text(out.get(at + 1)));
            at += 2;
        }
        return Claim.of(new Claimed(previous.isEmpty() ? Optional.empty() : Optional.of(new NodeId(previous)), first,
                next, replay, answers, delivered, context));
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(value);
    }

    @Override
    public CompletionStage<Void> overflowed(String session, NodeId owner) {
        return overflowed.<Long>run(new String[0], redis.prefix(), session, owner.value()).thenApply(done -> null);
    }

    @Override
    public CompletionStage<Optional<List<String>>> abandon(String session, NodeId dead, NodeId by) {
        return abandon.<List<Object>>run(new String[0], redis.prefix(), session, dead.value(), by.value()).thenApply(out -> {
            if (!"ok".equals(text(out.get(0)))) {
                return Optional.empty();
            }
            List<String> kept = new ArrayList<>(out.size() - 1);
            for (int i = 1; i < out.size(); i++) {
                kept.add(text(out.get(i)));
            }
            return Optional.of(kept);
        });
    }

    @Override
    public CompletionStage<Ended> end(String session, Optional<NodeId> owner) {
        return end.<Long>run(new String[0], redis.prefix(), session, owner.map(NodeId::value).orElse(""))
                .thenApply(code -> code == 1L ? Ended.REMOVED : code == 2L ? Ended.HELD_ELSEWHERE : Ended.ABSENT);
    }
}
