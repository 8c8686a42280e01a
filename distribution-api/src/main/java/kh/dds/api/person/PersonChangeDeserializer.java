package kh.dds.api.person;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;
import kh.dds.schema.event.PersonChange;

/** Reads the replica's change signals. */
public class PersonChangeDeserializer extends ObjectMapperDeserializer<PersonChange> {

    public PersonChangeDeserializer() {
        super(PersonChange.class);
    }
}
