package io.mcpobservatory.it.spring;

import org.springframework.ai.mcp.annotation.McpArg;
import org.springframework.ai.mcp.annotation.McpPrompt;
import org.springframework.ai.mcp.annotation.McpResource;
import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpToolParam;
import org.springframework.stereotype.Component;

/**
 * A tool, a resource and a prompt declared with Spring AI's MCP annotations
 * ({@code org.springframework.ai.mcp.annotation}
 * on Spring AI 2.0), next to the {@code @Tool} methods of {@link WeatherTools}; the server starter's annotation
 * scanner publishes them. Only in the apps of the lines that have these annotations (see apps/spring-ai-parent).
 */
@Component
public class AnnotatedWeather {

    @McpTool(name = "humidity", description = "Tells the humidity in a city")
    public String humidity(@McpToolParam(description = "the city", required = false) String city) {
        return "80% in " + (city == null ? "Paris" : city);
    }

    /** Its exception becomes an {@code isError} result of the annotations' callback, not a JSON-RPC error. */
    @McpTool(name = "dew_point", description = "Tells the dew point in a city (its sensor is offline)")
    public String dewPoint(@McpToolParam(description = "the city", required = false) String city) {
        throw new UnsupportedOperationException("dew point sensor offline");
    }

    @McpResource(uri = "weather://stations", name = "stations", description = "The weather stations")
    public String stations() {
        return "Paris-Montsouris, Lyon-Bron";
    }

    @McpPrompt(name = "briefing", description = "A weather briefing for someone")
    public String briefing(
            @McpArg(name = "name", description = "who the briefing is for", required = false) String name) {
        return "Tell " + (name == null ? "me" : name) + " the weather in Paris";
    }
}
