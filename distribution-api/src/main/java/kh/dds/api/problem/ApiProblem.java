package kh.dds.api.problem;

import java.util.Map;

/**
 * An error the API answers with an RFC 9457 {@code application/problem+json} body. Its {@link #type()} is stable: an
 * integrator may branch on it. The detail speaks of the request, never of a registry value or of the code that
 * failed. No stack trace is filled in: a problem is an answer, not a crash.
 */
public class ApiProblem extends RuntimeException {

    /** Every problem type URI starts with this; the last path segment is the stable name (e.g. invalid-kidc). */
    public static final String TYPE_BASE = "https://dds.gov.kh/problems/";

    private final int status;
    private final String name;
    private final String title;
    private final Map<String, String> headers;

    public ApiProblem(int status, String name, String title, String detail) {
        this(status, name, title, detail, Map.of());
    }

    public ApiProblem(int status, String name, String title, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.name = name;
        this.title = title;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    /** The stable short name of the type, e.g. {@code invalid-kidc}. */
    public String name() {
        return name;
    }

    public String type() {
        return TYPE_BASE + name;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** Headers the answer carries besides the body, e.g. {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }

    public ProblemBody body(String instance) {
        return new ProblemBody(type(), title, status, detail(), instance);
    }
}
