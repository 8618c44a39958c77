package io.mcpobservatory.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.bootstrap.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpansBeforeStartTest {

    @Test
    void keepsSpansUntilTheHandOverThenForwardsThem() {
        SpansBeforeStart early = new SpansBeforeStart(2);
        Span first = new Span();
        Span second = new Span();
        early.accept(first);
        early.accept(second);
        early.accept(new Span()); // over capacity

        List<Span> pipeline = new ArrayList<>();
        assertEquals(1, early.handOver(pipeline::add));
        assertEquals(List.of(first, second), pipeline);

        Span later = new Span();
        early.accept(later);
        assertEquals(List.of(first, second, later), pipeline);
    }

    @Test
    void theFirstSpanEndsTheWait() throws Exception {
        SpansBeforeStart early = new SpansBeforeStart(10);
        Thread ender = new Thread(() -> early.accept(new Span()));
        long start = System.nanoTime();
        ender.start();
        early.awaitFirstSpan(60_000);
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "woken by the span, not by the 60 s limit");
    }
}
