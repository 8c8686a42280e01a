// Validates rendered manifests (a kustomize build on stdin) against the Kubernetes API schemas of kubernetes-models
// (types, formats, enumerations, required fields), against their TypeScript types (which also reject a field the API
// does not know: a typo or a line indented under the wrong key, which the server's strict validation would refuse),
// and checks the rules this deployment holds itself to: every container has requests and limits and runs non-root
// without privilege escalation or capabilities, every long-running container has probes, every workload has a
// disruption budget, every Service and NetworkPolicy selects pods that exist, and every ConfigMap or Secret that a pod
// refers to is rendered or is one of the Secrets created by hand (k8s/README.md); and least privilege: each service
// logs in to PostgreSQL and Kafka with credentials of its own, over SASL, and the topic Job's ACLs let exactly the
// named principals write each topic; and the audit ledger's writer apart: the serving pods run without it and without
// its signing key, the Deployment audit-ledger runs it, behind no Ingress and no autoscaler; and people's sign-in:
// Keycloak logs in to a database of its own with a login of its own, imports the local run's realm without its demo
// users, clients or secrets, the addresses of the ConfigMap identity-provider agree with the Ingresses' hosts, and the
// API and billing trust that issuer.
//
//   kubectl kustomize k8s/overlays/small | node k8s/validate/validate.mjs
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const SECRETS_CREATED_BY_HAND = new Set(["dds-postgres", "dds-redis", "dds-api-token", "dds-api-ledger", "dds-api-secret-pepper", "dds-api-bootstrap", "dds-api-webhook-secret-key", "dds-api-tls", "dds-replica-record-key",
  "dds-db-replica", "dds-db-api", "dds-db-billing", "dds-db-keycloak",
  "dds-keycloak-admin", "dds-console-oidc", "dds-console-session", "dds-console-tls", "dds-id-tls",
  "dds-kafka-admin", "dds-kafka-replica", "dds-kafka-api", "dds-kafka-billing", "dds-kafka-registry"]);

// Least privilege: each service's own PostgreSQL and Kafka credentials, and who may write each topic.
// audit-ledger, the API's image writing the audit ledger, logs in as the API does (k8s/README.md, "Least privilege").
const SERVICES = { "registry-replica": "replica", "distribution-api": "api", "audit-ledger": "api", billing: "billing" };
// workloads with a PostgreSQL login of their own and no Kafka: Keycloak (its own database keycloak)
const DATABASE_ONLY = { keycloak: "keycloak" };
const TOPIC_WRITERS = {
  "registry.person-events": ["dds-registry"],
  "registry.person-events.dlq": ["dds-replica"],
  "registry.person-changes": ["dds-replica"],
  "registry.person-notifications": ["dds-replica"],
  "api.lookup-records": ["dds-api"],
  "api.lookup-records.dlq": ["dds-api"],
  "api.lookup-records.billing-dlq": ["dds-billing"],
};

const modules = {
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};

const input = readFileSync(0, "utf8");
const docs = parseAllDocuments(input).map((d) => {
  if (d.errors.length) throw new Error(d.errors.map(String).join("\n"));
  return d.toJS();
}).filter(Boolean);

const problems = [];
const problem = (obj, text) => problems.push(`${obj.kind}/${obj.metadata?.name}: ${text}`);

// 1. schemas
for (const obj of docs) {
  const module = modules[obj.apiVersion] ?? `kubernetes-models/${obj.apiVersion}`;
  let model;
  try {
    model = (await import(module))[obj.kind];
  } catch (e) {
    model = undefined;
  }
  if (!model) {
    problem(obj, `no schema for ${obj.apiVersion} ${obj.kind}`);
    continue;
  }
  try {
    new model(obj).validate();
  } catch (e) {
    problem(obj, `schema: ${e.message}`);
  }
}

