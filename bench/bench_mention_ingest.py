"""Mention ingestion: N mentions into a database holding 100,000 contacts with profiles.

Three ways, measured in the same run:
- batch: ``social.mention._ingest`` on lists of 1,000 normalised items (what the pollers do);
- webhook: signed ``POST /social_crm/webhook/<id>`` requests of 100 items each, to an Odoo
  server started for the benchmark on 127.0.0.1;
- naive baseline: one item per call, as a client pushing mentions one by one would.
The baseline runs in a transaction rolled back at the end; what the batch and webhook runs
store (the lead job commits) is deleted afterwards, so that every run starts from the same data.
80 % of the authors are known profiles, 20 % new ones; one mention in twenty is a buying signal
whose lead (created or enriched) is queued by ingestion and made by the job ingestion wakes up,
timed on its own; every mention is scored and aggregated where
social_crm_reputation is installed; where social_crm_advocacy is, a points rule for positive
mentions (the default programme's: 10 points, 3 a week at most) makes their authors earn points.
The batch runs twice: plain, then routed (a source of a team with its working hours and 8 routing
rules: every mention is routed, assigned round-robin or to the least loaded agent, and given a
deadline in the team's business hours).
"""
import hashlib
import hmac
import json
from datetime import date, datetime

import requests

from common import Timer, ensure_contacts_with_profiles, environment, odoo_server, parse_args, report

TEXTS = [  # one buying signal (a quote request) in twenty mentions
    "Loving my new @acme phone! Battery lasts two days 😍",
    "Acme support has not answered me in 3 days. Really disappointed",
    "Unboxing the Acme tablet tonight, live at 8pm.",
    "The Acme app keeps crashing after the update!!!",
    "Acme's community forum answered my question within minutes. Love it.",
    "Delivery from Acme is late AGAIN. Terrible.",
    "Acme announced a new product line today.",
    "Just renewed my Acme subscription, worth every penny 👍",
    "My Acme phone screen cracked after a week. Not good at all.",
    "Acme event in Berlin next week, who is going?",
    "Shout-out to @acme for the fast delivery, thank you 🙏",
    "Worst checkout experience ever on the Acme store, payment failed twice.",
    "The new Acme laptop is GREAT!!! Best purchase this year.",
    "Does anyone know when the Acme store opens on Sunday?",
    "Been using Acme headphones for a month: superb sound, very comfortable.",
    "Acme, why is the battery draining so fast after the update? 👎",
    "Acme support sorted my issue in 10 minutes. Impressed!",
    "Comparing notes on the Acme tablet with my colleagues.",
    "The Acme app update looks nice, dark mode at last.",
    "How much does the Acme Pro cost for a team of 20? Need a quote.",
]
CONTACTS = 100_000
NAIVE_SIZE = 2_000


