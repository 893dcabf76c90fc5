"""Webhook fuzz soak: signed adversarial bodies mixed with good items, sent to a real Odoo server.

``--sizes N`` (first value; 10,000 by default) bodies are sent to a server started for the run on
127.0.0.1, one after the other (concurrent senders are the matter of another benchmark: here
every answer tells of the items of its body alone). Nine bodies in ten are well-formed and mix good items with
adversarial ones (any JSON value, nesting of hundreds of levels, NUL, lone surrogates, huge
numbers, wrong types in every field, the dates and URLs that once broke a batch); the tenth is
adversarial as a whole (not JSON, not UTF-8, truncated, wrong shape, wrong signature or content
type), holding no good item. The run is bounded in count and in time (``MAX_SECONDS``) and
deterministic (a fixed seed). Reported: answers by status, 5xx (target 0), good items lost, that
is sent but not stored exactly once (target 0), and whether the server still answers at the end.
What the run stored is deleted afterwards.
"""
import hashlib
import hmac
import json
import random
import signal
import sys
import time
from collections import Counter

import requests

from common import Timer, environment, odoo_server, parse_args

SECRET = "fuzz-secret"
SOURCE_NAME = "fuzz webhook"
SEED = 19
MAX_SECONDS = 2100
HANDLES = [f"fuzz_fan_{i}" for i in range(50)]
ITEM_KEYS = ["id", "network", "author", "text", "url", "posted_at", "lang", "parent_id"]
AUTHOR_KEYS = ["handle", "url", "name", "followers", "email", "phone"]
ODD_STRINGS = [
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "\u202e\u200b", "😀" * 3, "\\N", "\t\n\r", "null", "NaN",
    "https://[x", "javascript://x.com/acme", "javascript:alert(1)", "http://", "x.com/status/1", "@", "two words",
    "0001-01-01T00:00:00+01:00", "2026-11-01T10:00:00+99:00", "9999-12-31T23:59:59-23:59", "١٢٣", "u/", "in/",
    "<script>alert(1)</script>", "a" * 300, "x" * 3000, "x", "mastodon", "facebook",
]
ODD_NUMBERS = [0, -1, 2**31, -2**31 - 1, 2**63, 10**20, 10**400, 1e308, -0.0, 0.5, 1e-320]
DEEP = "__deep__"


class Fuzzer:
    """Items and bodies drawn from one seeded generator."""

    def __init__(self, seed):
        self.random = random.Random(seed)
        self.serial = 0

    def text(self):
        pick = self.random.random()
        if pick < 0.5:
            return self.random.choice(ODD_STRINGS)
        return "".join(chr(self.random.choice([self.random.randrange(0, 0x80), self.random.randrange(0, 0x110000)]))
                       for _ in range(self.random.randrange(0, 30)))

    def value(self, depth=0):
        """Any JSON value: scalars, small containers, or a marker for a deep nesting."""
        pick = self.random.random()
        if depth < 3 and pick < 0.15:
            return [self.value(depth + 1) for _ in range(self.random.randrange(0, 4))]
        if depth < 3 and pick < 0.3:
            return {self.random.choice([*ITEM_KEYS, self.text()]): self.value(depth + 1)
                    for _ in range(self.random.randrange(0, 4))}
        return self.random.choice([
            None, True, False, DEEP, self.random.choice(ODD_NUMBERS), self.random.randrange(-10**6, 10**6),
            self.text(), self.text(), self.random.uniform(-1e12, 1e12)])

    def good_item(self):
        self.serial += 1
        handle = self.random.choice(HANDLES)
        return {"id": f"fuzz-good-{self.serial}", "network": "x",
                "author": {"handle": handle, "name": "Fuzz Fan", "followers": self.serial % 5000},
                "text": f"Fuzz mention {self.serial} 😀", "url": f"https://x.com/{handle}/status/{self.serial}",
                "posted_at": "2026-11-01T10:00:00Z", "lang": "en"}

    def bad_item(self):
        if self.random.random() < 0.25:
            return self.value()
        item = self.good_item()
        item["id"] = f"fuzz-bad-{self.serial}"
        for _change in range(self.random.randrange(1, 4)):
            target, keys = (item, ITEM_KEYS) if self.random.random() < 0.6 else (item.get("author"), AUTHOR_KEYS)
            if not isinstance(target, dict):
                continue
            key = self.random.choice(keys)
            if self.random.random() < 0.15:
                target.pop(key, None)
            else:
                target[key] = self.value()
        return item

    def body(self):
        """``(bytes, signature, content type, ids of its good items)``."""
        items, good = [], []
        for _ in range(self.random.randrange(1, 9)):
            if self.random.random() < 0.5:
                items.append(self.good_item())
                good.append(items[-1]["id"])
            else:
                items.append(self.bad_item())
        depth = self.random.choice([2, 50, 300, 800])
        body = json.dumps({"mentions": items}).replace(json.dumps(DEEP), "[" * depth + "]" * depth).encode()
        if self.random.random() < 0.1:
            return self.broken_body(body)
        return body, sign(body), "application/json", good

    def broken_body(self, body):
        kind = self.random.randrange(7)
        if kind == 0:
            body = body[:self.random.randrange(1, len(body))]
        elif kind == 1:
            body = body.replace(b"Fuzz", b"F\xffzz")
        elif kind == 2:
            body = json.dumps({"mentions": {"id": "1"}}).encode()
        elif kind == 3:
            body = json.dumps(self.value()).encode()
        elif kind == 4:
            body = b'{"mentions": [' * 5000
        if kind == 5:
            return body, sign(body + b"x"), "application/json", []
        if kind == 6:
            return body, sign(body), "text/plain", []
        return body, sign(body), "application/json", []


