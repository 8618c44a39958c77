package io.mcpobservatory.examples;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * The demo MCP server of the README: {@code weather-demo} 1.0.0, made-up weather data, served over streamable HTTP at
 * {@code http://127.0.0.1:<port>/mcp} by embedded Tomcat, on the synchronous API of the official MCP Java SDK.
 *
 * <p>Its tools cover the outcomes an observer should tell apart: a fast tool ({@code get_forecast}), a slow one
 * ({@code search_archive}), one that throws ({@code flaky_lookup}), one that answers {@code isError=true}
 * ({@code book_flight}) and one whose input schema lets the SDK reject a bad call before the handler runs
 * ({@code convert_temperature}). It also has a resource ({@code weather://stations}) and a prompt
 * ({@code daily_briefing}).
 *
 * <p>Usage: {@code java -jar mcp-demo.jar [port]} (default 8765). Stop it with SIGTERM or Ctrl-C: it shuts down through
 * shutdown hooks, so a {@code -javaagent} gets to run its own hooks too. Stdout carries only the "listening" line; logs
 * go to stderr.
 */
public final class DemoServer {

    static final String SERVER_NAME = "weather-demo";
    static final String SERVER_VERSION = "1.0.0";
    static final int DEFAULT_PORT = 8765;
    static final String ENDPOINT = "/mcp";
    static final String STATIONS_URI = "weather://stations";

    /** Kept strongly reachable: java.util.logging holds its loggers weakly, and a collected logger loses its level. */
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    private static final List<String> CONDITIONS =
            List.of("sunny", "partly cloudy", "overcast", "light rain", "showers", "thunderstorms", "fog", "light snow");
    private static final List<String> WINDS = List.of("N", "NE", "E", "SE", "S", "SW", "W", "NW");

    private static final List<String> STATIONS = List.of(
            "LFPG  Paris-Charles de Gaulle   49.01N  2.55E   119 m",
            "EGLL  London Heathrow           51.48N  0.45W    25 m",
            "EDDB  Berlin Brandenburg        52.37N 13.52E    48 m",
            "LEMD  Madrid Barajas            40.47N  3.56W   610 m",
            "KSFO  San Francisco Intl        37.62N 122.37W    4 m",
            "RJTT  Tokyo Haneda              35.55N 139.78E    6 m");

    private static final List<String> ARCHIVE = List.of(
            "1976-07-03  London   heatwave, 35.6 C at Heathrow, hosepipe ban",
            "1987-10-16  London   great storm, gusts of 185 km/h on the coast",
            "2003-08-10  Paris    heatwave, 39.5 C, nights above 25 C",
            "2010-12-20  Paris    snow closes Charles de Gaulle for two days",
            "2013-07-23  Berlin   record 24-hour rainfall, 95 mm",
            "2018-04-17  Madrid   late frost, -4 C at Barajas",
            "2020-09-09  San Francisco  wildfire smoke turns the sky orange",
            "2024-08-26  Tokyo    typhoon Shanshan, flights cancelled");

    private DemoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0].trim()) : DEFAULT_PORT;

        TOMCAT_LOG.setLevel(Level.WARNING);

        HttpServletStreamableServerTransportProvider transport =
                HttpServletStreamableServerTransportProvider.builder().mcpEndpoint(ENDPOINT).build();

        McpSyncServer mcp = McpServer.sync(transport)
                .serverInfo(SERVER_NAME, SERVER_VERSION)
                // Run handlers on the servlet thread (which waits for the response anyway). With the default,
                // a handler that throws runs on Reactor's boundedElastic, and on that error path Reactor can
                // interrupt the worker thread that then writes the JSON-RPC error: Tomcat refuses to write from an
                // interrupted thread and drops the connection (seen with SDK 2.1.0, Tomcat 11.0.10, in about
                // 1 call in 10).
                .immediateExecution(true)
                .instructions("Made-up weather data for demos: forecasts, an archive of notable events, stations.")
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(false)
                        .resources(false, false)
                        .prompts(false)
                        .build())
                .toolCall(tool("get_forecast", "Short forecast for a city (made up).",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"City name\"}},"
                                + "\"required\":[\"city\"]}"),
                        DemoServer::getForecast)
                .toolCall(tool("search_archive", "Search the archive of notable weather events (slow).",
                        "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\","
                                + "\"description\":\"Words to look for, e.g. a city or 'heatwave'\"}}}"),
                        DemoServer::searchArchive)
                .toolCall(tool("flaky_lookup", "Look a station up in the upstream registry (currently broken).",
                        "{\"type\":\"object\",\"properties\":{\"station\":{\"type\":\"string\",\"description\":\"ICAO code\"}}}"),
                        DemoServer::flakyLookup)
                .toolCall(tool("book_flight", "Book a flight to escape the weather.",
                        "{\"type\":\"object\",\"properties\":{\"from\":{\"type\":\"string\"},\"to\":{\"type\":\"string\"}}}"),
                        DemoServer::bookFlight)
                .toolCall(tool("convert_temperature", "Convert a whole number of degrees Celsius to Fahrenheit.",
                        "{\"type\":\"object\",\"properties\":{\"celsius\":{\"type\":\"integer\",\"description\":\"Degrees Celsius\"}},"
                                + "\"required\":[\"celsius\"]}"),
                        DemoServer::convertTemperature)
                .resources(new SyncResourceSpecification(
                        Resource.builder()
                                .uri(STATIONS_URI)
                                .name("stations")
                                .title("Weather stations")
                                .description("The stations this server knows, one a line.")
                                .mimeType("text/plain")
                                .build(),
                        (exchange, request) -> new ReadResourceResult(List.of(
                                new TextResourceContents(request.uri(), "text/plain", String.join("\n", STATIONS))))))
                .prompts(new SyncPromptSpecification(
                        new Prompt("daily_briefing", "Daily weather briefing",
                                "A prompt asking for a short morning weather briefing for one city.",
                                List.of(new PromptArgument("city", "City to brief on", true))),
                        (exchange, request) -> {
                            Object city = request.arguments() == null ? null : request.arguments().get("city");
                            String name = city == null ? "Paris" : city.toString();
                            return new GetPromptResult("Daily briefing for " + name, List.of(new PromptMessage(Role.USER,
                                    new TextContent("Write a three-sentence morning weather briefing for " + name
                                            + ". Use get_forecast for today's numbers and mention anything in"
                                            + " search_archive that happened on this date."))));
                        }))
                .build();

        Path baseDir = Files.createTempDirectory("weather-demo-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", baseDir.toString());
        Wrapper wrapper = Tomcat.addServlet(context, "mcp", transport);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded(ENDPOINT, "mcp");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                mcp.closeGracefully();
            } catch (RuntimeException e) {
                System.err.println("weather-demo: closing MCP sessions failed: " + e);
            }
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception e) {
                System.err.println("weather-demo: stopping Tomcat failed: " + e);
            }
            deleteRecursively(baseDir);
            stopped.countDown();
        }, "weather-demo-shutdown"));

        tomcat.start();
        if (connector.getState() != LifecycleState.STARTED) {
            System.err.println("DemoServer could not listen on 127.0.0.1:" + port + " (port in use?)");
            System.exit(1);
        }
        System.out.println("DemoServer listening on http://127.0.0.1:" + port + ENDPOINT);
        System.out.flush();
        stopped.await();
    }

    // ---------------------------------------------------------------------------------------------- tools

    private static CallToolResult getForecast(McpSyncServerExchange exchange, CallToolRequest request) {
        String city = stringArg(request, "city", "Paris");
        int seed = Math.abs(city.toLowerCase(Locale.ROOT).hashCode());
        String condition = CONDITIONS.get(seed % CONDITIONS.size());
        int high = 4 + seed % 25;
        int low = high - 4 - (seed / 7) % 6;
        int wind = 5 + (seed / 13) % 35;
        String windFrom = WINDS.get((seed / 3) % WINDS.size());
        return text(String.format(Locale.ROOT, "%s: %s, high %d C, low %d C, wind %d km/h %s", city, condition, high,
                low, wind, windFrom));
    }

    private static CallToolResult searchArchive(McpSyncServerExchange exchange, CallToolRequest request) {
        String query = stringArg(request, "query", "").toLowerCase(Locale.ROOT);
        sleep(300); // the archive lives on a slow disk far away
        List<String> words = Stream.of(query.split("\\s+")).filter(w -> !w.isBlank()).collect(Collectors.toList());
        List<String> hits = ARCHIVE.stream()
                .filter(line -> words.isEmpty() || words.stream().anyMatch(line.toLowerCase(Locale.ROOT)::contains))
                .limit(3)
                .collect(Collectors.toList());
        if (hits.isEmpty()) {
            return text("No archived events match '" + query + "'.");
        }
        return text(hits.size() + " event(s):\n" + String.join("\n", hits));
    }

    private static CallToolResult flakyLookup(McpSyncServerExchange exchange, CallToolRequest request) {
        throw new IllegalStateException("station registry unreachable: connection reset by peer");
    }

    private static CallToolResult bookFlight(McpSyncServerExchange exchange, CallToolRequest request) {
        String to = stringArg(request, "to", "somewhere sunny");
        return CallToolResult.builder()
                .addTextContent("no seats left on flights to " + to)
                .isError(true)
                .build();
    }

    private static CallToolResult convertTemperature(McpSyncServerExchange exchange, CallToolRequest request) {
        // The SDK has already checked the arguments against the input schema: celsius is present and an integer.
        long celsius = ((Number) request.arguments().get("celsius")).longValue();
        double fahrenheit = celsius * 9.0 / 5.0 + 32.0;
        return text(String.format(Locale.ROOT, "%d C = %.1f F", celsius, fahrenheit));
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static Tool tool(String name, String description, String inputSchemaJson) {
        return Tool.builder().name(name).description(description).inputSchema(JSON, inputSchemaJson).build();
    }

    private static CallToolResult text(String text) {
        return CallToolResult.builder().addTextContent(text).isError(false).build();
    }

    private static String stringArg(CallToolRequest request, String name, String fallback) {
        Map<String, Object> arguments = request.arguments();
        Object value = arguments == null ? null : arguments.get(name);
        return value == null || value.toString().isBlank() ? fallback : value.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
