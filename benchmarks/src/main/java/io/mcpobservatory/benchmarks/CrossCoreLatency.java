package io.mcpobservatory.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * How long a cache line takes to go from one CPU to the other and back, as two threads see it: one writes a counter,
 * the other echoes it in a line of its own, and the first waits for the echo. Printed once a second, then the median.
 *
 * <p>Why it exists: on the 2-vCPU VMs the benchmarks run on, this round trip is ~90 ns for a while and ~350-650 ns for
 * a while (seconds to minutes each: the host places the two vCPUs on cores that share a cache, or not). Benchmarks
 * whose threads hand work to each other are read against it (RESULTS.md section 24), so {@code run.sh} runs it for a
 * few seconds before and after every JMH run.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.mcpobservatory.benchmarks.CrossCoreLatency [seconds]} (default 3).
 */
public final class CrossCoreLatency {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    /** The ping at index 8 and the echo at index 40: 256 bytes apart, never in one cache line. */
    private static final int PING = 8;
    private static final int ECHO = 40;

    private CrossCoreLatency() {
    }

    public static void main(String[] args) throws InterruptedException {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long[] lines = new long[64];
        Thread echo = new Thread(() -> {
            long seen = 0;
            while (!Thread.currentThread().isInterrupted()) {
                long ping = (long) SLOT.getVolatile(lines, PING);
                if (ping != seen) {
                    seen = ping;
                    SLOT.setVolatile(lines, ECHO, ping);
                }
            }
        }, "cross-core-echo");
        echo.setDaemon(true);
        echo.start();
        double[] perSecond = new double[seconds];
        int second = 0;
        long secondStart = System.nanoTime();
        long tripsAtSecondStart = 0;
        for (long trip = 1; second < seconds; trip++) {
            SLOT.setVolatile(lines, PING, trip);
            while ((long) SLOT.getVolatile(lines, ECHO) != trip) {
                Thread.onSpinWait();
            }
            long now;
            if ((trip & 1023) == 0 && (now = System.nanoTime()) - secondStart >= 1_000_000_000L) {
                perSecond[second] = (double) (now - secondStart) / (trip - tripsAtSecondStart);
                System.out.printf("second %d: %.0f ns per round trip%n", second + 1, perSecond[second]);
                second++;
                secondStart = now;
                tripsAtSecondStart = trip;
            }
        }
        echo.interrupt();
        double[] sorted = perSecond.clone();
        Arrays.sort(sorted);
        System.out.printf("cross-core round trip: median %.0f ns (min %.0f, max %.0f) over %d s%n",
                sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], seconds);
    }
}
