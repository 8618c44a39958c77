package io.mcpobservatory.export.otlp;

import java.nio.charset.StandardCharsets;

/**
 * Reads one field of a protobuf message, for the two small answers a receiver sends: the partial success of an export
 * ({@code ExportTraceServiceResponse.partial_success}) and the {@code google.rpc.Status} of a refusal. Malformed input
 * reads as absent, never as an exception.
 */
final class ProtoFields {

    private ProtoFields() {
    }

    /**
     * The last occurrence of {@code field} in {@code message[from, to)}: for a varint {value, -1}, for a length-delimited
     * field {start, end} of its bytes; null when absent (or the message is malformed before it).
     */
    static long[] find(byte[] message, int from, int to, int field) {
        long[] found = null;
        long[] read = new long[2];
        int at = from;
        while (at < to && varint(message, at, to, read)) {
            long tag = read[0];
            at = (int) read[1];
            int wireType = (int) (tag & 7);
            if (wireType == 1 || wireType == 5) {
                at += wireType == 1 ? 8 : 4;
                continue;
            }
            if ((wireType != 0 && wireType != 2) || !varint(message, at, to, read)) {
                return found;
            }
            at = (int) read[1];
            long value = read[0];
            if (wireType == 2) {
                if (value < 0 || at + value > to) {
                    return found;
                }
                if (tag >>> 3 == field) {
                    found = new long[] {at, at + value};
                }
                at += (int) value;
            } else if (tag >>> 3 == field) {
                found = new long[] {value, -1};
            }
        }
        return found;
    }

    static String string(byte[] message, long[] range) {
        return range == null || range[1] < 0 ? null
                : new String(message, (int) range[0], (int) (range[1] - range[0]), StandardCharsets.UTF_8);
    }

    /** Reads a varint at {@code at} into {@code out[0]}, the position after it into {@code out[1]}; false if cut short. */
    private static boolean varint(byte[] in, int at, int to, long[] out) {
        long value = 0;
        for (int shift = 0; shift < 64 && at < to; shift += 7) {
            byte b = in[at++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                out[0] = value;
                out[1] = at;
                return true;
            }
        }
        return false;
    }
}
