#!/usr/bin/env bash
# Creates the Secrets the manifests refer to, with random passwords, in the namespace dds (created if missing):
#   dds-postgres        the PostgreSQL superuser's and the replication login's passwords
#   dds-db-replica, dds-db-api, dds-db-billing, dds-db-keycloak
#                       each service's own PostgreSQL login (username dds_replica, dds_api, dds_billing, dds_keycloak;
#                       password), which the Job postgres-roles creates with its schemas and grants
#                       (base/postgres/dds-roles.sql; Keycloak's with its own database keycloak)
#   dds-kafka-admin     the Kafka super user (admin) of the brokers and the kafka-topics Job
#   dds-kafka-replica, dds-kafka-api, dds-kafka-billing, dds-kafka-registry
#                       each service's own Kafka principal (username dds-replica, ...; password), SCRAM-SHA-512, which
#                       the kafka-topics Job creates with its ACLs (base/kafka/create-topics.sh); dds-registry is the
#                       registry's publisher of registry.person-events
#   dds-redis           the Redis password
#   dds-api-token       the API's token signing key (RSA 2048, PKCS#8 PEM: token-signing-key.pem) and its public half
#                       as a JWKS (jwks.json: kid dds-1, RS256, use sig; the kid is API_TOKEN_KEY_ID in
#                       base/kustomization.yaml)
#   dds-api-ledger      the audit ledger's checkpoint signing key (Ed25519, PKCS#8 PEM: ledger-signing-key.pem) and
#                       its public key (X.509 SubjectPublicKeyInfo PEM: ledger-public.pem), the one outside auditors
#                       verify checkpoints with; its key id is API_LEDGER_KEY_ID (ledger-1) in base/kustomization.yaml
#                       (the audit-ledger pods mount both halves, the API's serving pods the public one only)
#   dds-api-secret-pepper  the key the API hashes client secrets with (HMAC-SHA256; secret-pepper: 32 random bytes,
#                       base64url). Replacing it invalidates every client secret hashed with it: rotate every client
#                       afterwards (POST /v1/admin/clients/{id}/rotate).
#   dds-api-bootstrap   the secret of the API's first administrator client, dds-admin (admin-client-secret)
#   dds-api-webhook-secret-key  the key the API encrypts the contracts' webhook signing secrets with at rest
#                       (AES-256-GCM; secret-key: 32 random bytes, base64). Replacing it makes every stored signing
#                       secret unreadable: each contract then registers its webhook again (a new secret).
#   dds-replica-record-key  the key the replica derives each person's statistical record key with (HMAC-SHA256;
#                       secret: 32 random bytes, base64url). Kept for the life of the replica: a new one changes
#                       every published population count.
#   dds-keycloak-admin  Keycloak's bootstrap administrator of the realm master (username admin; password), created at
#                       its first start only (replace it by a named administrator: k8s/README.md)
#   dds-console-oidc    the secret of the realm's confidential client dds-console (client-secret), which the console
#                       signs in with and Keycloak's realm import gives the client
#   dds-console-session the console's keys: its session cookies' encryption (encryption-secret) and its forms' CSRF
#                       tokens (csrf-key); replacing them signs every person out
# An existing Secret is left alone. Nothing is printed; each key pair exists on disk only in a private temporary
# directory, removed before the script ends. Read a value back with
#   kubectl -n dds get secret dds-api-bootstrap -o jsonpath='{.data.admin-client-secret}' | base64 -d
#
#   k8s/create-secrets.sh            # the current kubectl context
#   NAMESPACE=dds-test k8s/create-secrets.sh
#
# The superuser's and the replication passwords are read once, when the primary's data directory is first
# initialised: changing the Secret afterwards does not change the roles (ALTER ROLE ... PASSWORD, then update the
# Secret and restart the pods). A service's PostgreSQL or Kafka password is set again by its Job on every run
# (postgres-roles, kafka-topics): change the Secret, delete the Job, apply, restart the service. The Kafka admin's
# password is written into the brokers' metadata when their storage is formatted: see k8s/README.md before changing it.
# The administrator's secret is read when the API starts and no client dds-admin exists yet: changing it afterwards
# changes nothing (rotate the client through the API). A new token key (delete dds-api-token, run this again,
# kubectl -n dds rollout restart deployment/distribution-api) invalidates the tokens signed with the old one: they
# live 5 minutes.
# The ledger key is not rotated by replacing it under the same id: checkpoints already signed stay verifiable only
# with the old public key. Keep that (ledger-public.pem of the old Secret) for the auditors, create the new pair under
# a new id (API_LEDGER_KEY_ID, e.g. ledger-2), then restart the API (k8s/README.md, "Create the secrets").
# The console's client secret is given to the realm when Keycloak first imports it: to change it later, regenerate it in
# Keycloak's administration console (client dds-console, Credentials), put it in dds-console-oidc and restart the
# console.
# The TLS certificates of the Ingresses (Secrets dds-api-tls, dds-console-tls, dds-id-tls) are not created here: use cert-manager, or
#   kubectl -n dds create secret tls dds-api-tls --cert=api.crt --key=api.key
# Needs kubectl, and openssl, xxd, base64 and tr for the token key (openssl alone for the ledger key).
set -euo pipefail

namespace="${NAMESPACE:-dds}"

random_password() {
  # 32 characters of [A-Za-z0-9]: safe in URLs, connection strings and command lines
  LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32
}

