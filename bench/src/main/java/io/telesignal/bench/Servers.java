package io.telesignal.bench;

import java.io.IOException;
import java.util.List;

/** The servers under test, one or the nodes of a cluster, measured together: CPU, heap and RSS are summed. */
final class Servers implements AutoCloseable {
    private final List<ServerProcess> nodes;

    Servers(List<ServerProcess> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    ServerProcess first() {
        return nodes.get(0);
    }

    List<java.net.URI> webSockets() {
        return nodes.stream().map(ServerProcess::webSocket).toList();
    }

    ProcessStats.Cpu cpu() {
        ProcessStats.Cpu sum = null;
        for (ServerProcess node : nodes) {
            sum = sum == null ? node.cpu() : sum.plus(node.cpu());
        }
        return sum;
    }

    long liveHeapBytes() throws IOException, InterruptedException {
        long sum = 0;
        for (ServerProcess node : nodes) {
            sum += node.liveHeapBytes();
        }
        return sum;
    }

    long peakRssBytes() {
        return nodes.stream().mapToLong(ServerProcess::peakRssBytes).sum();
    }

    boolean alive() {
        return nodes.stream().allMatch(ServerProcess::alive);
    }

    /** Kills node {@code index} with SIGKILL (the failover phase). */
    void kill(int index) {
        try {
            nodes.get(index).kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every node but {@code index} is up. */
    boolean aliveBut(int index) {
        for (int i = 0; i < nodes.size(); i++) {
            if (i != index && !nodes.get(i).alive()) {
                return false;
            }
        }
        return true;
    }

    /** CPU of every node but {@code index} (one killed has none to read). */
    ProcessStats.Cpu cpuBut(int index) {
        ProcessStats.Cpu sum = null;
        for (int i = 0; i < nodes.size(); i++) {
            if (i != index) {
                sum = sum == null ? nodes.get(i).cpu() : sum.plus(nodes.get(i).cpu());
            }
        }
        return sum;
    }

    @Override
    public void close() throws InterruptedException {
        for (ServerProcess node : nodes) {
            node.close();
        }
    }
}
