package kh.dds.api.notification;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;
import kh.dds.schema.event.LifeEvent;

/** Reads the replica's life events ({@code registry.person-notifications}). */
public class LifeEventDeserializer extends ObjectMapperDeserializer<LifeEvent> {

    public LifeEventDeserializer() {
        super(LifeEvent.class);
    }
}