if ! kubectl get namespace "$namespace" >/dev/null 2>&1; then
  kubectl create namespace "$namespace"
  kubectl label namespace "$namespace" pod-security.kubernetes.io/enforce=restricted
fi

exists() {
  if kubectl -n "$namespace" get secret "$1" >/dev/null 2>&1; then
    echo "secret/$1 exists: left as it is"
    return 0
  fi
  return 1
}

create() {
  local name="$1"
  shift
  exists "$name" || kubectl -n "$namespace" create secret generic "$name" "$@"
}

# hex digits -> the same bytes in base64url without padding (RFC 7518's encoding of a JWK's n and e)
base64url_of_hex() {
  printf '%s' "$1" | xxd -r -p | base64 | tr -d '\n=' | tr '+/' '-_'
}

# token_key_files DIR: writes DIR/token-signing-key.pem, a new RSA 2048 private key in PKCS#8 PEM, and DIR/jwks.json,
# its public key as a JWKS
token_key_files() {
  local dir="$1" modulus="" exponent="" label value _
  if ! openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/token-signing-key.pem" 2>/dev/null; then
    echo "openssl could not generate the token key" >&2
    return 1
  fi
  modulus=$(openssl rsa -in "$dir/token-signing-key.pem" -noout -modulus 2>/dev/null)
  modulus=${modulus#Modulus=}
  # "Exponent: 65537 (0x10001)" in the public key's text form
  while read -r label value _; do
    if [[ $label == Exponent: ]]; then exponent=$value; fi
  done < <(openssl rsa -in "$dir/token-signing-key.pem" -pubout 2>/dev/null |
    openssl rsa -pubin -noout -text 2>/dev/null)
  if [[ ! $modulus =~ ^[0-9A-Fa-f]+$ || ! $exponent =~ ^[0-9]+$ ]]; then
    echo "could not read the new token key's modulus and exponent with openssl" >&2
    return 1
  fi
  exponent=$(printf '%x' "$exponent")
  # whole bytes (openssl prints the modulus without a leading zero; a 2048-bit modulus has 512 digits anyway)
  if ((${#modulus} % 2)); then modulus="0$modulus"; fi
  if ((${#exponent} % 2)); then exponent="0$exponent"; fi
  printf '{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"dds-1","n":"%s","e":"%s"}]}\n' \
    "$(base64url_of_hex "$modulus")" "$(base64url_of_hex "$exponent")" >"$dir/jwks.json"
}

# ledger_key_files DIR: writes DIR/ledger-signing-key.pem, a new Ed25519 private key in PKCS#8 PEM, and
# DIR/ledger-public.pem, its public key in X.509 SubjectPublicKeyInfo PEM
ledger_key_files() {
  local dir="$1"
  if ! openssl genpkey -algorithm ed25519 -out "$dir/ledger-signing-key.pem" 2>/dev/null ||
    ! openssl pkey -in "$dir/ledger-signing-key.pem" -pubout -out "$dir/ledger-public.pem" 2>/dev/null; then
    echo "openssl could not generate the ledger key (Ed25519 needs OpenSSL 1.1.1 or newer)" >&2
    return 1
  fi
}

create dds-postgres \
  --from-literal=superuser-password="$(random_password)" \
  --from-literal=replication-password="$(random_password)"

for service in replica api billing keycloak; do
  create "dds-db-$service" \
    --from-literal=username="dds_$service" \
    --from-literal=password="$(random_password)"
done

create dds-kafka-admin \
  --from-literal=username=admin \
  --from-literal=password="$(random_password)"
for principal in replica api billing registry; do
  create "dds-kafka-$principal" \
    --from-literal=username="dds-$principal" \
    --from-literal=password="$(random_password)"
done

create dds-redis \
  --from-literal=password="$(random_password)"

if ! exists dds-api-token; then
  key_dir=$(mktemp -d)
  trap 'rm -rf "$key_dir"' EXIT
  chmod 700 "$key_dir"
  token_key_files "$key_dir"
  kubectl -n "$namespace" create secret generic dds-api-token \
    --from-file=token-signing-key.pem="$key_dir/token-signing-key.pem" --from-file=jwks.json="$key_dir/jwks.json"
  rm -rf "$key_dir"
  trap - EXIT
fi

if ! exists dds-api-ledger; then
  key_dir=$(mktemp -d)
  trap 'rm -rf "$key_dir"' EXIT
  chmod 700 "$key_dir"
  ledger_key_files "$key_dir"
  kubectl -n "$namespace" create secret generic dds-api-ledger \
    --from-file=ledger-signing-key.pem="$key_dir/ledger-signing-key.pem" \
    --from-file=ledger-public.pem="$key_dir/ledger-public.pem"
  rm -rf "$key_dir"
  trap - EXIT
fi

create dds-api-secret-pepper \
  --from-literal=secret-pepper="$(head -c 32 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_')"

create dds-api-bootstrap \
  --from-literal=admin-client-secret="$(random_password)"

create dds-api-webhook-secret-key \
  --from-literal=secret-key="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"

create dds-replica-record-key \
  --from-literal=secret="$(head -c 32 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_')"

create dds-keycloak-admin \
  --from-literal=username=admin \
  --from-literal=password="$(random_password)"

create dds-console-oidc \
  --from-literal=client-secret="$(random_password)"

create dds-console-session \
  --from-literal=encryption-secret="$(random_password)" \
  --from-literal=csrf-key="$(random_password)"
