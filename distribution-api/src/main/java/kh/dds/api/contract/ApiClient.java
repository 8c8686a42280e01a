package kh.dds.api.contract;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * An OAuth2 client (client credentials): issued under a contract, or under none for the registry's own
 * administrators and auditors. The secret exists only as its hash; after a rotation with an overlap, the previous
 * secret's hash too, until {@link #previousSecretValidUntil}. Tokens issued before {@link #tokensValidAfter} are
 * refused on every call.
 */
@Entity
@Table(name = "api_client", schema = "api")
public class ApiClient extends PanacheEntityBase {

    @Id
    @Column(name = "client_id")
    public String clientId;

    @Column(name = "contract_id")
    public UUID contractId;

    @Convert(converter = JsonColumn.Strings.class)
    @ColumnTransformer(read = "scopes::text", write = "?::text::jsonb")
    @Column(name = "scopes", nullable = false, columnDefinition = "jsonb")
    public List<String> scopes;

    /** {@code null} for a client of an external identity provider ({@link #issuer}), which holds its secret. */
    @Column(name = "secret_hash")
    public String secretHash;

    /** The external identity provider that issues this client's tokens, or {@code null} for the API's own. */
    @Column(name = "issuer")
    public String issuer;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ClientStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "rotated_at")
    public Instant rotatedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "previous_secret_hash")
    public String previousSecretHash;

    @Column(name = "previous_secret_valid_until")
    public Instant previousSecretValidUntil;

    @Column(name = "tokens_valid_after")
    public Instant tokensValidAfter;

    @Version
    @Column(name = "row_version", nullable = false)
    public int rowVersion;
}
