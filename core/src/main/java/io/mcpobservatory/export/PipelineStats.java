package io.mcpobservatory.export;

/** A snapshot of the pipeline's counters, as exporters report them (the PostgreSQL heartbeat) and the summary prints them. */
public final class PipelineStats {

    public final long recorded;
    public final long exported;
    public final long droppedQueueFull;
    public final long droppedExportFailed;
    public final long exportFailures;
    public final long queueDepth;

    public PipelineStats(long recorded, long exported, long droppedQueueFull, long droppedExportFailed,
                         long exportFailures, long queueDepth) {
        this.recorded = recorded;
        this.exported = exported;
        this.droppedQueueFull = droppedQueueFull;
        this.droppedExportFailed = droppedExportFailed;
        this.exportFailures = exportFailures;
        this.queueDepth = queueDepth;
    }
}
