package io.mcpobservatory.bootstrap;

/**
 * The documented rule for images in a model's context: {@code ceil(width * height / 750)} tokens, at most
 * {@link #MAX_TOKENS} (Anthropic's published estimate; larger images are scaled down by the model's API to about 1.15
 * megapixels, which is where the cap comes from). The size is read from the PNG, GIF, JPEG or WebP header inside the
 * base64 data, decoding only the few bytes needed (random access into base64: 4 characters hold 3 bytes), so an image
 * of any size costs the request thread a few dozen byte reads. An unreadable image counts {@link #MAX_TOKENS}.
 */
public final class ImageTokens {

    public static final int MAX_TOKENS = 1_600;
    /** JPEG segments walked at most before giving up on finding the frame header. */
    private static final int MAX_JPEG_SEGMENTS = 64;

    private ImageTokens() {
    }

    /** Tokens of a base64-encoded image, or -1 when its size cannot be read (then count {@link #MAX_TOKENS}). */
    public static int ofBase64(String base64) {
        if (base64 == null) {
            return -1;
        }
        try {
            long[] size = size(new Base64Bytes(base64));
            if (size == null || size[0] <= 0 || size[1] <= 0) {
                return -1;
            }
            long tokens = (size[0] * size[1] + 749) / 750;
            return (int) Math.min(MAX_TOKENS, tokens);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** {width, height}, or null. */
    static long[] size(Base64Bytes b) {
        if (b.at(0) == 0x89 && b.at(1) == 'P' && b.at(2) == 'N' && b.at(3) == 'G') {
            return new long[] {b.int32(16), b.int32(20)};
        }
        if (b.at(0) == 'G' && b.at(1) == 'I' && b.at(2) == 'F') {
            return new long[] {b.at(6) | b.at(7) << 8, b.at(8) | b.at(9) << 8};
        }
        if (b.at(0) == 0xFF && b.at(1) == 0xD8) {
            return jpeg(b);
        }
        if (b.at(0) == 'R' && b.at(8) == 'W' && b.at(9) == 'E' && b.at(10) == 'B' && b.at(11) == 'P') {
            return webp(b);
        }
        return null;
    }

    /** Walks the JPEG segments to the first start-of-frame marker (SOF0..SOF15 but DHT, JPG and DAC). */
    private static long[] jpeg(Base64Bytes b) {
        long at = 2;
        for (int segment = 0; segment < MAX_JPEG_SEGMENTS; segment++) {
            if (b.at(at) != 0xFF) {
                return null;
            }
            int marker = b.at(at + 1);
            if (marker == 0xFF) { // fill byte
                at++;
                continue;
            }
            boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame) {
                return new long[] {b.int16(at + 7), b.int16(at + 5)};
            }
            at += 2 + b.int16(at + 2);
        }
        return null;
    }

    private static long[] webp(Base64Bytes b) {
        int c0 = b.at(12);
        int c1 = b.at(13);
        int c2 = b.at(14);
        int c3 = b.at(15);
        if (c0 != 'V' || c1 != 'P' || c2 != '8') {
            return null;
        }
        if (c3 == 'X') { // extended: 24-bit canvas width-1 and height-1
            return new long[] {1 + (b.at(24) | b.at(25) << 8 | b.at(26) << 16),
                    1 + (b.at(27) | b.at(28) << 8 | b.at(29) << 16)};
        }
        if (c3 == 'L') { // lossless: 14-bit width-1 and height-1 after the signature byte
            long bits = b.at(21) | b.at(22) << 8 | b.at(23) << 16 | (long) b.at(24) << 24;
            return new long[] {1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)};
        }
        if (c3 == ' ') { // lossy: 14-bit width and height after the frame tag and start code
            return new long[] {(b.at(26) | b.at(27) << 8) & 0x3FFF, (b.at(28) | b.at(29) << 8) & 0x3FFF};
        }
        return null;
    }

    /** Random access to the bytes of base64 text (standard alphabet, no line breaks), -1 past the end. */
    static final class Base64Bytes {
        private final String text;

        Base64Bytes(String text) {
            this.text = text;
        }

        int at(long index) {
            long group = index / 3;
            int start = (int) Math.min(Integer.MAX_VALUE, group * 4);
            if (index < 0 || start + 4 > text.length()) {
                return -1;
            }
            int bits = 0;
            for (int i = 0; i < 4; i++) {
                int value = decode(text.charAt(start + i));
                if (value < 0) {
                    return -1;
                }
                bits = bits << 6 | value;
            }
            return bits >> (8 * (2 - (int) (index % 3))) & 0xFF;
        }

        int int16(long index) {
            return at(index) << 8 | at(index + 1);
        }

        long int32(long index) {
            return (long) at(index) << 24 | at(index + 1) << 16 | at(index + 2) << 8 | at(index + 3);
        }

        private static int decode(char c) {
            if (c >= 'A' && c <= 'Z') {
                return c - 'A';
            }
            if (c >= 'a' && c <= 'z') {
                return c - 'a' + 26;
            }
            if (c >= '0' && c <= '9') {
                return c - '0' + 52;
            }
            if (c == '+' || c == '-') {
                return 62;
            }
            if (c == '/' || c == '_') {
                return 63;
            }
            if (c == '=') {
                return 0; // padding decodes as zero bits; the bytes it stands for are past the data anyway
            }
            return -1;
        }
    }
}
