package kh.dds.api.audit.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import kh.dds.api.audit.ledger.AuditQueries;
import kh.dds.api.audit.ledger.LedgerCheckpoints;
import kh.dds.api.audit.ledger.LedgerIntegrity;
import kh.dds.api.audit.ledger.LedgerKeys;
import kh.dds.api.audit.ledger.LedgerNode;
import kh.dds.api.audit.ledger.LedgerRetention;
import kh.dds.api.auth.Callers;
import kh.dds.api.contract.Scope;
import kh.dds.api.problem.Problems;
import kh.dds.schema.csv.CsvCell;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.ledger.Checkpoint;
import kh.dds.schema.ledger.LedgerExport;
import kh.dds.schema.ledger.LedgerVerifier;
import kh.dds.schema.time.PhnomPenh;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The auditors' API (SPEC §4.6), scope {@code audit}: the ledger's records, its integrity, its checkpoints. */
@Path("/v1/audit")
@Authenticated
@Tag(name = "audit")
@SecurityRequirement(name = "bearer", scopes = "audit")
public class AuditResource {

    private static final String AUDIT = Scope.AUDIT.value();
    private static final String NDJSON = "application/x-ndjson";

    private final Callers callers;
    private final AuditQueries queries;
    private final LedgerIntegrity integrity;
    private final LedgerCheckpoints checkpoints;
    private final LedgerKeys keys;
    private final LedgerRetention retention;
    private final LedgerNode node;

    public AuditResource(Callers callers, AuditQueries queries, LedgerIntegrity integrity,
                         LedgerCheckpoints checkpoints, LedgerKeys keys, LedgerRetention retention, LedgerNode node) {
        this.retention = retention;
        this.node = node;
        this.callers = callers;
        this.queries = queries;
        this.integrity = integrity;
        this.checkpoints = checkpoints;
        this.keys = keys;
    }

