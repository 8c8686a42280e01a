package kh.dds.api.bulk.work;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kh.dds.api.audit.AuditTrail;
import kh.dds.api.bulk.BulkConfig;
import kh.dds.api.bulk.job.ChunkQueue;
import kh.dds.api.bulk.job.ChunkQueue.Claim;
import kh.dds.api.bulk.job.ChunkQueue.Line;
import kh.dds.api.bulk.job.ChunkQueue.Tally;
import kh.dds.api.bulk.job.ChunkQueue.Verified;
import kh.dds.api.call.Answer;
import kh.dds.api.call.LookupIds;
import kh.dds.api.call.PersonalDataCalls;
import kh.dds.api.call.UsageLimits;
import kh.dds.api.contract.Access;
import kh.dds.api.contract.AccessDirectory;
import kh.dds.api.contract.ClientStatus;
import kh.dds.api.problem.ApiProblem;
import kh.dds.api.problem.Problems;
import kh.dds.api.verification.VerificationRequest;
import kh.dds.api.verification.VerificationService;
import kh.dds.schema.lookup.LookupRecord;
import kh.dds.schema.lookup.Product;
import kh.dds.schema.time.PhnomPenh;
import org.jboss.logging.Logger;

/**
 * Works one claimed chunk through to its end, so that each line is verified, audited and metered exactly once
 * whatever node dies when:
 * <ol>
 *   <li><b>verify</b> (PENDING): every accepted line through {@link VerificationService} — the interactive call's own
 *       matcher ({@link VerificationService#prepare}, {@link VerificationService#answer}) — under a lookup id of the
 *       chunk's first claim time, {@code api.bulk.batch-lines} lines at a time, their persons read from the replica in
 *       one query ({@link VerificationService#verifyAll}); the answered lines' quota reserved once for
 *       the chunk (a redo finds the first reservation); results and each line's record fields stored, state
 *       VERIFIED, in one transaction. A node dying before that commit leaves nothing behind: nothing of the chunk
 *       has left it, and the next node verifies the chunk afresh.</li>
 *   <li><b>audit</b> (VERIFIED): the records rebuilt from what was stored — the same id, time and decision on every
 *       attempt — and produced to Kafka together ({@link AuditTrail#appendAll}), each acknowledged
 *       ({@code acks=all}). A node dying here leaves a VERIFIED chunk whose records the next node produces again;
 *       the ledger and billing keep each lookup id once.</li>
 *   <li><b>done</b>: the chunk DONE, its tally added to its job's, its results readable — only now, so that no
 *       result is sent whose audit record is not durable (SPEC §4.6).</li>
 * </ol>
 * A chunk takes well under a second at full speed; one slowed down (yielding to interactive load, a slow broker) has
 * its lease renewed between batches, a third of the lease after the last renewal, and is given up as soon as a renewal
 * finds the lease lost — rather than verified to the end by a node whose work can no longer be stored.
 */
@ApplicationScoped
public class ChunkWorker {