// 2. no unknown fields: the objects as TypeScript literals of their kubernetes-models types, compiled with tsc, whose
// excess-property check names any field the type does not have
{
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = join(here, ".check");
  mkdirSync(dir, { recursive: true });
  const lines = [];
  const owners = [];
  docs.forEach((obj, i) => {
    const module = modules[obj.apiVersion] ?? `kubernetes-models/${obj.apiVersion}`;
    lines.push(`import type { I${obj.kind} as T${i} } from "${module}/${obj.kind}";`);
  });
  docs.forEach((obj, i) => {
    const text = `export const o${i}: T${i} = ${JSON.stringify(obj, null, 2)};`.split("\n");
    owners.push({ from: lines.length + 1, to: lines.length + text.length, obj });
    lines.push(...text);
  });
  const file = join(dir, "manifests.ts");
  writeFileSync(file, lines.join("\n") + "\n");
  try {
    execFileSync(join(here, "node_modules", ".bin", "tsc"), ["--noEmit", "--strict", "--skipLibCheck", "--target", "es2022",
      "--module", "nodenext", "--moduleResolution", "nodenext", file], { cwd: here, encoding: "utf8" });
  } catch (e) {
    const out = `${e.stdout ?? ""}${e.stderr ?? ""}`;
    let found = false;
    for (const m of out.matchAll(/manifests\.ts\((\d+),\d+\): error (TS\d+: .*)/g)) {
      const line = Number(m[1]);
      const owner = owners.find((o) => line >= o.from && line <= o.to);
      const field = lines[line - 1].trim();
      if (owner) problem(owner.obj, `types: ${m[2]} (at ${field})`);
      else problems.push(`types: ${m[2]}`);
      found = true;
    }
    if (!found) problems.push(`tsc failed: ${out || e.message}`);
  }
}

