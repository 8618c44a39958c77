package io.mcpobservatory.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.rates.Rate;
import org.junit.jupiter.api.Test;

class AlertExpressionTest {

    @Test
    void goodExpressions() {
        AlertExpression service = AlertExpression.parse("error_rate > 0.05");
        assertEquals(Rate.ERROR_RATE, service.rate());
        assertNull(service.tool());
        assertEquals(Comparison.GREATER, service.comparison());
        assertEquals(0.05, service.threshold());

        AlertExpression tool = AlertExpression.parse("  p95_ms{tool=search}>=2000 ");
        assertEquals(Rate.P95_MS, tool.rate());
        assertEquals("search", tool.tool());
        assertEquals(Comparison.GREATER_OR_EQUAL, tool.comparison());
        assertEquals("p95_ms{tool=search} >= 2000", tool.toString());

        assertEquals("*", AlertExpression.parse("error_rate{ tool = * } < 1e-1").tool());
        assertEquals(0.1, AlertExpression.parse("error_rate{tool=*} < 1e-1").threshold());
        assertEquals("get forecast", AlertExpression.parse("calls_per_second{tool=\"get forecast\"} <= 0.5").tool());
        assertEquals(Comparison.LESS_OR_EQUAL, AlertExpression.parse("calls_per_second <= 0.5").comparison());
        assertEquals(Comparison.LESS, AlertExpression.parse("avg_cost_usd < 0.01").comparison());
        assertEquals(Rate.GOLDEN_FINANCIAL_FAILURE_RATE,
                AlertExpression.parse("golden_financial_failure_rate > 0").rate());
        assertEquals(Rate.SPANS_DROPPED, AlertExpression.parse("SPANS_DROPPED > 0").rate(), "names in any case");
        for (Rate rate : Rate.values()) {
            assertEquals(rate, AlertExpression.parse(rate.text + " > 1").rate());
        }
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertProblem("no_such_rate > 1", "names no rate: 'no_such_rate' is not one of calls_per_second, error_rate");
        assertProblem("error_rate > lots", "has no number to compare with: 'lots'");
        assertProblem("error_rate > NaN", "has no number");
        assertProblem("error_rate > Infinity", "has no number");
        assertProblem("error_rate = 0.5", "is not <rate>[{tool=<name>}] <op> <number>");
        assertProblem("error_rate > 0.1 and p95_ms > 3", "is not <rate>");
        assertProblem("error_rate{service=x} > 0.1", "is not <rate>");
        assertProblem("error_rate{tool=} > 0.1", "has an empty tool name");
        assertProblem("spans_dropped{tool=search} > 0", "spans_dropped is counted for the service only");
        assertProblem("", "is not <rate>");
        assertProblem(null, "is not <rate>");
    }

    private static void assertProblem(String expression, String problem) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> AlertExpression.parse(expression));
        assertTrue(thrown.getMessage().contains(problem), expression + ": " + thrown.getMessage());
    }
}
