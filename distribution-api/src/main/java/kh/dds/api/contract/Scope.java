package kh.dds.api.contract;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The OAuth2 scopes of SPEC §4, written in lower case in tokens. */
public enum Scope {
    VERIFY, LOOKUP, BULK, REPORTS, SUBSCRIBE, USAGE, AUDIT, ADMIN;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String value) {
        return Arrays.stream(values()).filter(scope -> scope.value().equals(value)).findFirst();
    }
}
