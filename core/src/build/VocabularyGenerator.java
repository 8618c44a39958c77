import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Writes the vocabularies the token counter loads ({@code io.mcpobservatory.tokens.Vocabulary}), run by the core
 * module's build (exec-maven-plugin, {@code generate-resources}) as a single-file program:
 *
 * <pre>java -cp jtokkit.jar VocabularyGenerator.java OUTPUT_DIR o200k_base cl100k_base</pre>
 *
 * <p>Input: the encoding's {@code .tiktoken} file as JTokkit 1.1.0 ships it ({@code com/knuddels/jtokkit/NAME.tiktoken}
 * on the class path; OpenAI's tiktoken data, MIT licence, see core's NOTICE): one line per token, its bytes in base64, a
 * space and its rank. Output {@code OUTPUT_DIR/NAME.bpe}: the int {@code 0x4D4F4250} ("MOBP"), the token count, each
 * token's length in one unsigned byte, then all the tokens' bytes; tokens in rank order. The ranks must be 0, 1, 2, ...
 * in file order, as in both encodings, so they are implied by position. Same input, same bytes out.
 */
public final class VocabularyGenerator {

    private static final int MAGIC = 0x4D4F4250;

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: VocabularyGenerator OUTPUT_DIR ENCODING...");
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        for (int i = 1; i < args.length; i++) {
            write(args[i], dir.resolve(args[i] + ".bpe"));
        }
    }

    private static void write(String name, Path out) throws IOException {
        String resource = "/com/knuddels/jtokkit/" + name + ".tiktoken";
        ByteArrayOutputStream lengths = new ByteArrayOutputStream(1 << 18);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 21);
        int count = 0;
        try (InputStream in = VocabularyGenerator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the class path (JTokkit's jar)");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = lines.readLine()) != null; count++) {
                int space = line.indexOf(' ');
                byte[] token = Base64.getDecoder().decode(line.substring(0, space));
                int rank = Integer.parseInt(line.substring(space + 1));
                if (rank != count || token.length == 0 || token.length > 255) {
                    throw new IOException(resource + ": line " + (count + 1) + " has rank " + rank + " and "
                            + token.length + " bytes; expected rank " + count + " and 1 to 255 bytes");
                }
                lengths.write(token.length);
                bytes.write(token);
            }
        }
        try (OutputStream file = Files.newOutputStream(out);
             DataOutputStream data = new DataOutputStream(new BufferedOutputStream(file, 1 << 16))) {
            data.writeInt(MAGIC);
            data.writeInt(count);
            lengths.writeTo(data);
            bytes.writeTo(data);
        }
        System.err.printf("%s: %d tokens, %d bytes -> %s%n", name, count, bytes.size(), out);
    }
}