// 3. the deployment's own rules
const byKind = (kind) => docs.filter((d) => d.kind === kind);
const workloads = docs.filter((d) => ["Deployment", "StatefulSet", "Job"].includes(d.kind));
const podTemplates = workloads.map((w) => ({ owner: w, template: w.spec.template }));
const matches = (selector, labels) => {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels?.[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = labels && Object.hasOwn(labels, e.key);
    if (e.operator === "In" && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
};
const configMaps = new Set(byKind("ConfigMap").map((c) => c.metadata.name));
const secrets = new Set([...byKind("Secret").map((s) => s.metadata.name), ...SECRETS_CREATED_BY_HAND]);
const claims = new Set(byKind("PersistentVolumeClaim").map((c) => c.metadata.name));

for (const { owner, template } of podTemplates) {
  const pod = template.spec;
  const labels = template.metadata?.labels;
  const psc = pod.securityContext ?? {};
  if (psc.runAsNonRoot !== true) problem(owner, "pod securityContext.runAsNonRoot is not true");
  if (psc.seccompProfile?.type !== "RuntimeDefault") problem(owner, "pod seccompProfile is not RuntimeDefault");
  if (pod.automountServiceAccountToken !== false) problem(owner, "automountServiceAccountToken is not false");
  const containers = [...(pod.initContainers ?? []).map((c) => [c, true]), ...pod.containers.map((c) => [c, false])];
  for (const [c, init] of containers) {
    const where = `container ${c.name}`;
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) problem(owner, `${where}: allowPrivilegeEscalation is not false`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problem(owner, `${where}: capabilities do not drop ALL`);
    if (sc.readOnlyRootFilesystem !== true) problem(owner, `${where}: root filesystem is writable`);
    for (const kind of ["requests", "limits"]) {
      for (const resource of ["cpu", "memory"]) {
        if (!c.resources?.[kind]?.[resource]) problem(owner, `${where}: no ${resource} ${kind}`);
      }
    }
    if (!init && owner.kind !== "Job") {
      for (const probe of ["livenessProbe", "readinessProbe"]) {
        if (!c[probe]) problem(owner, `${where}: no ${probe}`);
      }
    }
    if (!/:[^/]+$/.test(c.image)) problem(owner, `${where}: image ${c.image} has no tag`);
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef && !configMaps.has(from.configMapRef.name)) problem(owner, `${where}: no ConfigMap ${from.configMapRef.name}`);
    }
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef?.name;
      const secret = e.valueFrom?.secretKeyRef?.name;
      if (cm && !configMaps.has(cm)) problem(owner, `${where}: env ${e.name} names a missing ConfigMap ${cm}`);
      if (secret && !secrets.has(secret)) problem(owner, `${where}: env ${e.name} names an unknown Secret ${secret}`);
    }
    const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
    const templates = new Set((owner.spec.volumeClaimTemplates ?? []).map((v) => v.metadata.name));
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name) && !templates.has(m.name)) problem(owner, `${where}: mounts an undeclared volume ${m.name}`);
    }
  }
  for (const v of pod.volumes ?? []) {
    if (v.configMap && !configMaps.has(v.configMap.name)) problem(owner, `volume ${v.name}: no ConfigMap ${v.configMap.name}`);
    if (v.persistentVolumeClaim && !claims.has(v.persistentVolumeClaim.claimName)) problem(owner, `volume ${v.name}: no claim ${v.persistentVolumeClaim.claimName}`);
    if (v.secret && !secrets.has(v.secret.secretName)) problem(owner, `volume ${v.name}: unknown Secret ${v.secret.secretName}`);
  }
  if (owner.kind !== "Job") {
    if (!byKind("PodDisruptionBudget").some((b) => matches(b.spec.selector, labels))) problem(owner, "no PodDisruptionBudget selects its pods");
    if (!matches(owner.spec.selector, labels)) problem(owner, "its selector does not select its own pod template");
  }
  if (!byKind("NetworkPolicy").some((p) => p.spec.podSelector && Object.keys(p.spec.podSelector).length && matches(p.spec.podSelector, labels))) {
    problem(owner, "no NetworkPolicy names its pods (only the default deny applies)");
  }
}
const allLabels = podTemplates.map((p) => p.template.metadata?.labels ?? {});
for (const s of byKind("Service")) {
  if (!allLabels.some((l) => matches({ matchLabels: s.spec.selector }, l))) problem(s, "selects no pod");
  for (const port of s.spec.ports) {
    if (typeof port.targetPort === "string") {
      const named = podTemplates.some((p) => matches({ matchLabels: s.spec.selector }, p.template.metadata?.labels)
        && p.template.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === port.targetPort)));
      if (!named) problem(s, `targetPort ${port.targetPort} is not a named port of its pods`);
    }
  }
}
for (const p of byKind("NetworkPolicy")) {
  const sel = p.spec.podSelector;
  if (sel && Object.keys(sel).length && !allLabels.some((l) => matches(sel, l))) problem(p, "its podSelector selects no pod");
  for (const rule of [...(p.spec.ingress ?? []).flatMap((r) => r.from ?? []), ...(p.spec.egress ?? []).flatMap((r) => r.to ?? [])]) {
    if (rule.podSelector && !rule.namespaceSelector && Object.keys(rule.podSelector).length && !allLabels.some((l) => matches(rule.podSelector, l))) {
      problem(p, `a peer selector ${JSON.stringify(rule.podSelector)} selects no pod`);
    }
  }
}
for (const h of byKind("HorizontalPodAutoscaler")) {
  const target = docs.find((d) => d.kind === h.spec.scaleTargetRef.kind && d.metadata.name === h.spec.scaleTargetRef.name);
  if (!target) problem(h, "its target does not exist");
  else if (target.spec.replicas !== undefined) problem(h, "its target sets replicas, which every apply would reset");
}
for (const b of byKind("PodDisruptionBudget")) {
  if (!allLabels.some((l) => matches(b.spec.selector, l))) problem(b, "selects no pod");
}

