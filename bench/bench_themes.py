"""Themes: key phrase extraction, the rebuild of the daily themes and "what changed" on 1,000,000 mentions.

Fixture: the 1,000,000 mentions of bench_reputation.py (committed once), given key phrases in
SQL (committed once too), since the extraction rate is measured on its own: six terms each, drawn
from a vocabulary of 20,000 with a long tail (term k about as often as 1/k), and "battery" in
30 % of the negative mentions of the last 7 days against 2 % before.

Measured, each in a transaction rolled back at the end:
(a) the extractor (YAKE) on 20,000 texts of 8 to 40 words (mentions/s);
(b) the series' extraction step on the 5,000 newest mentions, database reads and writes included;
(c) the rebuild of every day's themes from the mentions' key phrases (as the series' job does
    after *Rebuild all*);
(d) "what changed": the last 7 days' negative mentions against the 28 days before, for the
    company and for one product (target: 2 s or less).
"""
import os
import random
from datetime import date, timedelta

from bench_reputation import CONTACTS, ensure_mentions, row

from common import Timer, ensure_contacts_with_profiles, environment, parse_args

VOCABULARY = 20_000
EXTRACTION_SIZE = 20_000
STEP_SIZE = 5_000
WORDS = ("battery screen delivery refund support update camera charger parcel store app order price warranty "
         "speaker keyboard colour size login payment invoice courier bluetooth wifi sound fast slow broken late "
         "great awful lovely terrible cheap expensive happy angry week today again never always finally").split()


def ensure_terms(database, source_id):
    with environment(database, commit=True) as env:
        env.cr.execute("SELECT count(*) FROM social_mention WHERE source_id = %s AND theme_terms IS NULL", [source_id])
        if not env.cr.fetchone()[0]:
            return
        print("creating fixture: key phrases of 1,000,000 mentions …", flush=True)
        with Timer() as timer:
            env.cr.execute("""
                UPDATE social_mention m
                   SET theme_terms = concat_ws('|',
                       CASE WHEN m.sentiment_label = 'negative' AND random() < CASE
                                 WHEN m.posted_at >= (now() AT TIME ZONE 'UTC') - interval '7 days'
                                 THEN 0.3 ELSE 0.02 END
                            THEN 'battery' END,
                       'term' || floor(%(v)s ^ random()), 'term' || floor(%(v)s ^ random()),
                       'term' || floor(%(v)s ^ random()), 'term' || floor(%(v)s ^ random()),
                       'term' || floor(%(v)s ^ random()), 'term' || floor(%(v)s ^ random()))
                 WHERE m.source_id = %(source)s
            """, {"v": VOCABULARY, "source": source_id})
            env.cr.execute("ANALYZE social_mention")
        print(f"fixture: key phrases set in {timer.seconds:.1f} s", flush=True)


def bench_extractor():
    from odoo.addons.social_crm_reputation.lib import themes  # noqa: PLC0415 - importable once a registry is up

    rng = random.Random(42)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40))) for _ in range(EXTRACTION_SIZE)]
    extractor = themes.PhraseExtractor(ignored=["acme"])
    with Timer() as timer:
        extracted = [extractor.extract_joined(text, "en") for text in texts]
    assert sum(bool(terms) for terms in extracted) > EXTRACTION_SIZE * 0.99
    row("(a) key phrase extraction (YAKE, 8-40 words)", EXTRACTION_SIZE, timer.seconds, "mentions")


def bench_extraction_step(database, source_id):
    with environment(database) as env:
        env.cr.execute("""
            UPDATE social_mention SET theme_terms = NULL WHERE id IN (
                SELECT id FROM social_mention WHERE source_id = %s ORDER BY posted_at DESC LIMIT %s)
        """, [source_id, STEP_SIZE])
        with Timer() as timer:
            extracted = env["social.theme.daily"]._extract_pending(limit=STEP_SIZE)
        assert extracted == STEP_SIZE, extracted
        row("(b) extraction step of the series' job (read, extract, write, days rebuilt)", extracted,
            timer.seconds, "mentions")


def bench_rebuild_and_changes(database):
    with environment(database) as env:
        Themes = env["social.theme.daily"]
        with Timer() as timer:
            Themes._refresh_all()  # marks every day stale: the series' job rebuilds them
            Themes._refresh_stale(lambda step: step())
        env.cr.execute("SELECT count(*), COALESCE(sum(mention_count), 0) FROM social_theme_daily")
        rows, occurrences = env.cr.fetchone()
        env.cr.execute("ANALYZE social_theme_daily")
        row(f"(c) rebuild of every day's themes ({rows:,} rows, {occurrences:,} theme occurrences)", 1_000_000,
            timer.seconds, "mentions")
        company = env.company
        today = date.today()
        start = today - timedelta(days=6)
        with Timer() as timer:
            changes = Themes.get_changes(start, today, [("company_id", "=", company.id)])
        assert changes and changes[0]["term"] == "battery", changes[:3]
        row(f"(d) what changed, 7 days against 28, whole company (first: {changes[0]['term']}, "
            f"z = {changes[0]['z']:.1f})", 1_000_000, timer.seconds, "mentions", target=2)
        env.cr.execute("SELECT product_id FROM social_theme_daily WHERE product_id IS NOT NULL LIMIT 1")
        product = env.cr.fetchone()
        if product:
            with Timer() as timer:
                Themes.get_changes(start, today, [("company_id", "=", company.id), ("product_id", "=", product[0])])
            row("(d) what changed, one product", 1_000_000, timer.seconds, "mentions", target=2)


def main():
    args = parse_args()
    ensure_contacts_with_profiles(args.database, CONTACTS)
    source_id = ensure_mentions(args.database)
    ensure_terms(args.database, source_id)
    print(f"machine load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print("| benchmark | size | time | rate |\n| --- | ---: | ---: | ---: |")
    bench_extractor()
    bench_extraction_step(args.database, source_id)
    bench_rebuild_and_changes(args.database)
    print(f"machine load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
