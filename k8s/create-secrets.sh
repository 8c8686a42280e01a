#!/usr/bin/env bash
# Creates the Secrets the manifests refer to, with random passwords, in the namespace dds (created if missing).
# An existing Secret is left alone. Nothing is written to disk or printed; read a value back with
#   kubectl -n dds get secret dds-postgres -o jsonpath='{.data.app-password}' | base64 -d
#
#   k8s/create-secrets.sh            # the current kubectl context
#   NAMESPACE=dds-test k8s/create-secrets.sh
#
# The PostgreSQL passwords are read once, when the primary's data directory is first initialised: changing the
# Secret afterwards does not change the roles (ALTER ROLE ... PASSWORD, then update the Secret and restart the pods).
# The TLS certificate of the API's Ingress (Secret dds-api-tls) is not created here: use cert-manager, or
#   kubectl -n dds create secret tls dds-api-tls --cert=api.crt --key=api.key
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

create() {
  local name="$1"
  shift
  if kubectl -n "$namespace" get secret "$name" >/dev/null 2>&1; then
    echo "secret/$name exists: left as it is"
    return
  fi
  kubectl -n "$namespace" create secret generic "$name" "$@"
}

create dds-postgres \
  --from-literal=superuser-password="$(random_password)" \
  --from-literal=app-username=dds \
  --from-literal=app-password="$(random_password)" \
  --from-literal=replication-password="$(random_password)"

create dds-redis \
  --from-literal=password="$(random_password)"
