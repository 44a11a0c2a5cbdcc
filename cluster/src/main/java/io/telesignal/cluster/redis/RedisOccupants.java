package io.telesignal.cluster.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ScriptOutputType;
import io.telesignal.core.groupchat.Affiliation;
import io.telesignal.core.groupchat.Occupant;
import io.telesignal.core.groupchat.Occupants;
import io.telesignal.core.groupchat.RoomRole;
import io.telesignal.core.identity.UserId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Room occupants in Redis: a hash per room ({@code muc:<room>}: nickname → {@code <entry number>|<occupant as JSON>})
 * and the room's entry counter ({@code muc:<room>:n}), which orders occupants by when they entered. Every change is one
 * script, so the nickname check, the full-room check and the change are atomic. Both keys go when the room empties.
 * No time-to-live: an occupant whose node died is taken out by the door when a delivery to it fails.
 */
public final class RedisOccupants implements Occupants {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIND = """
            local function mine(k, user, resource)
              local all = redis.call('HGETALL', k)
              for i = 1, #all, 2 do
                local bar = string.find(all[i + 1], '|', 1, true)
                local o = cjson.decode(string.sub(all[i + 1], bar + 1))
                if o.user == user and o.resource == resource then return all[i], all[i + 1], string.sub(all[i + 1], 1, bar - 1) end
              end
              return nil
            end
            """;
    private static final String ENTER = FIND + """
            local k, nick, user, resource, value, max = ARGV[1] .. 'muc:' .. ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
            local holder = redis.call('HGET', k, nick)
            if holder then
              local bar = string.find(holder, '|', 1, true)
              local h = cjson.decode(string.sub(holder, bar + 1))
              if h.user ~= user or h.resource ~= resource then return {'NICK_TAKEN', holder} end
              redis.call('HSET', k, nick, string.sub(holder, 1, bar) .. value)
              return {'UPDATED', holder}
            end
            local oldNick, old, seq = mine(k, user, resource)
            if oldNick then
              redis.call('HDEL', k, oldNick)
              redis.call('HSET', k, nick, seq .. '|' .. value)
              return {'RENAMED', old}
            end
            if redis.call('HLEN', k) >= max then return {'FULL'} end
            local n = redis.call('INCR', k .. ':n')
            redis.call('HSET', k, nick, n .. '|' .. value)
            return {'JOINED'}
            """;
    private static final String UPDATE = """
            local k, nick = ARGV[1] .. 'muc:' .. ARGV[2], ARGV[3]
            local holder = redis.call('HGET', k, nick)
            if not holder then return 0 end
            local bar = string.find(holder, '|', 1, true)
            local h = cjson.decode(string.sub(holder, bar + 1))
            if h.user ~= ARGV[4] or h.resource ~= ARGV[5] then return 0 end
            redis.call('HSET', k, nick, string.sub(holder, 1, bar) .. ARGV[6])
            return 1
            """;
    private static final String LEAVE = FIND + """
            local k = ARGV[1] .. 'muc:' .. ARGV[2]
            local nick, old = mine(k, ARGV[3], ARGV[4])
            if not nick then return {} end
            redis.call('HDEL', k, nick)
            if redis.call('HLEN', k) == 0 then redis.call('DEL', k, k .. ':n') end
            return {old}
            """;
    private static final String CLEAR = """
            local k = ARGV[1] .. 'muc:' .. ARGV[2]
            local all = redis.call('HVALS', k)
            redis.call('DEL', k, k .. ':n')
            return all
            """;

    private final Redis redis;
    private final Redis.Script enter;
    private final Redis.Script update;
    private final Redis.Script leave;
    private final Redis.Script clear;

    public RedisOccupants(Redis redis) {
        this.redis = redis;
        this.enter = redis.new Script(ENTER, ScriptOutputType.MULTI);
        this.update = redis.new Script(UPDATE, ScriptOutputType.INTEGER);
        this.leave = redis.new Script(LEAVE, ScriptOutputType.MULTI);
        this.clear = redis.new Script(CLEAR, ScriptOutputType.MULTI);
    }

    @Override
    public CompletionStage<Entered> enter(String room, Occupant occupant, int max) {
        return enter.<List<Object>>run(new String[0], redis.prefix(), room, occupant.nick(), occupant.user().value(),
                occupant.resource(), encode(occupant), String.valueOf(max)).thenApply(reply -> new Entered(
                        Outcome.valueOf((String) reply.get(0)),
                        reply.size() > 1 ? Optional.of(decode((String) reply.get(1))) : Optional.empty()));
    }

    @Override
    public CompletionStage<Boolean> update(String room, Occupant occupant) {
        return update.<Long>run(new String[0], redis.prefix(), room, occupant.nick(), occupant.user().value(),
                occupant.resource(), encode(occupant)).thenApply(n -> n == 1L);
    }

    @Override
    public CompletionStage<Optional<Occupant>> leave(String room, UserId user, String resource) {
        return leave.<List<Object>>run(new String[0], redis.prefix(), room, user.value(), resource).thenApply(reply ->
                reply.isEmpty() ? Optional.empty() : Optional.of(decode((String) reply.get(0))));
    }

    @Override
    public CompletionStage<List<Occupant>> list(String room) {
        return redis.<List<String>>call(c -> c.hvals(redis.prefix() + "muc:" + room)).thenApply(RedisOccupants::inOrder);
    }

    @Override
    public CompletionStage<List<Occupant>> clear(String room) {
        return clear.<List<Object>>run(new String[0], redis.prefix(), room).thenApply(values ->
                inOrder(values.stream().map(v -> (String) v).toList()));
    }

    private static List<Occupant> inOrder(List<String> values) {
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparingLong(v -> Long.parseLong(v.substring(0, v.indexOf('|')))));
        return sorted.stream().map(RedisOccupants::decode).toList();
    }

    private static String encode(Occupant o) {
        ObjectNode node = JSON.createObjectNode();
        node.put("nick", o.nick());
        node.put("user", o.user().value());
        node.put("login", o.login());
        node.put("resource", o.resource());
        node.put("role", o.role().wireName());
        node.put("affiliation", o.affiliation().wireName());
        node.put("presence", o.presence());
        return node.toString();
    }

    /** An entry as stored: its number, a bar, the JSON. */
    private static Occupant decode(String value) {
        try {
            JsonNode n = JSON.readTree(value.substring(value.indexOf('|') + 1));
            return new Occupant(n.path("nick").asText(), new UserId(n.path("user").asText()), n.path("login").asText(),
                    n.path("resource").asText(), RoomRole.fromWireName(n.path("role").asText()).orElseThrow(),
                    Affiliation.fromWireName(n.path("affiliation").asText()).orElseThrow(), n.path("presence").asText());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a room occupant in Redis is not JSON", e);
        }
    }
}
