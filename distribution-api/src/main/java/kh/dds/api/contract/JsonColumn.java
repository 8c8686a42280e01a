package kh.dds.api.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.AttributeConverter;
import java.util.List;
import java.util.Map;

/**
 * The {@code jsonb} columns of the API's entities, converted to and from their JSON text here. Hibernate Reactive
 * hands a {@code jsonb} value to the Vert.x client as a JSON object, which a JSON array is not; the entities map such
 * columns with {@code @ColumnTransformer(read = "col::text", write = "?::text::jsonb")} and one of these converters.
 */
public final class JsonColumn {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonColumn() {
    }

    /** A list of strings (products, purposes, policy fields, scopes). */
    public static final class Strings implements AttributeConverter<List<String>, String> {

        private static final TypeReference<List<String>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(List<String> value) {
            return write(value);
        }

        @Override
        public List<String> convertToEntityAttribute(String json) {
            return read(json, TYPE);
        }
    }

    /** A tariff's tiers per product. */
    public static final class Tiers implements AttributeConverter<Map<String, List<TariffTier>>, String> {

        private static final TypeReference<Map<String, List<TariffTier>>> TYPE = new TypeReference<>() {
        };

        @Override
        public String convertToDatabaseColumn(Map<String, List<TariffTier>> value) {
            return write(value);
        }

        @Override
        public Map<String, List<TariffTier>> convertToEntityAttribute(String json) {
            return read(json, TYPE);
        }
    }

    private static String write(Object value) {
        try {
            return value == null ? null : JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return json == null ? null : JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON column", e);
        }
    }
}
