-- why a held event is malformed, as found when it arrived (some reasons cannot be read from the event again: its
-- Kafka record's key did not match its KIdC, or the database refused it); NULL for a well-formed event
ALTER TABLE held_event ADD COLUMN problem text;
