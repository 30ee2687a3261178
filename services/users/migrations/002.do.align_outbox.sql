ALTER TABLE outbox RENAME COLUMN position TO seq;
ALTER TABLE outbox RENAME COLUMN event_id TO id;
ALTER SEQUENCE outbox_position_seq RENAME TO outbox_seq_seq;
ALTER INDEX outbox_event_id_key RENAME TO outbox_id_key;
ALTER TABLE outbox ADD COLUMN trace_context jsonb;
