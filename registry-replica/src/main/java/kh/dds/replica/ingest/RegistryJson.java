package kh.dds.replica.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import kh.dds.replica.person.EventApplier;
import kh.dds.schema.event.RegistryEventCodec;

/** The registry's JSON: one codec and one mapper for events and replica records. */
public class RegistryJson {

    @Produces
    @Singleton
    RegistryEventCodec codec() {
        return new RegistryEventCodec();
    }

    @Produces
    @Singleton
    EventApplier applier(RegistryEventCodec codec) {
        return new EventApplier(codec.mapper());
    }

    /** For the replica's record JSON: absent fields are left out rather than written as null. */
    @Produces
    @Singleton
    @RegistryMapper
    ObjectMapper mapper(RegistryEventCodec codec) {
        return codec.mapper();
    }
}
