package kh.dds.api.concurrent;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** Keeping a request's work on its own Vert.x context when a result arrives from elsewhere. */
public final class Contexts {

    private Contexts() {
    }

    /**
     * {@code uni}, delivering its result on the Vert.x context current at this call (if any): a shared load that
     * completed on another request's context, or a Kafka callback on the producer's thread, continues here on the
     * caller's own.
     */
    public static <T> Uni<T> resumeHere(Uni<T> uni) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return uni;
        }
        return uni.emitOn(command -> {
            if (Vertx.currentContext() == context) {
                command.run();
            } else {
                context.runOnContext(ignored -> command.run());
            }
        });
    }
}
