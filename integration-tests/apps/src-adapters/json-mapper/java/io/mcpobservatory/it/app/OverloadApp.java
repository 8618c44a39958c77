package io.mcpobservatory.it.app;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives a real stateless MCP server as fast as the CPU allows, with no network in between: the server's request
 * handler (what the servlet would call) is invoked directly from two threads, so spans are produced far faster than any
 * exporter can write them. Prints {@code HANDLED <n>} when done.
 *
 * <pre>OverloadApp &lt;seconds&gt;</pre>
 */
public final class OverloadApp {

    private OverloadApp() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = Long.parseLong(args[0]);
        HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
                .jsonMapper(Json.mapper())
                .messageEndpoint("/mcp")
                .build();
        McpStatelessSyncServer server = McpServer.sync(transport)
                .serverInfo("overload", "1.0.0")
                .build();
        McpStatelessServerHandler handler = handlerOf(transport);
        AtomicLong handled = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                long id = 0;
                while (System.nanoTime() < deadline) {
                    McpSchema.JSONRPCRequest ping = new McpSchema.JSONRPCRequest("2.0", "ping", thread + "-" + id++,
                            null);
                    handler.handleRequest(McpTransportContext.EMPTY, ping).block();
                    handled.incrementAndGet();
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        server.close();
        System.out.println("HANDLED " + handled.get());
    }

    /** The handler the SDK gave the transport (a private field: a servlet container would be the caller). */
    private static McpStatelessServerHandler handlerOf(Object transport) throws ReflectiveOperationException {
        for (Field field : transport.getClass().getDeclaredFields()) {
            if (McpStatelessServerHandler.class.isAssignableFrom(field.getType())) {
                field.setAccessible(true);
                return (McpStatelessServerHandler) field.get(transport);
            }
        }
        throw new NoSuchFieldException("no McpStatelessServerHandler field in " + transport.getClass());
    }
}
