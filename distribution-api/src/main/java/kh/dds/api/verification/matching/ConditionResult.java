package kh.dds.api.verification.matching;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The answer to one yes/no predicate. Written in JSON as {@code true}, {@code false} or {@code "NOT_AVAILABLE"}
 * (the registry cannot decide the predicate; never a guess).
 */
public enum ConditionResult {
    TRUE,
    FALSE,
    NOT_AVAILABLE;

    public static ConditionResult of(boolean value) {
        return value ? TRUE : FALSE;
    }

    @JsonValue
    public Object json() {
        return switch (this) {
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NOT_AVAILABLE -> name();
        };
    }
}
