package io.mcpobservatory.export;

/** A snapshot of the pipeline's counters, as exporters report them (the PostgreSQL heartbeat) and the summary prints them. */
public record PipelineStats(long recorded, long exported, long droppedQueueFull, long droppedExportFailed,
                            long exportFailures, long queueDepth) {
}
