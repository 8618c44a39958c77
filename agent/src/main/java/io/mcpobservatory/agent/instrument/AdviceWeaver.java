package io.mcpobservatory.agent.instrument;

import io.mcpobservatory.bootstrap.Bridge;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes {@link Advice} into the methods of one class: calls to the bootstrap {@link Bridge} on entry and before every
 * return and throw, each call in its own handler that drops whatever it throws. Nothing else of the class changes: no
 * field, no method, no change of signature, so the same advice can be applied by retransformation (attach).
 *
 * <p>Stack map frames are written by hand, not computed (computing them would load classes while a class is being
 * loaded): the advice's locals go after the method's own ({@code maxLocals} from a first reading), every frame of the
 * method is extended with the entered value, and the frames of the advice's own branch targets declare only what the
 * advice uses, the method's locals as {@code TOP}. The class reader must expand frames ({@code EXPAND_FRAMES}).
 */
final class AdviceWeaver extends ClassVisitor {

    private static final String THROWABLE = "java/lang/Throwable";

    private final ClassFacts facts;
    private final Map<String, Advice> advice;
    private final Class<?> hooks;

    /** {@code advice} by method name + descriptor; {@code hooks} has the methods it names ({@link Bridge}). */
    AdviceWeaver(ClassVisitor next, ClassFacts facts, Map<String, Advice> advice, Class<?> hooks) {
        super(Opcodes.ASM9, next);
        this.facts = facts;
        this.advice = advice;
        this.hooks = hooks;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                     String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        Advice methodAdvice = advice.get(name + descriptor);
        return methodAdvice == null ? next
                : new AdvisedMethod(next, facts, facts.code.get(name + descriptor), methodAdvice, hooks);
    }

    private static final class AdvisedMethod extends MethodVisitor {
        private final String hooks;
        private final ClassFacts facts;
        private final SdkMethod method;
        private final Advice advice;
        private final Method enter;
        private final Method rewrite;
        private final Method exit;
        private final Type[] arguments;
        private final Type returned;
        /** The method's own locals end here; the entered value, then the returned or thrown one, come after. */
        private final int firstFree;
        private final Object enteredType;
        private final Label[][] returnSites;
        private final Label[] thrownSite = {new Label(), new Label(), new Label()};
        private final Label bodyStart = new Label();
        private final Label bodyHandler = new Label();
        private int returns;

        AdvisedMethod(MethodVisitor next, ClassFacts facts, ClassFacts.Code code, Advice advice, Class<?> hooks) {
            super(Opcodes.ASM9, next);
            this.hooks = Type.getInternalName(hooks);
            this.facts = facts;
            this.method = code.method();
            this.advice = advice;
            this.enter = Advice.hook(hooks, advice.enter());
            this.rewrite = advice.rewrite() == null ? null : Advice.hook(hooks, advice.rewrite());
            this.exit = advice.exit() == null ? null : Advice.hook(hooks, advice.exit());
            this.arguments = Type.getArgumentTypes(method.descriptor());
            this.returned = Type.getReturnType(method.descriptor());
            this.firstFree = code.maxLocals();
            boolean keepsEntered = exit != null || rewrite != null;
            if (keepsEntered && enter.getReturnType() == void.class) {
                throw new IllegalArgumentException(advice.enter() + " returns nothing to pass on");
            }
            this.enteredType = keepsEntered ? Type.getInternalName(enter.getReturnType()) : null;
            if (exit != null && exit.getParameterCount() == 3 && returned.getSort() != Type.OBJECT
                    && returned.getSort() != Type.ARRAY) {
                throw new IllegalArgumentException(advice.exit() + " replaces the result of " + method
                        + ", which is not an object");
            }
            this.returnSites = new Label[exit == null ? 0 : code.returns()][];
            for (int i = 0; i < returnSites.length; i++) {
                returnSites[i] = new Label[] {new Label(), new Label(), new Label()};
            }
            if (enter.getParameterCount() != advice.values().size()) {
                throw new IllegalArgumentException(advice.enter() + " takes "
                        + enter.getParameterCount() + " values, the advice gives " + advice.values().size());
            }
        }

