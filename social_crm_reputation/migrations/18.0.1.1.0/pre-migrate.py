"""The reputation figures became per company: their single-value columns are dropped (the ORM
creates the per-company ones) and every contact that had figures is flagged, so the scheduled
action computes them again, each company from its own mentions."""


def migrate(cr, version):
    cr.execute("""SELECT 1 FROM information_schema.columns
                   WHERE table_name = 'res_partner' AND column_name = 'social_reputation_evidence'
                     AND data_type <> 'jsonb'""")
    if not cr.fetchone():
        return
    cr.execute("UPDATE res_partner SET social_reputation_dirty = TRUE WHERE social_reputation_evidence > 0")
    cr.execute("""ALTER TABLE res_partner DROP COLUMN social_reputation_score,
                  DROP COLUMN social_reputation_evidence, DROP COLUMN social_reputation_trend""")
