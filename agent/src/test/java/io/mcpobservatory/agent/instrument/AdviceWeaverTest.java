package io.mcpobservatory.agent.instrument;

import static io.mcpobservatory.agent.instrument.Advice.METHOD_NAME;
import static io.mcpobservatory.agent.instrument.Advice.THIS;
import static io.mcpobservatory.agent.instrument.Advice.argument;
import static io.mcpobservatory.agent.instrument.Advice.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.agent.instrument.woven.WovenSample;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The weaver on a class of its own ({@link WovenSample}), with the advice calling {@link Hooks} instead of the Bridge:
 * the calls happen with the right values, on every return and throw; an argument is replaced; a result is replaced; and
 * when every advice call throws, the methods behave exactly as without advice.
 */
class AdviceWeaverTest {

    private static final String SAMPLE = WovenSample.class.getName();

    @AfterEach
    void reset() {
        Hooks.calls.clear();
        Hooks.failing = false;
        Hooks.entered = 0;
    }

    @Test
    void adviceIsCalledOnEntryAndOnEveryExit() throws Exception {
        Class<?> woven = weave(new ArrayList<>());
        Object sample = woven.getConstructor().newInstance();

        assertEquals("hi!", call(woven, sample, "echo", "hi"));
        assertEquals(List.of("enter echo hi", "rewrite hi", "end 1 hi! null"), Hooks.drain());
        assertEquals("caught", call(woven, sample, "echo", (Object) null));
        assertEquals(List.of("enter echo null", "rewrite null", "end 2 caught null"), Hooks.drain());

        assertEquals(10L, woven.getMethod("wide", long.class, double.class, int[].class)
                .invoke(null, 1L, 2.5, new int[] {3, 4}));
        assertEquals(List.of("enterName wide", "exit 3"), Hooks.drain());

        InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> call(woven, sample, "fails", "x"));
        assertEquals("own x", thrown.getCause().getMessage());
        assertEquals(List.of("enterField sample", "end 4 null java.lang.IllegalStateException: own x"), Hooks.drain());

        call(woven, sample, "nothing", "");
        call(woven, sample, "nothing", "a");
        assertEquals(List.of("enter nothing ", "exit 5", "enter nothing a", "exit 6"), Hooks.drain());
    }

    @Test
    void whatTheAdviceThrowsIsDroppedAndTheMethodRunsAsItWould() throws Exception {
        Class<?> woven = weave(new ArrayList<>());
        Object sample = woven.getConstructor().newInstance();
        Hooks.failing = true;

        assertEquals("hi", call(woven, sample, "echo", "hi"));
        assertEquals("caught", call(woven, sample, "echo", (Object) null));
        assertEquals(10L, woven.getMethod("wide", long.class, double.class, int[].class)
                .invoke(null, 1L, 2.5, new int[] {3, 4}));
        InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> call(woven, sample, "fails", "x"));
        assertEquals("own x", thrown.getCause().getMessage(), "the method's own exception, not the advice's");
        call(woven, sample, "nothing", "");
        // entry and exit of each of the five calls (a rewrite is skipped when the entry call before it threw)
        assertEquals(10, Hooks.drain().size(), "every advice call was made, and threw");
    }

    @Test
    void adviceNamingAMissingFieldLeavesTheClassAsItIs() throws Exception {
        List<String> failures = new ArrayList<>();
        McpInstrumentation point = point(method -> method.named("fails")
                ? Advice.enter("enterField", field("missing")).exit("end") : null);
        McpTransformer transformer = new McpTransformer(List.of(point), listener(failures), Hooks.class);
        assertNull(transformer.transform(getClass().getClassLoader(), SAMPLE.replace('.', '/'), null, null, bytes()));
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).contains("has no field missing"), failures.get(0));
    }

    private static Class<?> weave(List<String> failures) throws Exception {
        McpInstrumentation point = point(method -> {
            switch (method.name()) {
                case "echo":
                    return Advice.enter("enter", THIS, argument(0)).rewriting(0, "rewrite").exit("end");
                case "wide":
                    return Advice.enter("enterName", METHOD_NAME).exit("exit");
                case "fails":
                    return Advice.enter("enterField", field("label")).exit("end");
                case "nothing":
                    return Advice.enter("enter", THIS, argument(0)).exit("exit");
                default:
                    return null;
            }
        });
        McpTransformer transformer = new McpTransformer(List.of(point), listener(failures), Hooks.class);
        byte[] woven = transformer.transform(AdviceWeaverTest.class.getClassLoader(), SAMPLE.replace('.', '/'), null,
                null, bytes());
        assertEquals(List.of(), failures);
        return new ClassLoader(AdviceWeaverTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                return name.equals(SAMPLE) ? defineClass(name, woven, 0, woven.length) : super.loadClass(name, resolve);
            }
        }.loadClass(SAMPLE);
    }

    private static Object call(Class<?> type, Object target, String name, Object argument) throws Exception {
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name)) {
                return method.invoke(target, argument);
            }
        }
        throw new NoSuchMethodException(name);
    }

    private static McpInstrumentation point(java.util.function.Function<SdkMethod, Advice> advice) {
        return new McpInstrumentation() {
            @Override
            public Types types() {
                return Types.named(SAMPLE);
            }

            @Override
            public Advice advice(SdkMethod method) {
                return advice.apply(method);
            }
        };
    }

    private static McpTransformer.Listener listener(List<String> failures) {
        return new McpTransformer.Listener() {
            @Override
            public void transformed(String className, List<SdkMethod> advised) {
            }

            @Override
            public void failed(String className, Throwable error) {
                failures.add(className + ": " + error);
            }
        };
    }

    private static byte[] bytes() throws IOException {
        try (InputStream in = AdviceWeaverTest.class.getResourceAsStream("/" + SAMPLE.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** What the woven advice calls: records each call, and throws from each when {@code failing}. */
    public static final class Hooks {
        static final List<String> calls = new ArrayList<>();
        static boolean failing;
        static int entered;

        private Hooks() {
        }

        public static Object enter(Object self, Object argument) {
            String method = new Throwable().getStackTrace()[1].getMethodName();
            return record("enter " + method + " " + argument);
        }

        public static Object enterName(String method) {
            return record("enterName " + method);
        }

        public static Object enterField(Object value) {
            return record("enterField " + value);
        }

        public static Object rewrite(Object entered, Object argument) {
            record("rewrite " + argument);
            return argument == null ? null : argument + "!";
        }

        public static Object end(Object entered, Object returned, Throwable thrown) {
            record("end " + entered + " " + returned + " " + thrown);
            return returned;
        }

        public static void exit(Object entered) {
            record("exit " + entered);
        }

        private static Object record(String call) {
            calls.add(call);
            if (failing) {
                throw new Error("advice fails");
            }
            return call.startsWith("enter") ? ++entered : null;
        }

        static List<String> drain() {
            List<String> drained = List.copyOf(calls);
            calls.clear();
            return drained;
        }
    }
}