        @Override
        public void visitCode() {
            super.visitCode();
            Label[] entry = {new Label(), new Label(), new Label()};
            // The advice's handlers come first in the exception table, so that what its calls throw before a return
            // inside the method's own try block is dropped here, not caught by the method's handler.
            super.visitTryCatchBlock(entry[0], entry[1], entry[2], THROWABLE);
            for (Label[] site : returnSites) {
                super.visitTryCatchBlock(site[0], site[1], site[2], THROWABLE);
            }
            if (exit != null) {
                super.visitTryCatchBlock(thrownSite[0], thrownSite[1], thrownSite[2], THROWABLE);
            }
            if (enteredType != null) {
                super.visitInsn(Opcodes.ACONST_NULL);
                super.visitVarInsn(Opcodes.ASTORE, firstFree);
            }
            super.visitLabel(entry[0]);
            for (int i = 0; i < advice.values().size(); i++) {
                pushValue(advice.values().get(i), enter.getParameterTypes()[i]);
            }
            call(enter);
            if (enteredType != null) {
                super.visitVarInsn(Opcodes.ASTORE, firstFree);
            } else {
                discard(enter.getReturnType());
            }
            if (rewrite != null) {
                int index = advice.rewritten();
                Type argument = reference(index);
                super.visitVarInsn(Opcodes.ALOAD, firstFree);
                super.visitVarInsn(Opcodes.ALOAD, slot(index));
                call(rewrite);
                super.visitTypeInsn(Opcodes.CHECKCAST, argument.getInternalName());
                super.visitVarInsn(Opcodes.ASTORE, slot(index));
            }
            Object[] locals = entryLocals();
            dropThrown(entry, locals);
            if (exit != null) {
                super.visitLabel(bodyStart);
            }
        }