// 4. least privilege (a whole deployment: not a lone object such as the snapshot upload pod)
if (docs.some((d) => d.kind === "Deployment")) {
  const secretOf = (env, name) => env.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
  const used = { db: new Map(), kafka: new Map() };
  for (const [name, service] of Object.entries(SERVICES)) {
    const deployment = docs.find((d) => d.kind === "Deployment" && d.metadata.name === name);
    if (!deployment) {
      problems.push(`least privilege: no Deployment ${name}`);
      continue;
    }
    const container = deployment.spec.template.spec.containers.find((c) => c.name === name) ?? deployment.spec.template.spec.containers[0];
    const env = container.env ?? [];
    for (const [variable, key] of [["QUARKUS_DATASOURCE_USERNAME", "username"], ["QUARKUS_DATASOURCE_PASSWORD", "password"]]) {
      const ref = secretOf(env, variable);
      if (ref?.name !== `dds-db-${service}` || ref?.key !== key) {
        problem(deployment, `least privilege: ${variable} does not come from its own Secret dds-db-${service} (key ${key})`);
      }
    }
    const protocol = env.find((e) => e.name === "KAFKA_SECURITY_PROTOCOL")?.value ?? "";
    if (!/^SASL_(PLAINTEXT|SSL)$/.test(protocol)) problem(deployment, `least privilege: KAFKA_SECURITY_PROTOCOL is ${protocol || "unset"}, not SASL`);
    if (!env.find((e) => e.name === "KAFKA_SASL_MECHANISM")?.value) problem(deployment, "least privilege: no KAFKA_SASL_MECHANISM");
    const jaas = env.find((e) => e.name === "KAFKA_SASL_JAAS_CONFIG")?.value ?? "";
    const kafkaUser = secretOf(env, "DDS_KAFKA_USERNAME");
    const kafkaPassword = secretOf(env, "DDS_KAFKA_PASSWORD");
    if (kafkaUser?.name !== `dds-kafka-${service}` || kafkaPassword?.name !== `dds-kafka-${service}`
      || !jaas.includes("$(DDS_KAFKA_USERNAME)") || !jaas.includes("$(DDS_KAFKA_PASSWORD)")) {
      problem(deployment, `least privilege: its Kafka login is not its own (KAFKA_SASL_JAAS_CONFIG from the Secret dds-kafka-${service})`);
    }
    used.db.set(`dds-db-${service}`, [...(used.db.get(`dds-db-${service}`) ?? []), name]);
  }
  // no workload but the PostgreSQL pods and the roles Job touches another service's or the superuser's login
  for (const { owner, template } of podTemplates) {
    const service = SERVICES[owner.metadata.name] ?? DATABASE_ONLY[owner.metadata.name];
    for (const c of [...(template.spec.initContainers ?? []), ...template.spec.containers]) {
      for (const e of c.env ?? []) {
        const secret = e.valueFrom?.secretKeyRef?.name ?? "";
        const db = secret.match(/^dds-db-(.+)$/)?.[1];
        const kafka = secret.match(/^dds-kafka-(.+)$/)?.[1];
        const setup = ["postgres-roles", "kafka-topics", "kafka"].includes(owner.metadata.name);
        if (db && db !== service && owner.metadata.name !== "postgres-roles") problem(owner, `least privilege: uses another's database login ${secret}`);
        if (kafka && kafka !== service && !setup) problem(owner, `least privilege: uses another's Kafka login ${secret}`);
        if (secret === "dds-postgres" && service) problem(owner, "least privilege: a service uses the PostgreSQL superuser's Secret");
      }
    }
  }
  for (const [name, service] of Object.entries(DATABASE_ONLY)) {
    const deployment = docs.find((d) => d.kind === "Deployment" && d.metadata.name === name);
    if (!deployment) {
      problems.push(`least privilege: no Deployment ${name}`);
      continue;
    }
    const env = deployment.spec.template.spec.containers[0].env ?? [];
    for (const [variable, key] of [["KC_DB_USERNAME", "username"], ["KC_DB_PASSWORD", "password"]]) {
      const ref = secretOf(env, variable);
      if (ref?.name !== `dds-db-${service}` || ref?.key !== key) {
        problem(deployment, `least privilege: ${variable} does not come from its own Secret dds-db-${service} (key ${key})`);
      }
    }
    const url = env.find((e) => e.name === "KC_DB_URL")?.value ?? "";
    if (!url.endsWith(`/${service}`)) problem(deployment, `least privilege: KC_DB_URL ${url || "unset"} is not its own database ${service}`);
  }
  if (!docs.some((d) => d.kind === "Job" && d.metadata.name === "postgres-roles")) problems.push("least privilege: no Job postgres-roles");
  if (!byKind("ConfigMap").some((c) => c.metadata.name.startsWith("postgres-roles") && c.data?.["dds-roles.sql"])) {
    problems.push("least privilege: no ConfigMap postgres-roles with dds-roles.sql");
  }

  // the brokers: SASL listeners only, the StandardAuthorizer, nothing allowed without an ACL
  const scripts = byKind("ConfigMap").find((c) => c.metadata.name.startsWith("kafka-scripts"));
  const start = scripts?.data?.["start-kafka.sh"] ?? "";
  const topicsScript = scripts?.data?.["create-topics.sh"] ?? "";
  if (!start.includes("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer")) problems.push("kafka: start-kafka.sh sets no StandardAuthorizer");
  if (!start.includes("allow.everyone.if.no.acl.found=false")) problems.push("kafka: start-kafka.sh allows what no ACL names");
  const protocolMap = start.match(/^listener\.security\.protocol\.map=(.*)$/m)?.[1] ?? "";
  if (!protocolMap || protocolMap.split(",").some((pair) => !/:SASL_(PLAINTEXT|SSL)$/.test(pair))) problems.push(`kafka: a listener without SASL (${protocolMap || "no listener.security.protocol.map"})`);

  // the ACLs: "allow PRINCIPAL OPERATION topic|group NAME" lines of create-topics.sh, and kafka-acls.sh nowhere else
  const acls = [...topicsScript.matchAll(/^allow (\S+) (\S+) (topic|group) (\S+)$/gm)].map((m) => ({ principal: m[1], operation: m[2], kind: m[3], name: m[4] }));
  if ((topicsScript.match(/"\$bin\/kafka-acls\.sh"/g) ?? []).length !== 1) problems.push("kafka: create-topics.sh calls kafka-acls.sh outside its allow function");
  for (const acl of acls) {
    if (!["READ", "WRITE"].includes(acl.operation)) problems.push(`kafka: ACL ${acl.operation} for ${acl.principal} on ${acl.kind} ${acl.name}: only READ and WRITE are granted`);
  }
  const writers = {};
  for (const acl of acls.filter((a) => a.operation === "WRITE")) {
    if (acl.kind !== "topic") problems.push(`kafka: WRITE on ${acl.kind} ${acl.name}`);
    (writers[acl.name] ??= []).push(acl.principal);
  }
  for (const topic of new Set([...Object.keys(TOPIC_WRITERS), ...Object.keys(writers)])) {
    const expected = [...(TOPIC_WRITERS[topic] ?? [])].sort().join(",");
    const actual = [...(writers[topic] ?? [])].sort().join(",");
    if (expected !== actual) problems.push(`kafka: ${topic} may be written by [${actual}], expected [${expected}]`);
  }
  for (const [principal, group] of [["dds-replica", "registry-replica"], ["dds-api", "distribution-api-person-cache"], ["dds-api", "distribution-api-notifications"],
    ["dds-api", "distribution-api-audit-ledger"], ["dds-billing", "billing-meter"]]) {
    if (!acls.some((a) => a.principal === principal && a.operation === "READ" && a.kind === "group" && a.name === group)) {
      problems.push(`kafka: ${principal} may not READ its consumer group ${group}`);
    }
  }
  for (const acl of acls.filter((a) => a.kind === "group")) {
    const owner = { "registry-replica": "dds-replica", "distribution-api-person-cache": "dds-api", "distribution-api-audit-ledger": "dds-api", "distribution-api-notifications": "dds-api", "billing-meter": "dds-billing" }[acl.name];
    if (owner !== acl.principal) problems.push(`kafka: ${acl.principal} may READ the consumer group ${acl.name}, which is not its own`);
  }
}

