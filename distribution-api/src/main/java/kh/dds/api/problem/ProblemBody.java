package kh.dds.api.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The RFC 9457 problem document. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemBody(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
