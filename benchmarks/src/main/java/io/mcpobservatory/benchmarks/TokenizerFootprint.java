package io.mcpobservatory.benchmarks;

import io.mcpobservatory.tokens.TokenCounter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.management.ObjectName;

/**
 * What the first token count costs a fresh JVM, as on an agent's drainer at the first payload: wall time, the counting
 * thread's CPU time and the whole process's CPU time (JIT compiler and GC threads included) of the first
 * {@link TokenCounter#count}, and the heap the loaded tokenizer retains: the difference of two class histograms (the
 * same as {@code jcmd <pid> GC.class_histogram}: live objects only, after a full GC), before the first count and after it
 * with the counter still reachable. Not a JMH benchmark: it measures a cold start once; run it a few times.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.mcpobservatory.benchmarks.TokenizerFootprint o200k_base}.
 */
public final class TokenizerFootprint {

    /** Kept reachable so the second histogram sees the loaded tokenizer. */
    private static TokenCounter counter;

    private TokenizerFootprint() {
    }

    public static void main(String[] args) throws Exception {
        String encoding = args.length > 0 ? args[0] : TokenCounter.O200K_BASE;
        String text = TokenCountingBenchmark.jsonResult(new Random(1), 2 * 1024);
        Map<String, long[]> before = histogram();

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long process0 = os.getProcessCpuTime();
        long thread0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        counter = new TokenCounter(encoding);
        TokenCounter.Count count = counter.count(text);
        long wall = System.nanoTime() - wall0;
        long thread = threads.getCurrentThreadCpuTime() - thread0;
        long process = os.getProcessCpuTime() - process0;

        Map<String, long[]> after = histogram();
        List<Map.Entry<String, long[]>> deltas = new ArrayList<>();
        long totalBytes = 0;
        long totalInstances = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
            totalInstances += d[0];
            totalBytes += d[1];
            deltas.add(Map.entry(e.getKey(), d));
        }
        deltas.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        System.out.printf(Locale.ROOT, "%s: first count of a %d-char JSON result = %d tokens; wall %.1f ms, counting "
                + "thread CPU %.1f ms, process CPU %.1f ms; retained %.2f MB in %,d objects (histogram delta)%n",
                encoding, text.length(), count.tokens(), wall / 1e6, thread / 1e6, process / 1e6, totalBytes / 1048576.0,
                totalInstances);
        for (int i = 0; i < Math.min(8, deltas.size()); i++) {
            long[] d = deltas.get(i).getValue();
            System.out.printf(Locale.ROOT, "  %10.2f MB %,12d  %s%n", d[1] / 1048576.0, d[0], deltas.get(i).getKey());
        }
    }

    /** Class name to {instances, bytes} of live objects, from the JVM's GC.class_histogram diagnostic command. */
    private static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return classes;
    }
}
