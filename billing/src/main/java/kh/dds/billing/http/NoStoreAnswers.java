package kh.dds.billing.http;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code Cache-Control: no-store} and {@code Pragma: no-cache} on every answer under {@code /v1/}: a contract's usage,
 * its invoices and the reconciliation are a relying party's business data, never to be kept by a browser, a proxy or
 * a gateway's cache. Every answer, problems included, so that a new endpoint is covered without anyone remembering to.
 *
 * <p>A Vert.x route ahead of every other sets the headers just before the answer's headers are written, so no resource
 * can leave them out or weaken them. (The API has the same rule for its own paths.)
 */
@ApplicationScoped
public class NoStoreAnswers {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String path = context.normalizedPath();
            if (path.startsWith("/v1/") || path.equals("/v1")) {
                context.addHeadersEndHandler(ignored -> context.response().headers()
                        .set("Cache-Control", "no-store")
                        .set("Pragma", "no-cache"));
            }
            context.next();
        });
    }
}
