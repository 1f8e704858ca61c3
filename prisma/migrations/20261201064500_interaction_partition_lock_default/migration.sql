-- interaction_partition_create, as in 20261201060000_interaction_partitions, but it locks the default partition
-- before it moves the month's rows out: a row of that month inserted between the move and the ATTACH would
-- have stayed in the default partition and made the ATTACH fail. The default partition holds nothing in
-- normal operation, so the lock (ACCESS EXCLUSIVE, which ATTACH takes anyway) is brief; it waits at most 5 s.
CREATE OR REPLACE FUNCTION "interaction_partition_create"(month TIMESTAMP, source REGCLASS DEFAULT '"Interaction_default"')
RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
  lo TIMESTAMP := date_trunc('month', month);
  hi TIMESTAMP := date_trunc('month', month) + INTERVAL '1 month';
  part TEXT := 'Interaction_y' || to_char(date_trunc('month', month), 'YYYY') || 'm' || to_char(date_trunc('month', month), 'MM');
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('Interaction partitions'));
  IF to_regclass(format('%I', part)) IS NOT NULL THEN
    RETURN FALSE;
  END IF;
  PERFORM set_config('lock_timeout', '5s', TRUE);
  LOCK TABLE "Interaction_default" IN ACCESS EXCLUSIVE MODE;
  EXECUTE format('CREATE TABLE %I (LIKE "Interaction" INCLUDING DEFAULTS)', part);
  -- The bound as a constraint up front: rows are checked as they arrive and ATTACH need not scan them again.
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK ("startedAt" >= %L AND "startedAt" < %L)',
    part, part || '_bound', lo, hi);
  IF source = '"Interaction_default"'::regclass THEN
    EXECUTE format('WITH moved AS (DELETE FROM "Interaction_default" WHERE "startedAt" >= %L AND "startedAt" < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
      lo, hi, part);
  ELSE
    EXECUTE format('INSERT INTO %I SELECT * FROM %s WHERE "startedAt" >= %L AND "startedAt" < %L', part, source, lo, hi);
  END IF;
  EXECUTE format('ALTER TABLE "Interaction" ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', part, part || '_bound');
  RETURN TRUE;
END
$$;
