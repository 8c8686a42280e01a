package kh.dds.api.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code Cache-Control: no-store} and {@code Pragma: no-cache} on every answer under {@code /v1/} and {@code /oauth/}:
 * tokens and client secrets, persons, verifications, lookup records, contracts and their clients must never be kept
 * by a browser, a proxy or a gateway's cache. Every answer, not a list of endpoints: a new endpoint is covered
 * without anyone remembering to, and problems (a 401, a 404) are covered too.
 *
 * <p>A Vert.x route ahead of every other sets the headers just before the answer's headers are written, so no resource
 * can leave them out or weaken them. The one exception is {@code /oauth/jwks}: the token verification keys are
 * public, and the API's verifiers may keep them.
 */
@ApplicationScoped
public class NoStoreAnswers {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            if (holdsSecretsOrPersonalData(context.normalizedPath())) {
                context.addHeadersEndHandler(ignored -> noStore(context.response().headers()));
            }
            context.next();
        });
    }

    static boolean holdsSecretsOrPersonalData(String path) {
        return path.startsWith("/v1/") || path.equals("/v1")
                || (path.startsWith("/oauth/") && !path.equals("/oauth/jwks"));
    }

    static void noStore(MultiMap headers) {
        headers.set("Cache-Control", "no-store");
        headers.set("Pragma", "no-cache");
    }
}
