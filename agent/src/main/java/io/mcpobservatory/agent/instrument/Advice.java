package io.mcpobservatory.agent.instrument;

import io.mcpobservatory.bootstrap.Bridge;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * What an instrumentation point puts into a method: calls to static methods of the bootstrap {@link Bridge}, which the
 * {@link AdviceWeaver} writes into the method's bytecode.
 * <ul>
 *   <li>on entry, {@code enter} with the given values ({@link Value}); what it returns (the span, or the state to restore)
 *   is kept in a new local variable;</li>
 *   <li>optionally, an argument is then replaced by {@code rewrite(entered, argument)} (the request's params with the
 *   trace context added to {@code _meta});</li>
 *   <li>on every exit, returned or thrown, {@code exit(entered)}, or {@code exit(entered, returned, thrown)} whose result
 *   is returned instead (the Mono that ends the span when the request's work terminates).</li>
 * </ul>
 * Bridge methods take and return only {@code java.*} and bootstrap types, so the advice links from any class loader;
 * every call is wrapped so that whatever it throws is dropped, and the method then runs as it would have.
 *
 * @param enter     the Bridge method called on entry
 * @param values    what it is passed, in order
 * @param rewritten the index of the argument replaced after entry, or -1
 * @param rewrite   the Bridge method giving the new argument: {@code (entered, argument) -> argument}
 * @param exit      the Bridge method called on exit, or null
 */
public record Advice(String enter, List<Value> values, int rewritten, String rewrite, String exit) {

    /** A value passed to the entry method: {@code this}, an argument, a field of {@code this}, or the method's name. */
    public record Value(Kind kind, int index, String name) {
        enum Kind { THIS, ARGUMENT, FIELD, METHOD_NAME }
    }

    public static final Value THIS = new Value(Value.Kind.THIS, -1, null);
    public static final Value METHOD_NAME = new Value(Value.Kind.METHOD_NAME, -1, null);

    public static Value argument(int index) {
        return new Value(Value.Kind.ARGUMENT, index, null);
    }

    /** A field of {@code this} by name (its type is read from the class file). */
    public static Value field(String name) {
        return new Value(Value.Kind.FIELD, -1, name);
    }

    public static Advice enter(String bridgeMethod, Value... values) {
        return new Advice(bridgeMethod, List.of(values), -1, null, null);
    }

    /** The argument at {@code index} is replaced by {@code bridgeMethod(entered, argument)} after entry. */
    public Advice rewriting(int index, String bridgeMethod) {
        return new Advice(enter, values, index, bridgeMethod, exit);
    }

    public Advice exit(String bridgeMethod) {
        return new Advice(enter, values, rewritten, rewrite, bridgeMethod);
    }

    /** The method returns the Mono that does the request's work: the span ends when that Mono terminates. */
    public Advice endsWithMono() {
        return exit("endWithMono");
    }

    /** The public static method {@code name} of {@code hooks} ({@link Bridge}; a test's own class in tests). */
    static Method hook(Class<?> hooks, String name) {
        for (Method method : hooks.getMethods()) {
            if (method.getName().equals(name) && Modifier.isStatic(method.getModifiers())) {
                return method;
            }
        }
        throw new IllegalArgumentException("no static method " + hooks.getSimpleName() + "." + name);
    }
}
