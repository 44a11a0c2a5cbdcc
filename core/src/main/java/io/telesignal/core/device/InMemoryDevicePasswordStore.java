package io.telesignal.core.device;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Device passwords in memory, for tests and the embedded in-memory mode. {@code userExists} stands for the FK. */
public final class InMemoryDevicePasswordStore implements DevicePasswordStore {
    private final Map<UserId, ScramParameters> parameters = new HashMap<>();
    private final Map<UserId, List<DevicePassword>> devices = new HashMap<>();
    private final Predicate<UserId> userExists;

    public InMemoryDevicePasswordStore(Predicate<UserId> userExists) {
        this.userExists = userExists;
    }

    @Override
    public synchronized ScramParameters scramParameters(UserId user, ScramParameters proposed) {
        return parameters.computeIfAbsent(user, u -> proposed);
    }

    @Override
    public synchronized Optional<ScramParameters> scramParameters(UserId user) {
        return Optional.ofNullable(parameters.get(user));
    }

    @Override
    public synchronized CreateOutcome create(DevicePassword device, int limit) {
        if (!userExists.test(device.user())) {
            return CreateOutcome.USER_NOT_FOUND;
        }
        ScramParameters current = parameters.get(device.user());
        if (current == null || !current.equals(new ScramParameters(device.scram().salt(), device.scram().iterations()))) {
            return CreateOutcome.PARAMETERS_CHANGED;
        }
        List<DevicePassword> mine = devices.computeIfAbsent(device.user(), u -> new ArrayList<>());
        if (mine.size() >= limit) {
            return CreateOutcome.LIMIT_REACHED;
        }
        mine.add(device);
        return CreateOutcome.CREATED;
    }

    @Override
    public synchronized List<DevicePassword> list(UserId user) {
        return devices.getOrDefault(user, List.of()).stream()
                .sorted(java.util.Comparator.comparing(DevicePassword::createdAt).thenComparing(DevicePassword::id))
                .toList();
    }

    @Override
    public synchronized boolean delete(UserId user, String id) {
        List<DevicePassword> mine = devices.getOrDefault(user, new ArrayList<>());
        boolean removed = mine.removeIf(d -> d.id().equals(id));
        if (removed && mine.isEmpty()) {
            devices.remove(user);
            parameters.remove(user);
        }
        return removed;
    }

    @Override
    public synchronized void markUsed(String id, Instant at) {
        for (List<DevicePassword> mine : devices.values()) {
            mine.replaceAll(d -> d.id().equals(id) ? d.usedAt(at) : d);
        }
    }
}
