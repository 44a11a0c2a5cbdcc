package io.telesignal.core.upload;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Uploads in this process's memory (single node, embedded defaults without a store). */
public final class InMemoryUploadStore implements UploadStore {
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Map<String, byte[]> contents = new LinkedHashMap<>();

    @Override
    public synchronized boolean reserve(Slot slot, long quota, Instant now) {
        if (slots.containsKey(slot.id()) || used(slot.owner(), now) + slot.size() > quota) {
            return false;
        }
        slots.put(slot.id(), slot);
        return true;
    }

    @Override
    public synchronized Optional<Slot> slot(String id) {
        return Optional.ofNullable(slots.get(id));
    }

    @Override
    public synchronized Put put(String id, byte[] data, Instant now) {
        Slot slot = slots.get(id);
        if (slot == null) {
            return Put.UNKNOWN;
        }
        if (slot.uploadedAt().isPresent()) {
            return Put.ALREADY;
        }
        if (!now.isBefore(slot.expiresAt())) {
            return Put.EXPIRED;
        }
        if (data.length != slot.size()) {
            return Put.WRONG_SIZE;
        }
        slots.put(id, slot.uploaded(now));
        contents.put(id, data.clone());
        return Put.STORED;
    }

    @Override
    public synchronized Optional<byte[]> content(String id) {
        return Optional.ofNullable(contents.get(id)).map(byte[]::clone);
    }

    private long used(UserId owner, Instant now) {
        return slots.values().stream().filter(s -> s.owner().equals(owner)
                && (s.uploadedAt().isPresent() || now.isBefore(s.expiresAt()))).mapToLong(Slot::size).sum();
    }

    @Override
    public synchronized int purge(Instant cutoff, Instant now) {
        int before = slots.size();
        slots.values().removeIf(s -> s.uploadedAt().map(at -> at.isBefore(cutoff)).orElse(!now.isBefore(s.expiresAt())));
        contents.keySet().retainAll(slots.keySet());
        return before - slots.size();
    }
}