        /** Ends an advice block: skips the handler that drops a Throwable, then both join with these locals. */
        private void dropThrown(Label[] block, Object[] locals) {
            Label joined = new Label();
            super.visitLabel(block[1]);
            super.visitJumpInsn(Opcodes.GOTO, joined);
            super.visitLabel(block[2]);
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE});
            super.visitInsn(Opcodes.POP);
            super.visitLabel(joined);
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]);
            super.visitInsn(Opcodes.NOP); // a frame of the method may follow: two frames cannot share an offset
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            if (enteredType == null) {
                super.visitFrame(type, numLocal, local, numStack, stack);
                return;
            }
            List<Object> locals = new ArrayList<>(numLocal + 2);
            int slots = 0;
            for (int i = 0; i < numLocal; i++) {
                locals.add(local[i]);
                slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
            }
            for (; slots < firstFree; slots++) {
                locals.add(Opcodes.TOP);
            }
            locals.add(enteredType);
            super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), numStack, stack);
        }

        @Override
        public void visitInsn(int opcode) {
            if (exit == null || opcode < Opcodes.IRETURN || opcode > Opcodes.RETURN) {
                super.visitInsn(opcode);
                return;
            }
            if (returns >= returnSites.length) {
                throw new IllegalStateException("more returns in " + method + " than counted");
            }
            Label[] site = returnSites[returns++];
            boolean hasValue = returned.getSort() != Type.VOID;
            if (hasValue) {
                super.visitVarInsn(returned.getOpcode(Opcodes.ISTORE), firstFree + 1);
            }
            super.visitLabel(site[0]);
            super.visitVarInsn(Opcodes.ALOAD, firstFree);
            if (exit.getParameterCount() == 3) {
                super.visitVarInsn(Opcodes.ALOAD, firstFree + 1);
                super.visitInsn(Opcodes.ACONST_NULL);
                call(exit);
                super.visitTypeInsn(Opcodes.CHECKCAST, returned.getInternalName());
                super.visitVarInsn(Opcodes.ASTORE, firstFree + 1);
            } else {
                call(exit);
                discard(exit.getReturnType());
            }
            dropThrown(site, hasValue ? adviceLocals(frameType(returned)) : adviceLocals());
            if (hasValue) {
                super.visitVarInsn(returned.getOpcode(Opcodes.ILOAD), firstFree + 1);
            }
            super.visitInsn(opcode);
        }

        /** After the method's code: the handler that calls the exit advice with what was thrown, and throws it on. */
        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (exit != null) {
                Label bodyEnd = new Label();
                super.visitLabel(bodyEnd);
                super.visitTryCatchBlock(bodyStart, bodyEnd, bodyHandler, THROWABLE); // last: the method's own first
                super.visitLabel(bodyHandler);
                Object[] locals = adviceLocals();
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE});
                super.visitVarInsn(Opcodes.ASTORE, firstFree + 1);
                super.visitLabel(thrownSite[0]);
                super.visitVarInsn(Opcodes.ALOAD, firstFree);
                if (exit.getParameterCount() == 3) {
                    super.visitInsn(Opcodes.ACONST_NULL);
                    super.visitVarInsn(Opcodes.ALOAD, firstFree + 1);
                }
                call(exit);
                discard(exit.getReturnType());
                dropThrown(thrownSite, adviceLocals(THROWABLE));
                super.visitVarInsn(Opcodes.ALOAD, firstFree + 1);
                super.visitInsn(Opcodes.ATHROW);
            }
            super.visitMaxs(maxStack, maxLocals); // recomputed: the writer has COMPUTE_MAXS
        }

        /** Frame locals at the method's start: {@code this}, the arguments, unset slots, the entered value. */
        private Object[] entryLocals() {
            List<Object> locals = new ArrayList<>();
            int slots = 0;
            if (!method.isStatic()) {
                locals.add(facts.internalName);
                slots++;
            }
            for (Type argument : arguments) {
                locals.add(frameType(argument));
                slots += argument.getSize();
            }
            for (; slots < firstFree; slots++) {
                locals.add(Opcodes.TOP);
            }
            if (enteredType != null) {
                locals.add(enteredType);
            }
            return locals.toArray();
        }

        /** Frame locals anywhere in the method: only the advice's own are known (and all the advice code reads). */
        private Object[] adviceLocals(Object... more) {
            List<Object> locals = new ArrayList<>();
            for (int slot = 0; slot < firstFree; slot++) {
                locals.add(Opcodes.TOP);
            }
            locals.add(enteredType);
            locals.addAll(List.of(more));
            return locals.toArray();
        }

        private void pushValue(Advice.Value value, Class<?> parameter) {
            Type pushed;
            switch (value.kind()) {
                case THIS:
                    requireInstance("this");
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    pushed = Type.getObjectType(facts.internalName);
                    break;
                case ARGUMENT:
                    pushed = reference(value.index());
                    super.visitVarInsn(Opcodes.ALOAD, slot(value.index()));
                    break;
                case FIELD:
                    requireInstance("field " + value.name());
                    String descriptor = facts.instanceFields.get(value.name());
                    if (descriptor == null) {
                        throw new IllegalArgumentException(facts.binaryName + " has no field " + value.name());
                    }
                    pushed = Type.getType(descriptor);
                    if (pushed.getSort() != Type.OBJECT && pushed.getSort() != Type.ARRAY) {
                        throw new IllegalArgumentException("field " + value.name() + " is not an object");
                    }
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(Opcodes.GETFIELD, facts.internalName, value.name(), descriptor);
                    break;
                default:
                    super.visitLdcInsn(method.name());
                    pushed = Type.getType(String.class);
            }
            Type expected = Type.getType(parameter);
            if (!expected.equals(pushed) && parameter != Object.class) {
                super.visitTypeInsn(Opcodes.CHECKCAST, expected.getInternalName());
            }
        }

        private void requireInstance(String what) {
            if (method.isStatic()) {
                throw new IllegalArgumentException(method + " is static: it has no " + what);
            }
        }

        /** The declared type of argument {@code index}, which advice passes as an object. */
        private Type reference(int index) {
            if (index < 0 || index >= arguments.length) {
                throw new IllegalArgumentException(method + " has no argument " + index);
            }
            Type type = arguments[index];
            if (type.getSort() != Type.OBJECT && type.getSort() != Type.ARRAY) {
                throw new IllegalArgumentException("argument " + index + " of " + method + " is not an object");
            }
            return type;
        }

        private int slot(int index) {
            int slot = method.isStatic() ? 0 : 1;
            for (int i = 0; i < index; i++) {
                slot += arguments[i].getSize();
            }
            return slot;
        }

        private void call(Method hook) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, hooks, hook.getName(), Type.getMethodDescriptor(hook), false);
        }

        private void discard(Class<?> result) {
            if (result != void.class) {
                super.visitInsn(result == long.class || result == double.class ? Opcodes.POP2 : Opcodes.POP);
            }
        }

        private static Object frameType(Type type) {
            switch (type.getSort()) {
                case Type.BOOLEAN:
                case Type.CHAR:
                case Type.BYTE:
                case Type.SHORT:
                case Type.INT:
                    return Opcodes.INTEGER;
                case Type.FLOAT:
                    return Opcodes.FLOAT;
                case Type.LONG:
                    return Opcodes.LONG;
                case Type.DOUBLE:
                    return Opcodes.DOUBLE;
                default:
                    return type.getInternalName();
            }
        }
    }
}