def items(prefix, size):
    for i in range(size):
        known = i % 5 != 0
        handle = f"bench{i % CONTACTS}" if known else f"new_{prefix}_{i}"[:15]
        yield {"id": f"{prefix}-{i}", "network": "x",
               "author": {"handle": handle, "name": f"Author {i}", "followers": i % 3000},
               "text": TEXTS[i % len(TEXTS)], "url": f"https://x.com/{handle}/status/{i}",
               "posted_at": f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:00:00Z", "lang": "en"}


def ensure_routing(database):
    """Fixture of the routed run (committed once, reused): a sales team of 5 salespeople with its
    own working hours (Odoo's standard 40 hours, 8 public holidays a year as leaves) and a response
    target of 4 business hours. Answers the team's id."""
    with environment(database, commit=True) as env:
        team = env["crm.team"].search([("name", "=", "bench routing team")], limit=1)
        if team:
            return team.id
        users = env["res.users"].create([{
            "name": f"Bench agent {i}", "login": f"bench_agent_{i}",
            "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])]} for i in range(5)])
        calendar = env["resource.calendar"].create({"name": "bench routing hours"})
        holidays = [date(year, month, day) for year in (2025, 2026, 2027)
                    for month, day in ((1, 1), (5, 1), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26))]
        env["resource.calendar.leaves"].create([{
            "name": f"bench holiday {day}", "calendar_id": calendar.id,
            "date_from": datetime.combine(day, datetime.min.time()),
            "date_to": datetime.combine(day, datetime.max.time().replace(microsecond=0))} for day in holidays])
        team = env["crm.team"].create({
            "name": "bench routing team", "resource_calendar_id": calendar.id, "social_response_hours": 4,
            "member_ids": [(6, 0, users.ids)]})
        return team.id


def add_routing_rules(env, team_id):
    """8 routing rules of the company, of every kind of condition and action (the run's: deleted
    after it, so that the plain runs route nothing)."""
    return env["social.routing.rule"].create([
        {"name": "bench quotes", "sequence": 1, "buying_signal": True, "team_id": team_id,
         "assign_mode": "least_loaded", "priority": "2"},
        {"name": "bench big voices", "sequence": 2, "min_reach": 2000, "team_id": team_id,
         "assign_mode": "round_robin", "priority": "1", "stop": False},
        {"name": "bench complaints", "sequence": 3, "keywords": "disappointed, terrible, crashing, cracked",
         "team_id": team_id, "assign_mode": "least_loaded", "priority": "1"},
        {"name": "bench french", "sequence": 4, "langs": "fr", "team_id": team_id, "assign_mode": "round_robin"},
        {"name": "bench mastodon", "sequence": 5, "network": "mastodon", "team_id": team_id,
         "assign_mode": "round_robin"},
        {"name": "bench events", "sequence": 6, "keywords": "event, berlin, live", "ignore": True},
        {"name": "bench store", "sequence": 7, "keywords": "store, checkout", "team_id": team_id,
         "assign_mode": "round_robin", "stop": False},
        {"name": "bench the rest", "sequence": 8, "team_id": team_id, "assign_mode": "round_robin"},
    ])


def bench_batch(database, size, routed=False):
    team_id = ensure_routing(database) if routed else None
    run = start_run(database, {"name": "bench batch routed" if routed else "bench batch",
                               **({"team_id": team_id} if routed else {})})
    try:
        with environment(database) as env:
            source = env["social.source"].browse(run["source_id"])
            payload = list(items(f"b{size}", size))
            # not measured: a first batch loads what a running server holds already (VADER's lexicon,
            # the buying-signal and keyword patterns, the registry's caches)
            env["social.mention"]._ingest(source, list(items(f"warm{size}", 1000)))
            with Timer() as timer:
                for start in range(0, size, 1000):
                    result = env["social.mention"]._ingest(source, payload[start:start + 1000])
                    assert not result["errors"], result["errors"][:3]
            if routed:
                env.cr.execute("""
                    SELECT COUNT(*), COUNT(*) FILTER (WHERE user_id IS NOT NULL),
                           COUNT(*) FILTER (WHERE state = 'ignored'), COUNT(*) FILTER (WHERE priority <> '0'),
                           COUNT(*) FILTER (WHERE response_due_at IS NOT NULL)
                      FROM social_mention WHERE source_id = %s AND external_id LIKE %s
                """, [source.id, f"b{size}-%"])
                total, assigned, ignored, urgent, due = env.cr.fetchone()
                assert total == size and assigned and ignored and urgent, (total, assigned, ignored, urgent)
                print(f"routed: {assigned:,} assigned, {ignored:,} ignored, {urgent:,} prioritised, "
                      f"{due:,} with a deadline, of {total:,}", flush=True)
            # the leads of the buying signals, queued by ingestion, created by the job it wakes up
            # (which commits its batches, mentions included)
            with Timer() as lead_timer:
                signals = env["social.mention"]._cron_create_signal_leads()
    finally:
        remove_run(database, run, [f"new_b{size}_%", f"new_warm{size}_%"])
    if routed:
        report("batch ingestion, routed, deadlines in the team's hours (1,000 per call)", size, timer.seconds,
               "mentions")
        return size / timer.seconds
    report("batch ingestion (1,000 per call)", size, timer.seconds, "mentions")
    report("then the queued leads (job woken up by ingestion)", signals, lead_timer.seconds, "signals")
    report("ingestion and leads together", size, timer.seconds + lead_timer.seconds, "mentions")
    return size / timer.seconds


def add_advocacy_rule(env):
    """The default programme's rule for positive mentions, where social_crm_advocacy is installed
    (a copy of it, first in sequence: the actions it awards are the run's, deleted after it)."""
    if "social.advocacy.rule" not in env:
        return None
    return env["social.advocacy.rule"].create({
        "name": "bench positive mention", "action_type": "positive_mention", "points": 10, "sequence": 0,
        "min_sentiment": 0.3, "cap_period": "week", "cap_count": 3,
    })


def start_run(database, source_vals):
    """Create (and commit) the source of a run, the advocacy rule where the addon is installed and,
    for a source of a team, the routing rules; note what :func:`remove_run` will need."""
    with environment(database, commit=True) as env:
        source = env["social.source"].create({"source_type": "webhook", "network": "x", **source_vals})
        rule = add_advocacy_rule(env)
        routing = add_routing_rules(env, source.team_id.id) if source.team_id else env["social.routing.rule"]
        env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM crm_lead")
        return {"source_id": source.id, "rule_id": rule and rule.id, "last_lead_id": env.cr.fetchone()[0],
                "routing_ids": routing.ids}


def remove_run(database, run, profile_patterns):
    """Delete what a run stored: its source, mentions, new profiles, leads and their activities,
    advocacy rule and actions (the authors' points are computed again without them)."""
    with environment(database, commit=True) as env:
        source_id = run["source_id"]
        env.cr.execute("DELETE FROM crm_lead WHERE id > %s", [run["last_lead_id"]])
        env.cr.execute("DELETE FROM mail_activity WHERE res_model = 'social.mention' AND res_id IN "
                       "(SELECT id FROM social_mention WHERE source_id = %s)", [source_id])
        if run["rule_id"]:
            env.cr.execute("DELETE FROM social_advocacy_action WHERE rule_id = %s RETURNING partner_id",
                           [run["rule_id"]])
            partners = env["res.partner"].browse({row[0] for row in env.cr.fetchall()})
            env.cr.execute("DELETE FROM social_advocacy_rule WHERE id = %s", [run["rule_id"]])
            partners._advocacy_recompute_points()
        env.cr.execute("DELETE FROM social_mention WHERE source_id = %s", [source_id])
        env["social.routing.rule"].browse(run.get("routing_ids", [])).unlink()
        env.cr.execute("DELETE FROM social_profile WHERE handle LIKE ANY(%s)", [profile_patterns])
        env["social.source"].browse(source_id).unlink()


def bench_naive(database):
    with environment(database) as env:
        source = env["social.source"].create({"name": "bench naive", "source_type": "webhook", "network": "x"})
        add_advocacy_rule(env)
        payload = list(items("naive", NAIVE_SIZE))
        with Timer() as timer:
            for item in payload:
                env["social.mention"]._ingest(source, [item])
    report("naive baseline (1 per call)", NAIVE_SIZE, timer.seconds, "mentions")
    return NAIVE_SIZE / timer.seconds


def bench_webhook(args, size):
    secret = "bench-secret"
    run = start_run(args.database, {"name": "bench webhook", "webhook_secret": secret})
    session = requests.Session()
    try:
        with odoo_server(args) as (base_url, _server):
            url = f"{base_url}/social_crm/webhook/{run['source_id']}"
            payload = list(items(f"w{size}", size))
            created = 0
            with Timer() as timer:
                for start in range(0, size, 100):
                    body = json.dumps({"mentions": payload[start:start + 100]}).encode()
                    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
                    answer = session.post(url, data=body, timeout=60, headers={
                        "Content-Type": "application/json", "X-Social-CRM-Signature": f"sha256={signature}"})
                    answer.raise_for_status()
                    created += answer.json()["created"]
            assert created == size, f"{created} of {size} created"
    finally:
        remove_run(args.database, run, [f"new_w{size}_%"])
    report("webhook (100 per request)", size, timer.seconds, "mentions")


def main():
    args = parse_args()
    ensure_contacts_with_profiles(args.database, CONTACTS)
    print("| benchmark | mentions | time | rate |\n| --- | ---: | ---: | ---: |")
    rates = [bench_batch(args.database, size) for size in args.sizes]
    # the same batches with the routing rules and business-hours deadlines of a team, in the same run
    routed = [bench_batch(args.database, size, routed=True) for size in args.sizes]
    naive = bench_naive(args.database)
    for size in args.sizes:
        bench_webhook(args, size)
    print(f"\nbatch / naive: {rates[-1] / naive:.1f}x", flush=True)
    print(f"routed / plain batch: {routed[-1] / rates[-1]:.0%}", flush=True)


if __name__ == "__main__":
    main()