// 5. the audit ledger's writer runs in the Deployment audit-ledger alone (a whole deployment, as above)
if (docs.some((d) => d.kind === "Deployment")) {
  const deployment = (name) => docs.find((d) => d.kind === "Deployment" && d.metadata.name === name);
  const envOf = (d) => Object.fromEntries((d.spec.template.spec.containers[0].env ?? []).map((e) => [e.name, e.value]));
  const serving = deployment("distribution-api");
  const writer = deployment("audit-ledger");
  if (!writer) problems.push("ledger: no Deployment audit-ledger");
  if (serving) {
    const env = envOf(serving);
    if (env.API_LEDGER_ENABLED !== "false") problem(serving, "ledger: API_LEDGER_ENABLED is not \"false\" (audit-ledger writes the ledger)");
    if (env.API_LEDGER_RETENTION_CRON !== "off") problem(serving, "ledger: API_LEDGER_RETENTION_CRON is not \"off\"");
    for (const v of serving.spec.template.spec.volumes ?? []) {
      if (v.secret?.secretName === "dds-api-ledger" && (!v.secret.items || v.secret.items.some((i) => i.key !== "ledger-public.pem"))) {
        problem(serving, `ledger: volume ${v.name} projects more of dds-api-ledger than ledger-public.pem`);
      }
      if (v.persistentVolumeClaim?.claimName === "ledger-archive") problem(serving, "ledger: mounts the archives' volume");
    }
  }
  if (writer) {
    const labels = writer.spec.template.metadata.labels;
    if (envOf(writer).API_LEDGER_ENABLED !== "true") problem(writer, "ledger: API_LEDGER_ENABLED is not \"true\"");
    if (byKind("HorizontalPodAutoscaler").some((h) => h.spec.scaleTargetRef.name === "audit-ledger")) problem(writer, "ledger: autoscaled");
    const routed = new Set(byKind("Ingress").flatMap((i) => (i.spec.rules ?? []).flatMap((r) => r.http?.paths ?? []))
      .map((p) => p.backend?.service?.name).filter(Boolean));
    for (const s of byKind("Service").filter((s) => routed.has(s.metadata.name))) {
      if (matches({ matchLabels: s.spec.selector }, labels)) problem(writer, `ledger: behind the Service ${s.metadata.name}, which an Ingress routes to`);
    }
  }
}

