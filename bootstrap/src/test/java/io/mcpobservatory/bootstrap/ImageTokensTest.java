package io.mcpobservatory.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Image sizes read from real encoded images (written by the JDK's ImageIO), and the token rule applied to them. */
class ImageTokensTest {

    private static String image(String format, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    @Test
    void pngGifAndJpegSizesGiveWidthTimesHeightOver750() throws IOException {
        assertEquals(400, ImageTokens.ofBase64(image("png", 600, 500)));   // 300000 / 750
        assertEquals(134, ImageTokens.ofBase64(image("gif", 401, 250)));   // 100250 / 750 = 133.7 -> 134
        assertEquals(1067, ImageTokens.ofBase64(image("jpeg", 1000, 800))); // 800000 / 750 = 1066.7 -> 1067
    }

    @Test
    void largeImagesAreCappedAsTheApiScalesThemDown() throws IOException {
        assertEquals(ImageTokens.MAX_TOKENS, ImageTokens.ofBase64(image("png", 3000, 2000)));
    }

    @Test
    void webpHeadersAreRead() {
        // VP8X (extended) header of a 640x480 canvas: RIFF, size, WEBP, "VP8X", chunk size 10, flags, 3 reserved,
        // then width-1 and height-1 as 24-bit little-endian numbers.
        byte[] header = new byte[30];
        put(header, 0, "RIFF");
        put(header, 8, "WEBPVP8X");
        header[16] = 10;
        header[24] = (byte) (639 & 0xFF);
        header[25] = (byte) (639 >> 8);
        header[27] = (byte) (479 & 0xFF);
        header[28] = (byte) (479 >> 8);
        assertEquals(410, ImageTokens.ofBase64(Base64.getEncoder().encodeToString(header))); // 307200 / 750 = 409.6
    }

    @Test
    void unreadableDataIsMinusOne() {
        assertEquals(-1, ImageTokens.ofBase64("not an image at all"));
        assertEquals(-1, ImageTokens.ofBase64(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6})));
        assertEquals(-1, ImageTokens.ofBase64(null));
    }

    private static void put(byte[] target, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            target[at + i] = (byte) ascii.charAt(i);
        }
    }
}
