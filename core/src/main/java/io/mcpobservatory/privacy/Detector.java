package io.mcpobservatory.privacy;

/**
 * Finds values of one or a few kinds in a text and claims their regions. Every detector is a hand-written scanner that
 * looks at each character a bounded number of times (no backtracking), so its work is linear in the text's length.
 */
interface Detector {

    void scan(String text, Matches matches);
}
