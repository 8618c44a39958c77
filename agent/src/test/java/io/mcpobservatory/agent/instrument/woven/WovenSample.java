package io.mcpobservatory.agent.instrument.woven;

/** Methods of the shapes advice meets in the SDK, for AdviceWeaverTest to weave (it reads this class file). */
public class WovenSample {

    private final String label = "sample";

    /**
     * Returns inside a try block whose handler catches everything, and inside that handler. (javac ends a try block's
     * range before its return instruction, so the advice at a return is outside the method's handler here; the weaver
     * still puts its own handlers first in the table, for code where it is not.)
     */
    public String echo(String text) {
        try {
            if (text == null) {
                throw new IllegalArgumentException("null");
            }
            return text;
        } catch (Throwable e) {
            return "caught";
        }
    }

    /** Static, two-slot arguments, a loop (stack map frames the advice extends). */
    public static long wide(long a, double b, int[] c) {
        long sum = a + (long) b;
        for (int value : c) {
            sum += value;
        }
        return sum;
    }

    public Object fails(Object value) {
        throw new IllegalStateException("own " + value);
    }

    public void nothing(String text) {
        if (text.isEmpty()) {
            return;
        }
        label.length();
    }
}
