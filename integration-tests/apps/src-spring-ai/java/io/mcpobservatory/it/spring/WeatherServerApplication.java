package io.mcpobservatory.it.spring;

import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An MCP server written the way Spring AI's documentation shows: a Boot application whose tools are {@code @Tool}
 * methods of a bean, published through a {@link ToolCallbackProvider} bean; the MCP server starter's
 * auto-configuration does the rest. The transport is chosen with Spring AI's own properties on the command line
 * ({@code --spring.ai.mcp.server.protocol=SSE|STREAMABLE|STATELESS}, {@code --spring.ai.mcp.server.stdio=true}).
 * Packaged as a Boot fat jar and started with {@code java -javaagent:... -jar}, so the SDK is loaded by Boot's
 * nested-jar class loader, not the application class loader.
 */
@SpringBootApplication
public class WeatherServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(WeatherServerApplication.class, args);
    }

    @Bean
    ToolCallbackProvider toolCallbacks(WeatherTools tools) {
        return MethodToolCallbackProvider.builder().toolObjects(tools).build();
    }
}
