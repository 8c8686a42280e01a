package kh.dds.api.audit.console;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import kh.dds.api.auth.Caller;
import kh.dds.api.auth.Callers;
import kh.dds.api.contract.Scope;
import kh.dds.api.problem.Problems;
import kh.dds.schema.text.SafeText;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The web console's record of what people do (SPEC §4.9). Any person signed in at a console client records their own
 * actions (the person is the token's, whatever the body says); auditors (scope {@code audit}) read them.
 */
@Path("/v1/audit/console-activity")
@Authenticated
@Tag(name = "audit")
public class ConsoleActivityResource {

    /** One action as the console names it: {@code contract.suspend}, its target (a contract id), its outcome. */
    public record Action(@NotBlank @Size(max = 64) String action, @Size(max = 200) String target,
                         @NotBlank @Size(max = 64) String outcome) {
    }

    private final Callers callers;
    private final ConsoleActivity activity;

    public ConsoleActivityResource(Callers callers, ConsoleActivity activity) {
        this.callers = callers;
        this.activity = activity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Records an action of the signed-in person (console clients only)")
    public Uni<Response> record(@Valid @NotNull Action action) {
        Caller caller = callers.current();
        if (caller.person() == null) {
            return Uni.createFrom().failure(new kh.dds.api.problem.ApiProblem(403, "not-a-person",
                    "Only people record console activity", "the token is a machine's, not a person's at the console"));
        }
        for (String text : new String[] {action.action(), action.target(), action.outcome()}) {
            if (text != null && !SafeText.isSafe(text, 200)) {
                return Uni.createFrom().failure(Problems.invalidRequest("control characters are not allowed"));
            }
        }
        return callers.standing(caller)
                .chain(() -> activity.record(caller, action.action(), action.target(), action.outcome()))
                .map(id -> Response.status(Response.Status.CREATED).entity(java.util.Map.of("id", id)).build());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "What people did in the console, newest first, a page at a time (cursor)")
    public Uni<ConsoleActivity.Page> list(@QueryParam("person") String person, @QueryParam("cursor") String cursor,
                                          @QueryParam("limit") @DefaultValue("50") int limit) {
        Long before;
        try {
            before = cursor == null || cursor.isBlank() ? null : Long.valueOf(cursor);
        } catch (NumberFormatException e) {
            throw Problems.invalidRequest("cursor: not one this API gave");
        }
        if (person != null && !SafeText.isSafe(person, 200)) {
            throw Problems.invalidRequest("person: at most 200 characters, no control characters");
        }
        int size = Math.max(1, Math.min(limit, ConsoleActivity.MAX_PAGE));
        String who = person == null || person.isBlank() ? null : person.strip();
        return callers.require(Scope.AUDIT.value()).chain(() -> activity.list(who, before, size));
    }
}
