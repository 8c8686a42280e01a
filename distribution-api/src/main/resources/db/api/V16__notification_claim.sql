-- Webhook deliveries (SPEC §4.5), two corrections.
--
-- The retry budget counts from a notification's first delivery attempt, not from its creation: one queued behind a
-- slow receiver for longer than the budget still gets the whole back-off schedule. retry_since is set by the claim
-- that makes the first attempt, and cleared by a replay (the next attempt starts a fresh budget).
COMMENT ON COLUMN notification.retry_since IS
    'when the retry budget started: the first delivery attempt (again after a replay); NULL before it';

-- The claim reads, per endpoint, the first due notifications in (next_attempt_at, id) order through this index and
-- stops after a bounded window, whatever the number pending; a claimed notification's next_attempt_at is its lease's
-- end, so what is in flight is not due.
CREATE INDEX notification_due_by_contract ON notification (contract_id, next_attempt_at, id)
    WHERE webhook_state = 'PENDING';
DROP INDEX notification_due;
