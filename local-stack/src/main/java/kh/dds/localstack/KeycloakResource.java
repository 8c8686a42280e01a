package kh.dds.localstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the build's one real Keycloak ({@link KeycloakProcess#shared()}), started on first
 * use and shared by every test JVM of the build. Each init arg names the configuration key that receives a value:
 * {@code issuer} (the realm's {@code iss}), {@code jwks} (its JWKS URL), {@code authServerUrl} (the realm's URL, as
 * {@code quarkus.oidc.auth-server-url} wants it). Tests reach Keycloak itself through {@link #keycloak()}.
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    private Map<String, String> keys = Map.of();

    public static KeycloakProcess keycloak() {
        return KeycloakProcess.shared();
    }

    @Override
    public void init(Map<String, String> args) {
        keys = Map.copyOf(args);
    }

    @Override
    public Map<String, String> start() {
        KeycloakProcess keycloak = keycloak();
        Map<String, String> config = new HashMap<>();
        put(config, "issuer", keycloak.issuer());
        put(config, "jwks", keycloak.jwksUrl());
        put(config, "authServerUrl", keycloak.issuer());
        return config;
    }

    private void put(Map<String, String> config, String arg, String value) {
        String key = keys.get(arg);
        if (key != null && !key.isBlank()) {
            config.put(key, value);
        }
    }

    /** The build's Keycloak outlives this application: the next module's tests use it too. */
    @Override
    public void stop() {
    }
}
