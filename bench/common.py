"""Shared plumbing of the benchmarks: an Odoo environment on the bench database, and timing.

Each benchmark is a script run by ``make bench`` (tools/devenv.py) as
``python bench/bench_x.py --config .local/odoo.conf --database social_crm_bench``.
Fixture data is committed once (and reused by later runs); what is measured runs in a
transaction that is rolled back, so every run measures the same thing.
"""
import argparse
import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated data sizes")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["--config", args.config, "--database", args.database, "--log-level", "warn"])
    args.sizes = [int(size) for size in args.sizes.split(",")]
    return args


@contextlib.contextmanager
def environment(database, commit=False):
    """An environment as superuser on ``database``; rolled back unless ``commit``."""
    registry = Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
        try:
            yield env
        finally:
            if commit:
                cr.commit()
            else:
                cr.rollback()


class Timer:
    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started


def report(name, size, seconds, unit="items"):
    rate = size / seconds if seconds else float("inf")
    print(f"| {name} | {size:,} | {seconds:.2f} s | {rate:,.0f} {unit}/s |", flush=True)


def ensure_contacts_with_profiles(database, size):
    """Fixture shared by the benchmarks: ``size`` contacts, each with an e-mail and an X profile
    ``bench<i>``; created once and committed, then reused."""
    with environment(database, commit=True) as env:
        existing = env["social.profile"].search_count([("handle", "=like", "bench%")])
        if existing >= size:
            return
        print(f"creating fixture: {size - existing:,} contacts with profiles …", flush=True)
        for start in range(existing, size, 5000):
            stop = min(start + 5000, size)
            partners = env["res.partner"].create([
                {"name": f"Bench Contact {i}", "email": f"bench.contact{i}@example.com"}
                for i in range(start, stop)])
            env["social.profile"].create([
                {"partner_id": partner.id, "network": "x", "handle": f"bench{i}", "followers": i % 5000}
                for i, partner in zip(range(start, stop), partners, strict=True)])
            env.cr.commit()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def odoo_server(args, *odoo_args):
    """An Odoo server on ``args.database``, on a free port of 127.0.0.1 and without cron threads,
    answering ``/web/health``; yields its base URL and the process, terminated on exit."""
    port = free_port()
    odoo_bin = Path(sys.modules["odoo"].__file__).parent.parent / "odoo-bin"
    server = subprocess.Popen([sys.executable, str(odoo_bin), "--config", args.config, "--database", args.database,
                               "--db-filter", f"^{args.database}$", "--http-interface", "127.0.0.1",
                               "--http-port", str(port), "--log-level", "warn", "--max-cron-threads", "0",
                               *odoo_args], env=dict(os.environ))
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(120):
            try:
                requests.get(f"{base_url}/web/health", timeout=10)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        yield base_url, server
    finally:
        server.terminate()
        server.wait(timeout=30)