    @GET
    @Path("/records")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Lookup records by subject, contract, client, operator, purpose and time, newest first, "
            + "a page at a time (cursor)")
    public Uni<AuditQueries.Page<AuditQueries.AuditedRecord>> records(
            @QueryParam("subject") String subject, @QueryParam("contract") String contract,
            @QueryParam("client") String client, @QueryParam("operator") String operator,
            @QueryParam("purpose") String purpose, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("100") int limit) {
        AuditQueries.Filter filter = filter(subject, contract, client, operator, purpose, from, to);
        int size = Math.max(1, Math.min(limit, AuditQueries.MAX_PAGE));
        return callers.require(AUDIT).chain(() -> queries.records(filter, cursor, size));
    }

    @GET
    @Path("/records.csv")
    @Produces("text/csv")
    @Operation(summary = "The same records as CSV, streamed whole")
    public Multi<String> recordsCsv(
            @QueryParam("subject") String subject, @QueryParam("contract") String contract,
            @QueryParam("client") String client, @QueryParam("operator") String operator,
            @QueryParam("purpose") String purpose, @QueryParam("from") String from, @QueryParam("to") String to) {
        AuditQueries.Filter filter = filter(subject, contract, client, operator, purpose, from, to);
        return callers.require(AUDIT).onItem().transformToMulti(ignored -> Multi.createBy().concatenating().streams(
                Multi.createFrom().item("occurredAt,lookupId,contractId,organisation,clientId,operatorId,purpose,"
                        + "product,subjectKidc,outcome,decision,fieldsDisclosed,httpStatus,billable,latencyMicros,"
                        + "detail,lane,seq,hash\n"),
                queries.all(filter).map(AuditResource::csv)));
    }

    @GET
    @Path("/subjects/{kidc}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A person's own access log: which organisation looked, when, why and what it learnt; "
            + "a confidential contract's lookups stay out until its date")
    public Uni<AuditQueries.Page<AuditQueries.AccessLogEntry>> subject(@PathParam("kidc") String kidc,
                                                                        @QueryParam("cursor") String cursor,
                                                                        @QueryParam("limit") @DefaultValue("100") int limit) {
        String problem = Kidc.problemWith(kidc);
        if (problem != null) {
            throw Problems.invalidKidc("kidc: " + problem);
        }
        int size = Math.max(1, Math.min(limit, AuditQueries.MAX_PAGE));
        return callers.require(AUDIT).chain(() -> queries.accessLog(kidc, cursor, size));
    }

    @GET
    @Path("/integrity")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verifies the hash chain and the signed checkpoints over a time range (to the lanes' heads "
            + "when 'to' is absent) and names the first broken record")
    public Uni<LedgerVerifier.Report> integrity(@QueryParam("from") String from, @QueryParam("to") String to) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        return callers.require(AUDIT).chain(() -> integrity.verify(start, end));
    }

    @GET
    @Path("/checkpoints")
    @Produces(NDJSON)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "The signed checkpoints, one JSON object a line, for an outside party to keep")
    public Multi<Checkpoint> checkpoints(@QueryParam("from") String from, @QueryParam("to") String to) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        return callers.require(AUDIT).chain(() -> checkpoints.list(start, end))
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list));
    }

    @POST
    @Path("/checkpoints")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Checkpoints every lane that moved since its last checkpoint, now (before an export)")
    public Uni<List<Checkpoint>> checkpointNow() {
        return callers.require(AUDIT).chain(() -> node.requireWriter("Signing checkpoints"))
                .chain(checkpoints::checkpointMoved);
    }

    @GET
    @Path("/public-key")
    @Produces("application/x-pem-file")
    @Operation(summary = "The Ed25519 public key checkpoints are signed with (X.509 PEM)")
    public Uni<String> publicKey() {
        return callers.require(AUDIT).map(ignored -> keys.publicPem());
    }

    /** A published checkpoint key. */
    public record PublishedKey(String keyId, boolean current, String pem) {
    }

    @GET
    @Path("/public-keys")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every published checkpoint key by id: the current one, and those retired by rotations "
            + "(which still verify the checkpoints they signed)")
    public Uni<List<PublishedKey>> publicKeys() {
        return callers.require(AUDIT).map(ignored -> keys.publishedPems().entrySet().stream()
                .map(key -> new PublishedKey(key.getKey(), key.getKey().equals(keys.keyId()), key.getValue()))
                .toList());
    }

    @GET
    @Path("/removals")
    @Produces(NDJSON)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every removal of expired entries (retention), chained in lane 9000: keep them with the "
            + "checkpoints; the offline verifier reads them with --removals")
    public Multi<ObjectNode> removals() {
        return callers.require(AUDIT).onItem().transformToMulti(ignored -> retention.list()
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list)).map(LedgerExport::node));
    }

    @GET
    @Path("/export")
    @Produces(NDJSON)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "The ledger's entries of a time range with their hashes, streamed, for the offline verifier")
    public Multi<ObjectNode> export(@QueryParam("from") String from, @QueryParam("to") String to) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        return callers.require(AUDIT).onItem().transformToMulti(ignored -> queries.export(start, end));
    }

    private static AuditQueries.Filter filter(String subject, String contract, String client, String operator,
                                              String purpose, String from, String to) {
        UUID contractId = null;
        if (contract != null) {
            try {
                contractId = UUID.fromString(contract);
            } catch (IllegalArgumentException e) {
                throw Problems.invalidRequest("contract: not a contract id");
            }
        }
        return new AuditQueries.Filter(subject, contractId, client, operator, purpose, instant("from", from),
                instant("to", to));
    }

    /** An ISO-8601 instant, or a date (its first moment in Asia/Phnom_Penh). */
    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(PhnomPenh.ZONE).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeException e) {
            throw Problems.invalidRequest(name + ": an ISO-8601 date or instant");
        }
    }

    /** One record a line; every text a caller or an administrator chose goes through {@link CsvCell}. */
    private static String csv(AuditQueries.AuditedRecord r) {
        return String.join(",", List.of(r.occurredAt().toString(), r.lookupId(), r.contractId(),
                CsvCell.of(r.organisation()), CsvCell.of(r.clientId()), CsvCell.of(r.operatorId()),
                CsvCell.of(r.purpose()), r.product(), CsvCell.of(r.subjectKidc()), r.outcome(),
                CsvCell.of(r.decision()), CsvCell.of(String.join(" ", r.fieldsDisclosed())),
                Integer.toString(r.httpStatus()), Boolean.toString(r.billable()), Long.toString(r.latencyMicros()),
                r.detail() == null ? "" : CsvCell.of(r.detail()), Integer.toString(r.lane()), Long.toString(r.seq()),
                r.hash())) + "\n";
    }
}