// 6. people's sign-in: Keycloak and the console (a whole deployment, as above)
if (docs.some((d) => d.kind === "Deployment")) {
  const deployment = (name) => docs.find((d) => d.kind === "Deployment" && d.metadata.name === name);
  const idp = byKind("ConfigMap").find((c) => c.metadata.name.startsWith("identity-provider-"))?.data;
  const keycloak = deployment("keycloak");
  const console_ = deployment("console");
  if (!idp) problems.push("sign-in: no ConfigMap identity-provider");
  if (!keycloak) problems.push("sign-in: no Deployment keycloak");
  if (!console_) problems.push("sign-in: no Deployment console");
  const hostOf = (url) => { try { return new URL(url).host; } catch { return undefined; } };
  const ingressHosts = (service) => new Set(byKind("Ingress").flatMap((i) => (i.spec.rules ?? [])
    .filter((r) => (r.http?.paths ?? []).some((p) => p.backend?.service?.name === service)).map((r) => r.host)));
  if (idp) {
    if (idp.ISSUER !== `${idp.KEYCLOAK_URL}/realms/dds`) problems.push(`sign-in: ISSUER ${idp.ISSUER} is not KEYCLOAK_URL ${idp.KEYCLOAK_URL} + /realms/dds`);
    for (const [key, service] of [["KEYCLOAK_URL", "keycloak"], ["CONSOLE_URL", "console"]]) {
      if (!/^https:\/\//.test(idp[key] ?? "")) problems.push(`sign-in: ${key} ${idp[key]} is not https`);
      if (!ingressHosts(service).has(hostOf(idp[key]))) problems.push(`sign-in: ${key} ${idp[key]} is not the host of an Ingress to ${service}`);
    }
    if (idp.JWKS !== `${idp.REALM_URL_INSIDE}/protocol/openid-connect/certs`) problems.push(`sign-in: JWKS ${idp.JWKS} is not the realm's keys at ${idp.REALM_URL_INSIDE}`);
  }
  // the API and billing trust the issuer, with the console's tokens as people's
  for (const [name, prefix] of [["distribution-api", "API"], ["billing", "BILLING"]]) {
    const d = deployment(name);
    if (!d) continue;
    const env = d.spec.template.spec.containers[0].env ?? [];
    for (const [suffix, key] of [["ISSUER", "ISSUER"], ["JWKS", "JWKS"], ["PEOPLE_CLIENTS", "PEOPLE_CLIENTS"]]) {
      const ref = env.find((e) => e.name === `${prefix}_TOKEN_TRUSTED_ISSUERS_KEYCLOAK_${suffix}`)?.valueFrom?.configMapKeyRef;
      if (!ref?.name?.startsWith("identity-provider") || ref.key !== key) problem(d, `sign-in: ${prefix}_TOKEN_TRUSTED_ISSUERS_KEYCLOAK_${suffix} is not identity-provider's ${key}`);
    }
  }
  if (keycloak) {
    const c = keycloak.spec.template.spec.containers[0];
    const args = [...(c.command ?? []), ...(c.args ?? [])];
    if (!args.includes("start") || args.includes("start-dev")) problem(keycloak, "sign-in: not started in production mode (start)");
    for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
      if (c[probe]?.httpGet?.port !== "management") problem(keycloak, `sign-in: ${probe} is not on the management port`);
    }
    const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
    for (const name of ["KC_BOOTSTRAP_ADMIN_USERNAME", "KC_BOOTSTRAP_ADMIN_PASSWORD"]) {
      if (env[name]?.valueFrom?.secretKeyRef?.name !== "dds-keycloak-admin") problem(keycloak, `sign-in: ${name} is not from the Secret dds-keycloak-admin`);
    }
  }
  if (console_) {
    const env = Object.fromEntries((console_.spec.template.spec.containers[0].env ?? []).map((e) => [e.name, e]));
    for (const [name, secret] of [["DDS_CONSOLE_CLIENT_SECRET", "dds-console-oidc"], ["QUARKUS_OIDC_TOKEN_STATE_MANAGER_ENCRYPTION_SECRET", "dds-console-session"],
      ["DDS_CONSOLE_CSRF_KEY", "dds-console-session"]]) {
      if (env[name]?.valueFrom?.secretKeyRef?.name !== secret) problem(console_, `sign-in: ${name} is not from the Secret ${secret}`);
    }
  }
  // the realm: the local run's (local-stack), without its users, demo clients and literal secrets
  const realmMap = byKind("ConfigMap").find((c) => c.metadata.name.startsWith("keycloak-realm-"));
  if (!realmMap?.data?.["dds-realm.json"]) problems.push("sign-in: no ConfigMap keycloak-realm with dds-realm.json");
  else {
    const realm = JSON.parse(realmMap.data["dds-realm.json"]);
    const here = dirname(fileURLToPath(import.meta.url));
    const local = JSON.parse(readFileSync(join(here, "..", "..", "local-stack", "src", "main", "resources", "keycloak", "dds-realm.json"), "utf8"));
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    if (realm.users?.length) problems.push("sign-in: the realm imports users (operators create people)");
    if (realm.sslRequired === "none") problems.push("sign-in: the realm allows plain HTTP (sslRequired none)");
    if ((realm.clients ?? []).map((c) => c.clientId).join() !== "dds-console") problems.push("sign-in: the realm has clients other than dds-console");
    for (const key of ["realm", "roles", "clientScopes", "scopeMappings", "components", "accessTokenLifespan", "ssoSessionIdleTimeout", "ssoSessionMaxLifespan"]) {
      if (!same(realm[key], local[key])) problems.push(`sign-in: the realm's ${key} is not local-stack's`);
    }
    const mine = (realm.clients ?? []).find((c) => c.clientId === "dds-console");
    const theirs = local.clients.find((c) => c.clientId === "dds-console");
    if (mine) {
      for (const key of ["publicClient", "standardFlowEnabled", "directAccessGrantsEnabled", "attributes", "defaultClientScopes", "protocolMappers"]) {
        if (!same(mine[key], theirs[key])) problems.push(`sign-in: the client dds-console's ${key} is not local-stack's`);
      }
      if (mine.secret !== "${DDS_CONSOLE_CLIENT_SECRET}") problems.push("sign-in: the client dds-console's secret is not the placeholder ${DDS_CONSOLE_CLIENT_SECRET}");
      if (!same(mine.redirectUris, ["${DDS_CONSOLE_URL}/*"])) problems.push("sign-in: the client dds-console's redirect URIs are not ${DDS_CONSOLE_URL}/*");
    }
  }
}

const counts = {};
for (const d of docs) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
console.log(`${docs.length} objects: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ")}`);
if (problems.length) {
  for (const p of problems) console.log(`PROBLEM ${p}`);
  console.log(`${problems.length} problems`);
  process.exit(1);
}
console.log("schemas and rules: no problems");
