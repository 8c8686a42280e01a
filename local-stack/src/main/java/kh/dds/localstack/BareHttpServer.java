package kh.dds.localstack;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;

/**
 * A benchmark baseline: a bare Vert.x HTTP server that reads each request's body and answers {@code 200} with a
 * constant JSON body of the size of a verification's answer. Nothing else: no routing, no JSON, no security, no I/O.
 * What an HTTP endpoint of the API is measured against, with the same load generator on the same machine, in the
 * same run. Vert.x's defaults (two event loops per core), as Quarkus's.
 *
 * <pre>BareHttpServer --port 18090</pre>
 */
public final class BareHttpServer {

    private static final String USAGE = "usage: BareHttpServer [--port 18090] [--host 127.0.0.1]";

    /** Shaped and sized like a verification's answer (≈ 260 bytes; a verification answers 200–260). */
    static final String ANSWER = "{\"verificationId\":\"019ada7e-35c1-7c8e-9a4e-0f3b5c2d1e6f\",\"kidcStatus\":\"ACTIVE\","
            + "\"decision\":\"MATCH\",\"claims\":{\"familyName\":\"MATCH\",\"givenName\":\"MATCH\","
            + "\"dateOfBirth\":\"MATCH\",\"sex\":\"MATCH\"},\"conditions\":{\"ageAtLeast\":true},"
            + "\"dataAsOf\":\"2026-12-01T18:47:20.123456Z\"}";

    private BareHttpServer() {
    }

    public static void main(String[] args) {
        Options.run("BareHttpServer", () -> {
            Options options = Options.parse(args, USAGE);
            int port = options.port("port", 18090);
            String host = options.optional("host", "127.0.0.1");
            Buffer answer = Buffer.buffer(ANSWER.getBytes(StandardCharsets.UTF_8));
            String length = Integer.toString(answer.length());
            Vertx vertx = Vertx.vertx();
            int loops = 2 * Runtime.getRuntime().availableProcessors();
            // one server instance per event loop, as Quarkus does: Vert.x balances the connections across them
            vertx.deployVerticle(() -> new AbstractVerticle() {
                @Override
                public void start(Promise<Void> started) {
                    vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                            .requestHandler(request -> request.body().onComplete(body -> request.response()
                                    .putHeader("Content-Type", "application/json")
                                    .putHeader("Content-Length", length)
                                    .end(answer)))
                            .listen()
                            .<Void>mapEmpty()
                            .onComplete(started);
                }
            }, new DeploymentOptions().setInstances(loops)).toCompletionStage().toCompletableFuture().get();
            System.out.println("BareHttpServer listening on " + host + ":" + port + " (" + loops + " event loops)");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().toCompletionStage()
                    .toCompletableFuture().join()));
            Thread.currentThread().join();
        });
    }
}
