package kh.dds.api.statistics.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import kh.dds.api.call.Answer;
import kh.dds.api.call.CallContext;
import kh.dds.api.call.CallRequest;
import kh.dds.api.call.PersonalDataCalls;
import kh.dds.api.contract.Scope;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.ProblemBody;
import kh.dds.api.statistics.StatisticsQuery;
import kh.dds.api.statistics.service.PopulationStatistics;
import kh.dds.api.statistics.service.PublishedTable;
import kh.dds.schema.lookup.Product;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/statistics/population} (SPEC §4.4), scope {@code reports}, product {@code STATISTICS}: counts of the
 * active persons on a day, grouped and filtered by dimensions, with disclosure control in the answer. A query names no
 * person: it goes through the same pipeline as every call (contract, scope, product, input rules, rate and quota,
 * audit before answer, billing), with its canonical parameters as its lookup record's detail and no subject.
 */
@Path("/v1/statistics")
@Authenticated
@Tag(name = "population statistics")
@SecurityRequirement(name = "bearer", scopes = "reports")
public class StatisticsResource {

    private static final String CSV = "text/csv";

    private final PersonalDataCalls calls;
    private final PopulationStatistics statistics;
    private final ObjectMapper mapper;

    public StatisticsResource(PersonalDataCalls calls, PopulationStatistics statistics, ObjectMapper mapper) {
        this.calls = calls;
        this.statistics = statistics;
        this.mapper = mapper;
    }

    @GET
    @Path("/population")
    @Produces({MediaType.APPLICATION_JSON, CSV, ProblemBody.MEDIA_TYPE})
    @Operation(summary = "Counts of active persons on a day by province, district, sex, age band, marital status "
            + "and citizenship, perturbed by the cell key method, small counts suppressed with their complements")
    @Parameter(name = "groupBy", in = ParameterIn.QUERY, description = "comma-separated dimensions: province, "
            + "district, sex, ageBand, maritalStatus, citizenship; the first gives the table's rows")
    @Parameter(name = "asOf", in = ParameterIn.QUERY, description = "YYYY-MM-DD, default today (Phnom Penh); any "
            + "day since the replica's history began")
    @Parameter(name = "province", in = ParameterIn.QUERY, description = "a filter; every dimension may be one")
    @Parameter(name = "purpose", in = ParameterIn.QUERY, description = "optional; when given, one of the contract's")
    @APIResponse(responseCode = "200", description = "cells, margins, total, dataAsOf, suppression flags and the "
            + "method's parameters (JSON), or one row a value (CSV by Accept: text/csv)")
    @APIResponse(responseCode = "400", description = "invalid-request, unknown-dimension, outside-history, "
            + "table-too-large",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "403", description = "scope-missing, product-not-allowed, contract-suspended",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "429", description = "rate-limited, quota-exceeded",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    @APIResponse(responseCode = "503", description = "audit-unavailable, store-unavailable",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    public Uni<Response> population(@Context UriInfo uri, @HeaderParam("Accept") String accept,
                                    @HeaderParam("X-Operator-Id") String operatorId,
                                    @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Map<String, List<String>> parameters = uri.getQueryParameters();
        boolean csv = accept != null && accept.contains(CSV) && !accept.contains(MediaType.APPLICATION_JSON);
        StatisticsQuery query = null;
        ApiProblem malformed = null;
        String detail;
        try {
            query = StatisticsQuery.parse(parameters);
            detail = query.canonical();
        } catch (ApiProblem problem) {
            malformed = problem;
            detail = StatisticsQuery.canonicalOf(parameters);
        }
        List<String> purposes = parameters.get("purpose");
        String purpose = purposes == null || purposes.isEmpty() ? null : purposes.get(0);
        if (purposes != null && purposes.size() > 1 && malformed == null) {
            malformed = kh.dds.api.problem.Problems.invalidRequest("purpose: given more than once");
        }
        String path = "/v1/statistics/population";
        CallRequest call = new CallRequest(Product.STATISTICS, Scope.REPORTS, null, purpose, operatorId,
                idempotencyKey, "GET " + path + "?" + detail + " " + (csv ? CSV : "json") + " " + operatorId,
                malformed, path, detail);
        StatisticsQuery admitted = query;
        return calls.handle(call, context -> answer(context, admitted, csv));
    }

    private Uni<Answer> answer(CallContext call, StatisticsQuery query, boolean csv) {
        return statistics.answer(query, call.contract().minCellSize()).map(table -> body(table, csv));
    }

    private Answer body(PublishedTable table, boolean csv) {
        try {
            Answer answer = csv
                    ? new Answer(200, StatisticsFormats.csv(table), CSV + "; charset=utf-8", "TABLE", List.of())
                    : new Answer(200, StatisticsFormats.json(mapper, table), MediaType.APPLICATION_JSON, "TABLE",
                            List.of());
            return table.dataAsOf() == null ? answer
                    : answer.withHeaders(Map.of("Data-As-Of", table.dataAsOf().toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
