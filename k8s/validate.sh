#!/usr/bin/env bash
# Checks k8s/ without a cluster: every YAML file parses (yamllint when installed, else PyYAML), the shell scripts
# parse, kustomize renders base, both overlays and an overlay with the snapshot-load component, and every rendered
# object passes validate/validate.mjs (Kubernetes API schemas and types from kubernetes-models, and this
# deployment's own rules). Needs kubectl (its built-in kustomize) or kustomize, and node with npm.
#
#   k8s/validate.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
failed=0

say() { printf 'k8s: %s\n' "$*"; }

# 1. YAML syntax
mapfile -t yaml_files < <(find . -path ./validate/node_modules -prune -o -path ./validate/.check -prune -o \
  \( -name '*.yaml' -o -name '*.yml' \) -print | sort)
if command -v yamllint >/dev/null 2>&1; then
  say "yamllint: ${#yaml_files[@]} files"
  yamllint -s -c .yamllint "${yaml_files[@]}" || failed=1
else
  say "PyYAML (yamllint is not installed): ${#yaml_files[@]} files"
  python3 - "${yaml_files[@]}" <<'PY' || failed=1
import sys, yaml
for path in sys.argv[1:]:
    with open(path) as f:
        list(yaml.safe_load_all(f))
PY
fi

# 2. scripts
for script in base/kafka/*.sh base/postgres/*.sh create-secrets.sh validate.sh; do
  bash -n "$script" || { say "syntax error in $script"; failed=1; }
done
say "shell scripts parse"

# 3. render
if command -v kustomize >/dev/null 2>&1; then
  render() { kustomize build "$1"; }
elif command -v kubectl >/dev/null 2>&1; then
  render() { kubectl kustomize "$1"; }
else
  say "neither kustomize nor kubectl is installed: cannot render"
  exit 1
fi
check_dir="validate/.check"
mkdir -p "$check_dir/small-with-snapshot"
cat >"$check_dir/small-with-snapshot/kustomization.yaml" <<'KUSTOMIZATION'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../overlays/small
components:
  - ../../../components/snapshot-load
KUSTOMIZATION

# 4. schemas and rules
if [[ ! -d validate/node_modules ]]; then
  say "installing the validator's packages (npm ci)"
  (cd validate && npm ci --no-audit --no-fund --loglevel=error)
fi
for target in base overlays/small overlays/national "$check_dir/small-with-snapshot"; do
  out="$check_dir/$(echo "$target" | tr '/' '_').yaml"
  if ! render "$target" >"$out"; then
    say "FAILED to render $target"
    failed=1
    continue
  fi
  say "rendered $target: $(grep -c '^kind:' "$out") objects"
  node validate/validate.mjs <"$out" | sed 's/^/    /' || failed=1
done

# the snapshot upload pod is applied by hand, outside any kustomization: schemas only
say "components/snapshot-load/upload-pod.yaml"
node validate/validate.mjs <components/snapshot-load/upload-pod.yaml | sed 's/^/    /' || failed=1

if ((failed)); then
  say "validation FAILED"
  exit 1
fi
say "all checks passed"
