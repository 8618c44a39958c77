package io.mcpobservatory.agent.instrument;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * A method of an SDK class as its class file declares it, before the class is loaded: what instrumentation points
 * match on. Types are binary names ({@code io.modelcontextprotocol.spec.McpSchema$JSONRPCRequest}), never classes.
 */
public record SdkMethod(String owner, int access, String name, String descriptor) {

    public boolean named(String expected) {
        return name.equals(expected);
    }

    public int arguments() {
        return Type.getArgumentCount(descriptor);
    }

    /** The binary name of argument {@code index}'s declared type, or null if there is no such argument. */
    public String argument(int index) {
        Type[] arguments = Type.getArgumentTypes(descriptor);
        return index < arguments.length ? arguments[index].getClassName() : null;
    }

    public String returns() {
        return Type.getReturnType(descriptor).getClassName();
    }

    public boolean isStatic() {
        return (access & Opcodes.ACC_STATIC) != 0;
    }

    /**
     * Whether the method has code that advice may go into. Synthetic methods are left alone, except lambda bodies: the
     * SDK runs tool handlers in {@code lambda$toolsCallRequestHandler$N} and {@code lambda$fromSync$N}. Bridge methods
     * (synthetic, not lambdas) stay out, so a generic method is never advised twice.
     */
    boolean mayTakeAdvice() {
        return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0 && !name.startsWith("<")
                && ((access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) == 0 || name.startsWith("lambda$"));
    }

    @Override
    public String toString() {
        return owner + "#" + name + descriptor;
    }
}
