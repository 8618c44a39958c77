package io.mcpobservatory.it.app;

/** Payloads the test server returns that a test also needs to compute itself; JDK only, so the suite can load it. */
public final class TestPayloads {

    private TestPayloads() {
    }

    /**
     * A deterministic text of the given length that mixes what tool results carry: English prose, JSON, numbers and some
     * CJK. Public so that a test can count its tokens itself.
     */
    public static String bigText(int chars) {
        String[] pieces = {
            "The forecast for Paris calls for light rain in the morning, clearing by noon. ",
            "{\"city\":\"Lyon\",\"temperature_c\":18.5,\"humidity\":0.62,\"wind\":{\"kph\":14,\"dir\":\"NW\"}} ",
            "東京の天気は晴れ、最高気温は二十三度です。 ",
            "id=48213 status=ok items=[3, 14, 159, 2653, 58979] ",
        };
        StringBuilder out = new StringBuilder(chars + 128);
        long state = 42;
        while (out.length() < chars) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            out.append(pieces[(int) ((state >>> 33) % pieces.length)]);
        }
        return out.substring(0, chars);
    }
}
