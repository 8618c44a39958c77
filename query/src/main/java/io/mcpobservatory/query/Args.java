package io.mcpobservatory.query;

import java.util.Map;

/** A tool call's arguments, read with clear errors for wrong types (the SDK checks the schema first where it can). */
final class Args {

    private final Map<String, Object> map;

    Args(Map<String, Object> map) {
        this.map = map == null ? Map.of() : map;
    }

    String string(String name, String dflt) {
        Object v = map.get(name);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof String)) {
            throw new QueryException(name + " must be a string, not " + v);
        }
        String s = ((String) v).trim();
        return s.isEmpty() ? dflt : s;
    }

    Integer integer(String name) {
        Object v = map.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw new QueryException(name + " must be a whole number, not " + v);
            }
            return (int) d;
        }
        if (v instanceof String && ((String) v).trim().matches("-?\\d{1,9}")) {
            return Integer.parseInt(((String) v).trim());
        }
        throw new QueryException(name + " must be a whole number, not " + v);
    }

    Double decimal(String name) {
        Object v = map.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new QueryException(name + " must be a number, not " + v);
        }
    }

    Filter filter() {
        return new Filter(string("service", null), string("tool", null), string("method", null),
                string("client", null), string("kind", null));
    }
}