def sign(body):
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def no_none(value):
    if value is None:
        return False
    if isinstance(value, dict):
        return all(no_none(child) for child in value.values())
    if isinstance(value, list):
        return all(no_none(child) for child in value)
    return True


def send_all(url, bodies, deadline):
    """Send ``bodies`` one after the other, until done or ``deadline``; answer the counts of statuses
    and faults, the ids of the good items sent and the number of bodies left unsent."""
    statuses, problems, sent_good = Counter(), Counter(), []
    session = requests.Session()
    for number, (body, signature, content_type, good) in enumerate(bodies, 1):
        if time.monotonic() > deadline:
            return statuses, problems, sent_good, len(bodies) - number + 1
        sent_good.extend(good)
        try:
            response = session.post(url, data=body, timeout=120, headers={
                "Content-Type": content_type, "X-Social-CRM-Signature": signature})
        except requests.RequestException as error:
            statuses[f"no answer ({type(error).__name__})"] += 1
            continue
        statuses[response.status_code] += 1
        if response.status_code != 200:
            if good:
                problems["well-formed body not answered 200"] += 1
        else:
            answer = response.json()
            if not no_none(answer):
                problems["answer holding None"] += 1
            if any(error["id"] in good for error in answer["errors"]):
                problems["good item answered as an error"] += 1
        if number % 1000 == 0:
            print(f"{number:,} bodies sent: {dict(statuses)}", flush=True)
    return statuses, problems, sent_good, 0


def remove_sources(env, sources):
    """Delete ``sources`` (of this run, or of a run that was stopped) with their mentions and failed items."""
    if sources:
        env.cr.execute("DELETE FROM social_mention WHERE source_id = ANY(%s)", [sources.ids])
        sources.unlink()


def main():
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit("stopped"))  # stopped: still clean up
    args = parse_args()
    count = args.sizes[0]
    fuzzer = Fuzzer(SEED)
    bodies = [fuzzer.body() for _ in range(count)]
    with environment(args.database, commit=True) as env:
        remove_sources(env, env["social.source"].with_context(active_test=False).search([("name", "=", SOURCE_NAME)]))
        source = env["social.source"].create(
            {"name": SOURCE_NAME, "source_type": "webhook", "network": "x", "webhook_secret": SECRET})
        source_id = source.id
        env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM social_profile")
        last_profile_id = env.cr.fetchone()[0]
    try:
        with odoo_server(args) as (base_url, server):
            with Timer() as timer:
                statuses, problems, sent_good, unsent = send_all(
                    f"{base_url}/social_crm/webhook/{source_id}", bodies, time.monotonic() + MAX_SECONDS)
            try:
                alive = requests.get(f"{base_url}/web/health", timeout=30).status_code == 200
            except requests.RequestException:
                alive = False
            alive = alive and server.poll() is None
        with environment(args.database) as env:
            env.cr.execute("SELECT external_id, count(*) FROM social_mention WHERE source_id = %s"
                           " AND external_id LIKE 'fuzz-good-%%' GROUP BY external_id", [source_id])
            stored = dict(env.cr.fetchall())
            env.cr.execute("SELECT count(*) FROM social_mention_quarantine WHERE source_id = %s", [source_id])
            quarantined = env.cr.fetchone()[0]
    finally:
        with environment(args.database, commit=True) as env:
            remove_sources(env, env["social.source"].browse(source_id))
            env["social.profile"].with_context(active_test=False).search([("id", ">", last_profile_id)]).unlink()
    sent = count - unsent
    lost = [good_id for good_id in sent_good if stored.get(good_id) != 1]
    server_errors = sum(number for status, number in statuses.items() if isinstance(status, int) and status >= 500)
    print(f"| measure | value | target |\n| --- | ---: | --- |\n"
          f"| bodies sent (signed, 10 % broken as a whole) | {sent:,} of {count:,} in {timer.seconds:.0f} s"
          f" ({sent / timer.seconds:.0f}/s) | ≥ 10,000 |\n"
          f"| answers by status | {', '.join(f'{s}: {n:,}' for s, n in sorted(statuses.items(), key=str))} | |\n"
          f"| 5xx answers | {server_errors} | 0 |\n"
          f"| good items sent | {len(sent_good):,} | |\n"
          f"| good items lost (not stored exactly once) | {len(lost)} | 0 |\n"
          f"| bad items quarantined | {quarantined:,} | |\n"
          f"| other faults (None in an answer, good item reported) | {sum(problems.values())} {dict(problems)} | 0 |\n"
          f"| server alive at the end | {'yes' if alive else 'NO'} | yes |", flush=True)
    if server_errors or lost or problems or not alive or unsent:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
