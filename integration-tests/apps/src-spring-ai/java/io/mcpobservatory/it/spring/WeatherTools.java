package io.mcpobservatory.it.spring;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;

/** The tools of {@link WeatherServerApplication}: a fast one, a slow one and one that throws. */
@Component
public class WeatherTools {

    @Tool(description = "Tells the weather in a city")
    public String forecast(@ToolParam(description = "the city", required = false) String city) {
        return "Light rain in " + (city == null ? "Paris" : city);
    }

    @Tool(description = "Takes 200 ms to answer")
    public String slow() throws InterruptedException {
        Thread.sleep(200);
        return "slow";
    }

    /** Spring AI turns the exception into a result with isError set, not a JSON-RPC error. */
    @Tool(name = "broken", description = "Always fails")
    public String broken() {
        throw new IllegalStateException("weather station offline");
    }
}
