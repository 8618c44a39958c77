package io.mcpobservatory.it.app;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs a main class from a child class loader, the way a Spring Boot fat jar or a plugin host loads its application:
 * only this class is on the system class path; the application and its libraries (the MCP SDK) are not.
 *
 * <pre>
 * IsolatedLauncher &lt;class path&gt; &lt;main class&gt; [args...]
 * </pre>
 *
 * {@code <class path>} lists jars and directories separated by {@link File#pathSeparator}, each a file system path or a
 * {@code file:} URL (a {@code file:} prefix is not mistaken for a separator). The loader is a {@link URLClassLoader}
 * whose parent is the platform class loader; it becomes the thread context class loader before {@code main} runs.
 */
public final class IsolatedLauncher {

    private IsolatedLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: IsolatedLauncher <class path> <main class> [args...]");
            System.exit(2);
        }
        URL[] urls = parse(args[0]);
        URLClassLoader loader = new URLClassLoader("it-isolated", urls, ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Class<?> mainClass = Class.forName(args[1], true, loader);
        Method main = mainClass.getMethod("main", String[].class);
        if (!Modifier.isStatic(main.getModifiers())) {
            throw new IllegalArgumentException(args[1] + ".main is not static");
        }
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static URL[] parse(String classPath) throws MalformedURLException {
        String[] parts = classPath.split(Pattern.quote(File.pathSeparator), -1);
        List<URL> urls = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                continue;
            }
            // "file:/x.jar" split on ':' gives "file" and "/x.jar": glue them back together
            if (File.pathSeparatorChar == ':' && part.equals("file") && i + 1 < parts.length
                    && parts[i + 1].startsWith("/")) {
                part = part + ":" + parts[++i].trim();
            }
            if (part.startsWith("file:")) {
                URL url = new URL(part);
                // URLClassLoader treats a URL as a directory only when it ends with '/'
                if (!part.endsWith("/") && isDirectory(url)) {
                    url = new URL(part + "/");
                }
                urls.add(url);
            } else {
                urls.add(Paths.get(part).toAbsolutePath().toUri().toURL());
            }
        }
        return urls.toArray(new URL[0]);
    }

    private static boolean isDirectory(URL url) {
        try {
            return new File(url.toURI()).isDirectory();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return false;
        }
    }
}