    private static final Logger LOG = Logger.getLogger(ChunkWorker.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ChunkQueue queue;
    private final VerificationService verifications;
    private final AccessDirectory directory;
    private final UsageLimits limits;
    private final AuditTrail audit;
    private final BulkThrottle throttle;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final int batchLines;
    private final Duration lease;

    public ChunkWorker(ChunkQueue queue, VerificationService verifications, AccessDirectory directory,
                       UsageLimits limits, AuditTrail audit, BulkThrottle throttle, ObjectMapper mapper,
                       MeterRegistry registry, BulkConfig config) {
        this.queue = queue;
        this.verifications = verifications;
        this.directory = directory;
        this.limits = limits;
        this.audit = audit;
        this.throttle = throttle;
        this.mapper = mapper;
        this.registry = registry;
        this.batchLines = Math.max(1, config.batchLines());
        this.lease = config.lease();
    }

    /** Works the chunk on the calling thread (a bulk worker's own, never an event loop). */
    public void work(Claim claim) {
        if (claim.attempts() > 1) {
            LOG.infof("bulk job %s: chunk %d redone (attempt %d, state %s) after its lease expired", claim.jobId(),
                    claim.chunkNo(), claim.attempts(), claim.state());
        }
        Lease held = new Lease(claim);
        if ("PENDING".equals(claim.state()) && !verify(claim, held)) {
            return;
        }
        if (!held.renewIfDue()) {
            return;
        }
        int lines = produce(claim);
        if (finish(claim)) {
            registry.counter("api.bulk.lines", "state", "done").increment(lines);
        }
    }

    /** Step 2: the chunk's stored records produced and acknowledged; how many. */
    public int produce(Claim claim) {
        List<Line> lines = queue.lines(claim.jobId(), claim.chunkNo()).await().atMost(WAIT);
        List<LookupRecord> records = new ArrayList<>(lines.size());
        for (Line line : lines) {
            records.add(record(claim, line));
        }
        audit.appendAll(records).await().atMost(WAIT);
        return lines.size();
    }

    /** Step 3: the chunk DONE, its results readable; false when another node ended it. */
    public boolean finish(Claim claim) {
        return queue.markDone(claim).await().atMost(WAIT);
    }

    /**
     * Step 1: verifies a PENDING chunk and stores it VERIFIED; false when the chunk was cancelled or taken over
     * meanwhile, or its job failed.
     */
    public boolean verify(Claim claim) {
        return verify(claim, new Lease(claim));
    }

    private boolean verify(Claim claim, Lease held) {
        Optional<Access> access = directory.access(claim.job().clientId()).await().atMost(WAIT);
        Access.Terms terms = access.map(Access::contract).orElse(null);
        if (terms == null || access.get().clientStatus() != ClientStatus.ACTIVE
                || !terms.inForceOn(PhnomPenh.today()) || !terms.products().contains(Product.BULK_VERIFY)) {
            LOG.warnf("bulk job %s: its client or contract no longer stands; the job fails", claim.jobId());
            queue.failJob(claim.jobId(), "contract-not-in-force").await().atMost(WAIT);
            return false;
        }
        Instant stamped = claim.stampedAt();
        List<Line> lines = queue.lines(claim.jobId(), claim.chunkNo()).await().atMost(WAIT);
        List<Verified> verified = new ArrayList<>(lines.size());
        for (int from = 0; from < lines.size(); from += batchLines) {
            if (!held.renewIfDue()) {
                return false;
            }
            List<Line> batch = lines.subList(from, Math.min(lines.size(), from + batchLines));
            throttle.acquire(batch.size());
            verified.addAll(verifyBatch(batch, stamped));
        }
        int answered = (int) verified.stream().filter(Verified::billable).count();
        String chunkKey = claim.jobId() + ":" + claim.chunkNo();
        int granted = limits.reserveLines(terms, chunkKey, answered, stamped).await().atMost(WAIT);
        List<Verified> stored = granted < answered ? overQuota(verified, granted) : verified;
        Tally tally = tally(stored);
        boolean kept = queue.storeVerified(claim, stored, granted, tally).await().atMost(WAIT);
        if (!kept) {
            if (queue.cancelled(claim).await().atMost(WAIT)) {
                limits.releaseLines(terms.id(), chunkKey, stamped).await().atMost(WAIT);
                LOG.infof("bulk job %s: chunk %d cancelled while it was verified; nothing of it audited or billed",
                        claim.jobId(), claim.chunkNo());
            }
            return false;
        }
        if (granted < answered) {
            long stopped = queue.stopForQuota(claim.jobId()).await().atMost(WAIT);
            LOG.infof("bulk job %s: the contract's monthly quota is reached; %d lines not verified", claim.jobId(),
                    stopped + tally.quotaExceeded());
        }
        return true;
    }

    /**
     * A batch of lines through the interactive verification's matcher, their persons read together; a line refused
     * at upload keeps its problem, one with a claim the matcher cannot read is refused {@code invalid-claim}.
     */
    private List<Verified> verifyBatch(List<Line> batch, Instant stamped) {
        long started = System.nanoTime();
        Verified[] out = new Verified[batch.size()];
        List<VerificationService.Prepared> prepared = new ArrayList<>(batch.size());
        List<Integer> positions = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Line line = batch.get(i);
            String lookupId = LookupIds.next(stamped.toEpochMilli()).toString();
            if (line.request() == null) {
                out[i] = refused(line, lookupId, null, line.problemType(), line.problemDetail(), 400, started);
                continue;
            }
            VerificationRequest request;
            try {
                request = mapper.readValue(line.request(), VerificationRequest.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a stored bulk line is not a verification request", e);
            }
            try {
                prepared.add(verifications.prepare(lookupId, request));
                positions.add(i);
            } catch (ApiProblem problem) {
                out[i] = refused(line, lookupId, request.reference(), problem.name(), problem.detail(),
                        problem.status(), started);
            }
        }
        if (!prepared.isEmpty()) {
            // a failure here (the replica away) fails the chunk, which is tried again: no line is refused for it
            List<Answer> answers = verifications.verifyAll(prepared).await().atMost(WAIT);
            for (int k = 0; k < answers.size(); k++) {
                int i = positions.get(k);
                out[i] = answered(batch.get(i), prepared.get(k).verificationId(), answers.get(k), started);
            }
        }
        return List.of(out);
    }

    private Verified answered(Line line, String lookupId, Answer answer, long started) {
        return new Verified(line.lineNo(), answer.body(), java.util.UUID.fromString(lookupId),
                PersonalDataCalls.ANSWERED, answer.result(), answer.status(), true, micros(started));
    }

    private Verified refused(Line line, String lookupId, String reference, String type, String detail, int status,
                             long started) {
        return new Verified(line.lineNo(), LineResults.problem(mapper, lookupId, reference, type, detail),
                java.util.UUID.fromString(lookupId), PersonalDataCalls.REFUSED, type, status, false, micros(started));
    }

    /** The answered lines beyond the {@code granted} first are refused {@code quota-exceeded}, unbilled. */
    private List<Verified> overQuota(List<Verified> verified, int granted) {
        List<Verified> out = new ArrayList<>(verified.size());
        int kept = 0;
        ApiProblem quota = Problems.quotaExceeded(0);
        for (Verified line : verified) {
            if (line.billable() && kept++ >= granted) {
                out.add(new Verified(line.lineNo(), LineResults.problem(mapper, line.lookupId().toString(),
                        reference(line.result()), quota.name(), "the contract's monthly quota is used up"),
                        line.lookupId(), PersonalDataCalls.REFUSED, quota.name(), quota.status(), false,
                        line.latencyMicros()));
            } else {
                out.add(line);
            }
        }
        return out;
    }

    private String reference(String result) {
        try {
            var reference = mapper.readTree(result).path("reference");
            return reference.isTextual() ? reference.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Tally tally(List<Verified> lines) {
        int matched = 0;
        int partial = 0;
        int notMatched = 0;
        int errors = 0;
        int quota = 0;
        for (Verified line : lines) {
            switch (line.decision()) {
                case "MATCH" -> matched++;
                case "PARTIAL_MATCH" -> partial++;
                case "NO_MATCH" -> notMatched++;
                case "quota-exceeded" -> quota++;
                default -> errors++;
            }
        }
        return new Tally(matched, partial, notMatched, errors, quota);
    }

    /** The claim's lease as this worker holds it: renewed when a third of it has passed since the last renewal. */
    private final class Lease {

        private final Claim claim;
        private long renewedAt = System.nanoTime();

        Lease(Claim claim) {
            this.claim = claim;
        }

        /** False when the lease was lost (the chunk taken over, cancelled or ended): the worker gives the chunk up. */
        boolean renewIfDue() {
            if (System.nanoTime() - renewedAt < lease.toNanos() / 3) {
                return true;
            }
            renewedAt = System.nanoTime();
            if (queue.renew(claim, lease).await().atMost(WAIT)) {
                return true;
            }
            LOG.infof("bulk job %s: chunk %d given up, its lease was lost", claim.jobId(), claim.chunkNo());
            return false;
        }
    }

    /** A line's lookup record, rebuilt from what was stored: the same on every attempt. */
    private static LookupRecord record(Claim claim, Line line) {
        var job = claim.job();
        return new LookupRecord(line.lookupId().toString(), claim.stampedAt(), job.contractId().toString(),
                job.clientId(), job.operatorId(), job.purpose(), Product.BULK_VERIFY, line.kidc(), line.outcome(),
                line.decision(), List.of(), line.httpStatus(), line.billable(), line.latencyMicros())
                .withDetail("job=" + claim.jobId() + "&line=" + line.lineNo())
                .storable();
    }

    private static long micros(long started) {
        return (System.nanoTime() - started) / 1000;
    }
}
