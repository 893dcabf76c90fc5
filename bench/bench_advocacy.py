"""Advocacy: rolling points and tiers of 100,000 partners over a ledger of 1,000,000 actions.

Fixture (committed once, then reused): three tiers and 1,000,000 ``social_advocacy_action`` rows
over the 100,000 bench contacts, inserted by one ``INSERT … SELECT generate_series`` (dates spread
over the last 2 years, 5–200 points each, 10 actions per contact).
Measured, in a transaction rolled back at the end:
- cold recompute: the daily cron when every partner's points and tier change (first run);
- daily recompute when nothing changed since the last run (steady state);
- 1 % of the partners (1,000) earn a new action through the ORM (``create`` recomputes them);
- daily recompute after 1 % of the partners got new actions inserted behind the ORM's back.
"""
import os

from common import Timer, ensure_contacts_with_profiles, environment, parse_args

CONTACTS = 100_000
ACTIONS = 1_000_000
BENCH_NOTE = "bench-advocacy"
TIERS = [("Bench Bronze", 200), ("Bench Silver", 500), ("Bench Gold", 1000)]
TARGET_SECONDS = 5.0


def ensure_ledger(database):
    with environment(database, commit=True) as env:
        Tier = env["social.advocacy.tier"]
        existing = set(Tier.with_context(active_test=False).search([("name", "like", "Bench %")]).mapped("name"))
        Tier.create([{"name": name, "min_points": points} for name, points in TIERS if name not in existing])
        env.cr.execute("SELECT COUNT(*) FROM social_advocacy_action WHERE note = %s", [BENCH_NOTE])
        if env.cr.fetchone()[0] >= ACTIONS:
            return
        print(f"creating fixture: {ACTIONS:,} advocacy actions …", flush=True)
        env.cr.execute("DELETE FROM social_advocacy_action WHERE note = %s", [BENCH_NOTE])
        env.cr.execute("""
            WITH partners AS (
                SELECT array_agg(id ORDER BY id) AS ids FROM res_partner WHERE name LIKE 'Bench Contact %%'
            )
            INSERT INTO social_advocacy_action
                   (partner_id, action_type, points, date, note, company_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT partners.ids[1 + g %% cardinality(partners.ids)],
                   (ARRAY['positive_mention', 'share', 'review', 'community_answer', 'ugc'])[1 + g %% 5],
                   5 + (g::bigint * 7919) %% 196,
                   CURRENT_DATE - ((g::bigint * 104729) %% 730)::integer,
                   %s, %s, 1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
              FROM partners, generate_series(0, %s - 1) AS g
        """, [BENCH_NOTE, env.company.id, ACTIONS])
        env.cr.execute("ANALYZE social_advocacy_action")


def row(name, partners, seconds, changed):
    flag = "" if seconds <= TARGET_SECONDS else " (over target)"
    print(f"| {name} | {partners:,} | {changed:,} | {seconds:.2f} s{flag} |", flush=True)


def main():
    args = parse_args()
    ensure_contacts_with_profiles(args.database, CONTACTS)
    ensure_ledger(args.database)
    print(f"load at start: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print("| benchmark | partners | rows changed | time |\n| --- | ---: | ---: | ---: |")
    with environment(args.database) as env:
        Partner = env["res.partner"]
        Tier = env["social.advocacy.tier"]
        cr = env.cr
        # Start cold: nobody has points yet (not measured).
        cr.execute("DELETE FROM social_advocacy_standing")
        Partner.invalidate_model(["advocacy_standing_ids", "advocacy_points", "advocacy_tier_id"])

        def history_count():
            cr.execute("SELECT COUNT(*) FROM social_advocacy_tier_history")
            return cr.fetchone()[0]

        def changed_partners():
            cr.execute("SELECT COUNT(*) FROM social_advocacy_standing WHERE points <> 0")
            return cr.fetchone()[0]

        history = history_count()
        with Timer() as timer:
            Tier._cron_recompute_tiers()
        row("cold recompute, all partners change", CONTACTS, timer.seconds, changed_partners())
        print(f"<!-- tier history rows written: {history_count() - history:,} -->")

        with Timer() as timer:
            Tier._cron_recompute_tiers()
        row("daily recompute, nothing changed", CONTACTS, timer.seconds, 0)

        cr.execute("SELECT id FROM res_partner WHERE name LIKE 'Bench Contact %%' ORDER BY id LIMIT 2000")
        ids = [pid for (pid,) in cr.fetchall()]
        orm_ids, sql_ids = ids[:1000], ids[1000:]
        with Timer() as timer:
            env["social.advocacy.action"].create([
                {"partner_id": pid, "action_type": "manual", "points": 150, "note": BENCH_NOTE} for pid in orm_ids])
        row("1 % of partners earn an action (ORM create, 1,000 actions)", len(orm_ids), timer.seconds, len(orm_ids))

        cr.execute("""INSERT INTO social_advocacy_action (partner_id, action_type, points, date, note, company_id)
                      SELECT pid, 'manual', 150, CURRENT_DATE, %s, %s FROM unnest(%s) AS pid""",
                   [BENCH_NOTE, env.company.id, sql_ids])
        with Timer() as timer:
            Tier._cron_recompute_tiers()
        row("daily recompute after 1 % of partners got new actions", CONTACTS, timer.seconds, len(sql_ids))
    print(f"load at end: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
