package io.mcpobservatory.query;

/**
 * A question the data layer will not answer as asked (a bad window, an unknown option, a malformed trace id) or could
 * not answer (the database failed): its message is meant for the person or model that asked, one line, no stack trace.
 */
public final class QueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public QueryException(String message) {
        super(message);
    }

    public QueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
