"""Reputation: sentiment scoring, customer reputation (full and incremental) and the daily series.

Fixture (committed once, reused by later runs): 1,000,000 mentions of the 100,000 bench contacts
(profiles ``bench<i>``, 10 mentions each), posted over the last 365 days, inserted with one
``INSERT … SELECT generate_series``. Their sentiment columns are filled in SQL from texts scored
once, since the scoring rate is measured on its own. All of them belong to the source
"bench reputation", which identifies the fixture.

Measured, each in a transaction rolled back at the end:
(a) the Scorer on 100,000 texts (mentions/s);
(b) a full recompute of the reputation of every contact with mentions: prior estimation, then
    the scores (target: 10 s or less for 1,000,000 mentions);
(c) the incremental run with 1 % of the contacts flagged dirty, after (b) (target: 1 s or less);
(d) a rebuild of the whole daily series (``social.reputation.daily._refresh_all``).
"""
import os

from common import Timer, ensure_contacts_with_profiles, environment, parse_args


def get_scorer():
    # importable once a registry has set up odoo.addons' path (ensure_contacts_with_profiles does)
    from odoo.addons.social_crm_reputation.models.social_mention import get_scorer as addon_get_scorer  # noqa: PLC0415

    return addon_get_scorer()

CONTACTS = 100_000
MENTIONS = 1_000_000
SCORING_SIZE = 100_000
SOURCE_NAME = "bench reputation"
TEXTS = [
    "Loving my new @acme phone! Battery lasts two days 😍",
    "Acme support has not answered me in 3 days. Really disappointed",
    "How much does the Acme Pro cost for a team of 20? Need a quote.",
    "Unboxing the Acme tablet tonight, live at 8pm.",
    "The Acme app keeps crashing after the update!!!",
    "Best customer service ever, thank you Acme :)",
    "Meh. The new Acme watch is ok I guess.",
]  # 7 texts: 7 does not divide 100,000, so each contact gets a mix of them


def ensure_mentions(database):
    with environment(database, commit=True) as env:
        source = env["social.source"].search([("name", "=", SOURCE_NAME)], limit=1)
        if source and env["social.mention"].search_count([("source_id", "=", source.id)]) >= MENTIONS:
            return source.id
        if not source:
            source = env["social.source"].create({"name": SOURCE_NAME, "source_type": "webhook", "network": "x"})
        print(f"creating fixture: {MENTIONS:,} mentions …", flush=True)
        env.cr.execute("DELETE FROM social_mention WHERE source_id = %s", [source.id])
        scored = get_scorer().score_many(TEXTS, ["en"] * len(TEXTS))
        with Timer() as timer:
            env.cr.execute("""
                WITH profile AS (
                    SELECT id, partner_id, handle, followers, (row_number() OVER (ORDER BY id) - 1)::int AS rn
                      FROM social_profile WHERE handle LIKE 'bench%%' AND partner_id IS NOT NULL
                     ORDER BY id LIMIT %(contacts)s)
                INSERT INTO social_mention (
                       source_id, company_id, network, external_id, profile_id, partner_id, author_handle, body,
                       lang, detected_lang, posted_at, reach, state, sentiment_score, sentiment_label,
                       create_uid, create_date, write_uid, write_date)
                SELECT %(source)s, %(company)s, 'x', 'rep-' || g, p.id, p.partner_id, p.handle,
                       (%(texts)s::text[])[1 + g %% %(n)s], 'en', 'en',
                       (now() AT TIME ZONE 'UTC') - make_interval(days => g %% 365, hours => g %% 24),
                       p.followers, 'new',
                       (%(scores)s::float8[])[1 + g %% %(n)s], (%(labels)s::varchar[])[1 + g %% %(n)s],
                       1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
                  FROM generate_series(0, %(mentions)s - 1) AS g
                  JOIN profile p ON p.rn = g %% %(contacts)s
            """, {"source": source.id, "company": source.company_id.id, "contacts": CONTACTS, "mentions": MENTIONS,
                  "texts": TEXTS, "n": len(TEXTS), "scores": [score for score, _label, _lang in scored],
                  "labels": [label for _score, label, _lang in scored]})
            inserted = env.cr.rowcount
            env.cr.execute("ANALYZE social_mention")
        print(f"fixture: {inserted:,} mentions inserted in {timer.seconds:.1f} s", flush=True)
        return source.id


def row(name, size, seconds, unit, target=None):
    rate = f"{size / seconds:,.0f} {unit}/s" if seconds else "-"
    verdict = "" if target is None else (" ✓" if seconds <= target else f" ✗ (target {target:g} s)")
    print(f"| {name} | {size:,} | {seconds:.2f} s{verdict} | {rate} |", flush=True)


def bench_scoring():
    scorer = get_scorer()
    texts = [f"{TEXTS[i % len(TEXTS)]} #{i}" for i in range(SCORING_SIZE)]
    with Timer() as timer:
        results = scorer.score_many(texts, ["en"] * SCORING_SIZE)
    assert len(results) == SCORING_SIZE
    row("(a) sentiment scoring (Scorer, English)", SCORING_SIZE, timer.seconds, "mentions")


def bench_reputation(database, source_id):
    with environment(database) as env:
        Partner = env["res.partner"]
        env.cr.execute("SELECT count(*) FROM social_mention WHERE source_id = %s", [source_id])
        [[mentions]] = env.cr.fetchall()
        with Timer() as full_timer:
            count = Partner._recompute_all_social_reputation()  # prior estimated again, every contact
        row(f"(b) full reputation recompute, prior included ({count:,} contacts)", mentions, full_timer.seconds,
            "mentions", target=10)
        prior = Partner._social_reputation_prior()
        due = Partner._social_reputation_due_ids(prior, full=True)
        env.cr.execute("SELECT count(*) FROM res_partner WHERE social_reputation_evidence IS NOT NULL")
        assert env.cr.fetchone()[0] >= len(due) * 0.99, "every contact got a score"
        dirty = due[::100]
        Partner._mark_social_reputation_dirty(dirty)
        with Timer() as incremental_timer:
            # what _cron_recompute_reputation does, without its commits
            todo = Partner._social_reputation_due_ids(prior)
            Partner.browse(todo)._recompute_social_reputation(prior)
        assert len(todo) == len(dirty), (len(todo), len(dirty))
        row(f"(c) incremental recompute ({len(dirty):,} dirty contacts)", len(dirty) * (mentions // len(due)),
            incremental_timer.seconds, "mentions", target=1)
        with Timer() as value_timer:
            Partner._recompute_social_customer_value()
        row("customer value (12 months of sales, all contacts)", len(due), value_timer.seconds, "contacts")


def bench_daily(database):
    with environment(database) as env:
        with Timer() as timer:
            env["social.reputation.daily"]._refresh_all()
        env.cr.execute("SELECT count(*), COALESCE(sum(mention_count), 0) FROM social_reputation_daily")
        rows, mentions = env.cr.fetchone()
        row(f"(d) daily series rebuild ({rows:,} rows)", mentions, timer.seconds, "mentions")


def main():
    args = parse_args()
    ensure_contacts_with_profiles(args.database, CONTACTS)
    source_id = ensure_mentions(args.database)
    print(f"machine load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print("| benchmark | size | time | rate |\n| --- | ---: | ---: | ---: |")
    bench_scoring()
    bench_reputation(args.database, source_id)
    bench_daily(args.database)
    print(f"machine load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
