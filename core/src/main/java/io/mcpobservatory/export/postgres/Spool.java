package io.mcpobservatory.export.postgres;

import io.mcpobservatory.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Batches that could not reach PostgreSQL, kept on disk in the exact binary COPY form they would have been written in,
 * one file per batch, until the database is back. Bounded by {@code maxBytes}: when full, new batches are refused (and
 * dropped and counted by the caller). Files are written to a temporary name, forced to disk and renamed, so a crash never
 * leaves a half batch; a file name carries the agent id, the batch sequence and the span count, which is what a replay
 * needs to stay idempotent. Files left by an earlier run of the agent are replayed too. Thread-safe: the exporter's
 * writer threads and the drainer (heartbeat) share it.
 */
final class Spool {

    private static final String SUFFIX = ".pgcopy";

    private final Path dir;
    private final long maxBytes;
    private final List<Entry> entries = new ArrayList<>();
    private long bytes;
    private boolean loaded;

    /** One spooled batch. */
    static final class Entry {
        final Path file;
        final UUID agentId;
        final long seq;
        final int spans;
        final long size;

        Entry(Path file, UUID agentId, long seq, int spans, long size) {
            this.file = file;
            this.agentId = agentId;
            this.seq = seq;
            this.spans = spans;
            this.size = size;
        }
    }

    /** Touches no file: the directory is read on first use, on an exporter thread, never on an application thread. */
    Spool(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    boolean enabled() {
        return maxBytes > 0;
    }

    synchronized boolean isEmpty() {
        load();
        return entries.isEmpty();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long spans() {
        long total = 0;
        for (Entry entry : entries) {
            total += entry.spans;
        }
        return total;
    }

    /** Spools a batch; false when the spool is off or full, or the disk refused it. */
    synchronized boolean append(UUID agentId, long seq, int spans, byte[] payload, int length) {
        load();
        if (!enabled() || bytes + length > maxBytes) {
            return false;
        }
        String name = agentId + "_" + String.format("%020d", seq) + "_" + spans + SUFFIX;
        Path temporary = dir.resolve(name + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(payload, 0, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(false);
            }
            Path file = Files.move(temporary, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            // by sequence, as a restart would load them: parallel writers may spool batch n+1 before batch n
            int at = entries.size();
            while (at > 0 && entries.get(at - 1).agentId.equals(agentId) && entries.get(at - 1).seq > seq) {
                at--;
            }
            entries.add(at, new Entry(file, agentId, seq, spans, length));
            bytes += length;
            return true;
        } catch (IOException | RuntimeException e) {
            Log.warnOnce("spool-write", "cannot write the spool in " + dir + " (" + e + "); batches are dropped "
                    + "while PostgreSQL is unavailable");
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return false;
        }
    }

    synchronized Entry oldest() {
        load();
        return entries.isEmpty() ? null : entries.get(0);
    }

    byte[] read(Entry entry) throws IOException {
        return Files.readAllBytes(entry.file);
    }

    synchronized void remove(Entry entry) {
        entries.remove(entry);
        bytes -= entry.size;
        try {
            Files.deleteIfExists(entry.file);
        } catch (IOException e) {
            Log.warnOnce("spool-delete", "cannot delete spooled batch " + entry.file + ": " + e);
        }
    }

    /** Picks up batches an earlier run left behind, oldest first (file names sort by agent id then sequence). */
    private synchronized void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (!enabled() || !Files.isDirectory(dir)) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            stream.forEach(files::add);
        } catch (IOException e) {
            Log.warn("cannot read the spool directory " + dir, e);
            return;
        }
        files.sort(null);
        for (Path file : files) {
            String[] parts = file.getFileName().toString().replace(SUFFIX, "").split("_");
            try {
                long size = Files.size(file);
                entries.add(new Entry(file, UUID.fromString(parts[0]), Long.parseLong(parts[1]),
                        Integer.parseInt(parts[2]), size));
                bytes += size;
            } catch (IOException | RuntimeException e) {
                Log.warn("ignoring unreadable spool file " + file, e);
            }
        }
        if (!entries.isEmpty()) {
            Log.info(entries.size() + " spooled batches from an earlier run in " + dir
                    + " will be replayed when PostgreSQL is reachable");
        }
    }
}
