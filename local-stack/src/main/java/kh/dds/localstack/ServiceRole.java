package kh.dds.localstack;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The PostgreSQL login role of each service, as {@code dds-roles.sql} (see {@link DatabaseRoles}) creates it: the
 * schemas it owns, and so migrates and writes, and the schemas it may read.
 */
public enum ServiceRole {

    REPLICA("dds_replica", List.of("replica"), List.of()),
    API("dds_api", List.of("api", "audit"), List.of("replica")),
    BILLING("dds_billing", List.of("billing"), List.of("api", "audit"));

    private final String roleName;
    private final List<String> owns;
    private final List<String> reads;

    ServiceRole(String roleName, List<String> owns, List<String> reads) {
        this.roleName = roleName;
        this.owns = owns;
        this.reads = reads;
    }

    /** The login, e.g. {@code dds_billing}. */
    public String roleName() {
        return roleName;
    }

    public List<String> owns() {
        return owns;
    }

    public List<String> reads() {
        return reads;
    }

    /** {@code dds_billing}, {@code billing} or {@code BILLING} alike. */
    public static ServiceRole named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(role -> role.roleName.equals(wanted) || role.name().toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service role " + name + "; one of "
                        + Arrays.stream(values()).map(ServiceRole::roleName).toList()));
    }
}
