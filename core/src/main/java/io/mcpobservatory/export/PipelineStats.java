package io.mcpobservatory.export;

/**
 * A snapshot of the pipeline's counters, as exporters report them (the PostgreSQL heartbeat) and the summary prints them,
 * with the heartbeat's interval (so that a reader of the heartbeats can tell a stale agent).
 */
public record PipelineStats(long recorded, long exported, long droppedQueueFull, long droppedExportFailed,
                            long exportFailures, long queueDepth, long heartbeatIntervalMillis, long sampledOut) {
}
