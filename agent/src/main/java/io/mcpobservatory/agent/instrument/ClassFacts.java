package io.mcpobservatory.agent.instrument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What one reading of a class file tells before any change: its name and supertypes (to match points), its fields
 * (advice may pass one), and per method its local variable slots and number of return instructions (advice adds its
 * locals after the method's own, and an exit call before each return).
 */
final class ClassFacts extends ClassVisitor {

    /** Per method, keyed by name + descriptor. */
    record Code(SdkMethod method, int maxLocals, int returns) {
    }

    String internalName;
    String binaryName;
    int access;
    int version;
    String superName;
    String[] interfaces = new String[0];
    final Map<String, String> instanceFields = new HashMap<>();
    final List<SdkMethod> methods = new ArrayList<>();
    final Map<String, Code> code = new HashMap<>();

    private final ClassReader reader;
    private boolean membersRead;

    /** What the class file's header says: name, access, supertypes ({@link #readMembers} for the rest). */
    ClassFacts(ClassReader reader) {
        super(Opcodes.ASM9);
        this.reader = reader;
        visit(reader.readInt(4), reader.getAccess(), reader.getClassName(), null, reader.getSuperName(),
                reader.getInterfaces());
    }

    /** The whole class read. */
    static ClassFacts read(ClassReader reader) {
        return new ClassFacts(reader).readMembers();
    }

    /** Reads fields and methods too: only for classes a point applies to (most candidates are decided by the header). */
    ClassFacts readMembers() {
        if (!membersRead) {
            membersRead = true;
            reader.accept(this, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
        return this;
    }

    boolean isInterface() {
        return (access & Opcodes.ACC_INTERFACE) != 0;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        this.version = version;
        this.access = access;
        this.internalName = name;
        this.binaryName = name.replace('/', '.');
        this.superName = superName;
        this.interfaces = interfaces == null ? new String[0] : interfaces;
    }

    @Override
    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
        if ((access & Opcodes.ACC_STATIC) == 0) {
            instanceFields.put(name, descriptor);
        }
        return null;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                     String[] exceptions) {
        SdkMethod method = new SdkMethod(binaryName, access, name, descriptor);
        methods.add(method);
        return new MethodVisitor(Opcodes.ASM9) {
            private int returns;

            @Override
            public void visitInsn(int opcode) {
                if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                    returns++;
                }
            }

            @Override
            public void visitMaxs(int maxStack, int maxLocals) {
                code.put(name + descriptor, new Code(method, maxLocals, returns));
            }
        };
    }
}
