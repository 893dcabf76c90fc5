"""``odoo-bin --addons-path=… social-stream -d DB``: the live sources of a database, until stopped.

Odoo finds the commands of addons only when ``--addons-path=…`` is the very first argument, before
the command's name (``bin/odoo`` passes it so).
"""
import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

import odoo
from odoo import SUPERUSER_ID, api
from odoo.cli import Command
from odoo.tools import config

from ..models.res_config_settings import STREAM_STALL_SECONDS
from ..tools.stream import StreamRunner

_logger = logging.getLogger(__name__)


class SocialStream(Command):
    """Stream the live sources of a database (Bluesky through Jetstream, Mastodon) until stopped"""

    name = "social-stream"

    def run(self, args):
        parser = argparse.ArgumentParser(
            prog=f"{Path(sys.argv[0]).name} {self.name}", allow_abbrev=False,
            description="Read the streams of the live sources of the database given by -d, and store their "
                        "mentions as they are posted, until SIGINT or SIGTERM. Other options are Odoo's.")
        parser.add_argument("--batch-size", type=int, default=500, help="items per batch at most (500)")
        parser.add_argument("--batch-seconds", type=float, default=0.1, help="longest wait before a batch (0.1)")
        parser.add_argument("--stall-seconds", type=float,
                            help="a connection silent this long is reconnected (default: the setting "
                                 "Silent Stream Timeout, 60 s unless changed)")
        parser.add_argument("--log-seconds", type=float, default=60.0, help="interval of the log lines (60)")
        parser.add_argument("--reload-seconds", type=float, default=30.0,
                            help="interval at which new or changed live sources are picked up (30)")
        parser.add_argument("--backoff-seconds", type=float, default=1.0,
                            help="first wait before reconnecting, doubled at each failure (1)")
        parser.add_argument("--sources", type=lambda text: [int(part) for part in text.split(",") if part.strip()],
                            help="stream only these sources (ids separated by commas); default: every live one")
        options, odoo_args = parser.parse_known_args(args)
        config.parser.prog = parser.prog
        config.parse_config(odoo_args, setup_logging=True)
        dbname = config["db_name"]
        if not dbname or "," in dbname:
            sys.exit("social-stream needs one database: -d DB")
        threading.current_thread().dbname = dbname
        registry = odoo.modules.registry.Registry(dbname)
        if options.stall_seconds is None:
            with registry.cursor() as cr:
                options.stall_seconds = STREAM_STALL_SECONDS.read(api.Environment(cr, SUPERUSER_ID, {}))
        runner = StreamRunner(
            registry, batch_size=options.batch_size, batch_seconds=options.batch_seconds,
            stall_seconds=options.stall_seconds, log_seconds=options.log_seconds,
            reload_seconds=options.reload_seconds, backoff_seconds=options.backoff_seconds,
            source_ids=options.sources)

        def stop(signum, _frame):
            _logger.info("Received %s: stopping the stream", signal.Signals(signum).name)
            runner.stop()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        runner.run()
