package io.mcpobservatory.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer to a query: named columns and rows of plain values (String, Long, Double, Boolean, Instant, or null), in
 * the order the query gave them. Every output (MCP text and structured content, JSON, CSV, Prometheus, Influx, the
 * report) is made from it.
 */
public final class Table {

    public final List<String> columns;
    public final List<Object[]> rows;

    public Table(List<String> columns, List<Object[]> rows) {
        this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
        this.rows = rows;
    }

    public int size() {
        return rows.size();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public int column(String name) {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + columns);
        }
        return i;
    }

    public Object get(int row, String column) {
        return rows.get(row)[column(column)];
    }

    public double number(int row, String column) {
        Object v = get(row, column);
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    public String text(int row, String column) {
        Object v = get(row, column);
        return v == null ? null : v.toString();
    }

    /** Rows as JSON-ready maps (instants as ISO-8601 text; NaN and infinities as null). */
    public List<Map<String, Object>> toMaps() {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                map.put(columns.get(i), jsonValue(row[i]));
            }
            out.add(map);
        }
        return out;
    }

    static Object jsonValue(Object v) {
        if (v instanceof Instant) {
            return v.toString();
        }
        if (v instanceof Double && (((Double) v).isNaN() || ((Double) v).isInfinite())) {
            return null;
        }
        return v;
    }

    /** A fixed-width text table, numbers right-aligned, for people and models alike. */
    public String toText() {
        if (rows.isEmpty()) {
            return "(no rows)";
        }
        int n = columns.size();
        String[][] cells = new String[rows.size()][n];
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = columns.get(c).length();
            numeric[c] = true;
        }
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < n; c++) {
                Object v = rows.get(r)[c];
                String s = cell(v);
                cells[r][c] = s;
                width[c] = Math.max(width[c], s.length());
                if (v != null && !(v instanceof Number)) {
                    numeric[c] = false;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, columns.toArray(new String[0]), width, numeric);
        for (String[] row : cells) {
            appendRow(out, row, width, numeric);
        }
        return out.toString();
    }

    private static void appendRow(StringBuilder out, String[] cells, int[] width, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String s = cells[c];
            int pad = width[c] - s.length();
            if (numeric[c]) {
                line.append(" ".repeat(pad)).append(s);
            } else {
                line.append(s).append(" ".repeat(c == cells.length - 1 ? 0 : pad));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /** One value as the text table shows it: doubles with a sensible number of digits, newlines flattened. */
    public static String cell(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double) {
            double d = (Double) v;
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return String.format(Locale.ROOT, "%.1f", d);
            }
            if (Math.abs(d) < 0.01) {
                return String.format(Locale.ROOT, "%.6f", d);
            }
            return String.format(Locale.ROOT, "%.2f", d);
        }
        String s = v.toString();
        s = s.replace('\n', ' ').replace('\r', ' ');
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
