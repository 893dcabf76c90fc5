"""Standings and tier changes became per company (each from that company's actions only), and the
awards of capped rules are numbered within their period.

A standing or tier change of a partner whose actions are all of one company is that company's; the
others summed the points of several companies and go: the post-migration recompute writes each
company's standing afresh (and a tier change for each tier reached there). Queued advocates are
recomputed by it too."""


def _needs_company(cr, table):
    """Whether ``table`` exists without its company column (a version before standings per company)."""
    cr.execute("SELECT 1 FROM information_schema.tables WHERE table_name = %s", [table])
    if not cr.fetchone():
        return False
    cr.execute("SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = 'company_id'",
               [table])
    return not cr.fetchone()


def migrate(cr, version):
    tables = [table for table in ("social_advocacy_standing", "social_advocacy_tier_history")
              if _needs_company(cr, table)]
    if not tables:
        return
    cr.execute("""
        CREATE TEMPORARY TABLE advocacy_single_company ON COMMIT DROP AS
        SELECT partner_id, MIN(company_id) AS company_id FROM social_advocacy_action
      GROUP BY partner_id HAVING COUNT(DISTINCT company_id) = 1
    """)
    if "social_advocacy_standing" in tables:
        cr.execute("""ALTER TABLE social_advocacy_standing
                      DROP CONSTRAINT IF EXISTS social_advocacy_standing_partner_uniq""")
    for table in tables:
        cr.execute(f"""
            ALTER TABLE {table} ADD COLUMN company_id integer;
            UPDATE {table} t SET company_id = one.company_id
              FROM advocacy_single_company one WHERE one.partner_id = t.partner_id;
            DELETE FROM {table} WHERE company_id IS NULL;
        """)  # noqa: S608 - the two table names above
    cr.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'social_advocacy_standing_queue'")
    if cr.fetchone():
        cr.execute("DELETE FROM social_advocacy_standing_queue")
