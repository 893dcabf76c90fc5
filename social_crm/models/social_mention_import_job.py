"""An import of a CSV file into a source: the stored file, its mapping and its progress."""
import csv
import hashlib
import logging
import threading
import time

from psycopg2 import OperationalError

from odoo import api, fields, models
from odoo.tools.misc import clean_context

from ..tools.csv_rows import iter_rows

_logger = logging.getLogger(__name__)

BATCH_SIZE = 1_000
SECONDS_PER_CALL = 20  # the cron runner calls again at once, ten times per run, while rows remain
MAX_REPORTED_ERRORS = 20
MAX_REPORTED_LINES = 50


class SocialMentionImportJob(models.Model):
    """The durable part of a CSV import, so that a large file is imported by a job, batch by batch.

    The file is kept as an attachment; ``position`` is the byte offset where the next batch
    starts, so each batch is committed on its own and an interrupted import resumes where it
    stopped. Small files run through the same batches at once, in the request of the user.
    The file is deleted once the import has ended: its rows are people's data, now stored as
    mentions or failed items (which erasure and export of a person's data reach), and a file
    cannot be erased row by row.
    """

    _name = "social.mention.import.job"
    _description = "Import of Social Mentions"
    _order = "id desc"

    name = fields.Char(string="File", required=True)
    source_id = fields.Many2one(comodel_name="social.source", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="source_id.company_id", store=True, index=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Started By", required=True,
                              default=lambda self: self.env.user)
    attachment_id = fields.Many2one(comodel_name="ir.attachment", string="Stored File", readonly=True,
                                    help="The uploaded file, kept until the import ends.")
    state = fields.Selection(
        selection=[("queued", "Waiting"), ("running", "In Progress"), ("done", "Done"), ("failed", "Failed")],
        default="queued", required=True, index=True, readonly=True)
    background = fields.Boolean(readonly=True, help="Imported by the scheduled job rather than at once.")

    # how to read the file (set when the import starts, from the user's choices)
    encoding = fields.Char(required=True, default="utf-8", readonly=True)
    delimiter = fields.Char(required=True, default=",", readonly=True)
    mapping = fields.Json(readonly=True, help="{target: column index}")
    width = fields.Integer(string="Columns", readonly=True)
    position = fields.Integer(readonly=True, help="Byte offset where the next batch starts.")
    line = fields.Integer(default=1, readonly=True, help="Line number at that offset.")

    # progress and result
    total_rows = fields.Integer(string="Rows", readonly=True)
    done_rows = fields.Integer(string="Rows Done", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    batch_count = fields.Integer(string="Batches", readonly=True)
    created_count = fields.Integer(string="Created", readonly=True)
    duplicate_count = fields.Integer(string="Already Known", readonly=True)
    opted_out_count = fields.Integer(string="Opted Out Authors", readonly=True)
    failed_count = fields.Integer(string="Failed", readonly=True)
    skipped_count = fields.Integer(string="Skipped (no text)", readonly=True)
    skipped_lines = fields.Char(readonly=True)
    result_errors = fields.Text(string="Errors", readonly=True)
    quarantine_from_id = fields.Integer(readonly=True, help="Failed items of this import have a greater id.")
    date_done = fields.Datetime(string="Finished On", readonly=True)

    @api.depends("done_rows", "total_rows")
    def _compute_progress(self):
        for job in self:
            job.progress = 100.0 * job.done_rows / job.total_rows if job.total_rows else 0.0

    @api.depends("name", "total_rows")
    def _compute_display_name(self):
        for job in self:
            job.display_name = self.env._("%(file)s (%(rows)s rows)", file=job.name, rows=job.total_rows)

    # ------------------------------------------------------------------ running

    def _run_now(self):
        """Import the whole file in this transaction (a small file)."""
        self.ensure_one()
        while self.state in ("queued", "running"):
            self._import_batch()

    def _schedule_import(self):
        """Have the file of ``self`` imported in the background: by the cron job, woken up here;
        social_crm_queue makes a job of each import instead."""
        self.env.ref("social_crm.ir_cron_import_mentions")._trigger()

    @api.model
    def _cron_import_mentions(self, seconds=SECONDS_PER_CALL):
        """Import the waiting files batch after batch, each batch committed, for about ``seconds``.

        The cron runner calls again at once while rows remain (``_notify_progress``); a new
        import wakes it up with ``_trigger()``.
        """
        jobs = self.search([("state", "in", ("queued", "running"))], order="id", limit=100)
        remaining = sum(job.total_rows - job.done_rows for job in jobs)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        deadline = time.monotonic() + seconds
        done = 0
        for job in jobs:
            while job.state in ("queued", "running"):
                before = job.done_rows
                job._import_next_batch()
                done += job.done_rows - before
                self.env["ir.cron"]._notify_progress(done=done, remaining=max(remaining - done, 0))
                if auto_commit:
                    # each batch is kept: the next call resumes at the stored position
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                if time.monotonic() >= deadline:
                    return

    def _import_next_batch(self):
        """:meth:`_import_batch` in a savepoint: an error ends this import as failed, not its caller."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._import_batch()
        except OperationalError:
            raise  # a concurrent update or a lost connection: the runner retries later
        except Exception as error:  # noqa: BLE001 (one broken import must not block the others)
            _logger.exception("CSV import %s stopped", self.id)
            self._fail(self.env._("The import stopped at line %(line)s: %(error)s", line=self.line, error=str(error)))

    def _import_batch(self):
        """Ingest the next ``BATCH_SIZE`` rows; malformed rows and bad items land in quarantine."""
        self.ensure_one()
        source = self.source_id
        # the default_* keys of the action that opened the wizard must not reach mentions or profiles
        context = clean_context(self.env.context)
        Mention = self.env["social.mention"].with_context(**context)
        Quarantine = self.env["social.mention.quarantine"].with_context(**context)
        if not self.quarantine_from_id and self.state == "queued":
            self.quarantine_from_id = Quarantine.search([], order="id desc", limit=1).id or 0
        mapping = self.mapping or {}
        text_position = mapping.get("text")
        items, lines, malformed, skipped = [], [], [], []
        position, line = self.position, self.line
        raw = self._raw()
        try:
            # position and line follow the rows read: where the next batch starts
            for row, row_line, position, line in iter_rows(raw, self.encoding, self.delimiter,  # noqa: B007, B020
                                                            start=position, first_line=line):
                if len(row) != self.width:
                    error = self.env._("line %(line)s: %(count)s columns instead of %(expected)s",
                                       line=row_line, count=len(row), expected=self.width)
                    malformed.append(({"line": row_line, "row": row}, error))
                elif text_position is not None and not row[text_position].strip():
                    skipped.append(row_line)
                else:
                    items.append(self._row_to_item(row, mapping))
                    lines.append(row_line)
                if len(items) + len(malformed) + len(skipped) >= BATCH_SIZE:
                    break
        except (csv.Error, UnicodeDecodeError) as error:
            # the file was checked before the import: only a changed attachment gets here
            return self._fail(self.env._("The file cannot be read any more: %(error)s", error=str(error)))
        vals = {"state": "running", "position": position, "line": line, "batch_count": self.batch_count + 1}
        counts = {"failed": len(malformed), "created": 0, "duplicates": 0, "opted_out": 0}
        messages = [error for _payload, error in malformed]
        if malformed:
            Quarantine._record(source, malformed)
        if items:
            result = Mention._ingest(source, items)
            counts.update(created=result["created"], duplicates=result["duplicates"],
                          opted_out=result["opted_out"], failed=counts["failed"] + len(result["errors"]))
            messages += [self.env._("line %(line)s: %(error)s", line=lines[error["index"]], error=error["error"])
                         for error in result["errors"]]
        vals.update(
            done_rows=self.done_rows + len(items) + len(malformed) + len(skipped),
            created_count=self.created_count + counts["created"],
            duplicate_count=self.duplicate_count + counts["duplicates"],
            opted_out_count=self.opted_out_count + counts["opted_out"],
            failed_count=self.failed_count + counts["failed"],
            skipped_count=self.skipped_count + len(skipped),
        )
        if skipped:
            vals["skipped_lines"] = self._append_limited(
                self.skipped_lines, [str(number) for number in skipped], MAX_REPORTED_LINES, ", ")
        if messages:
            vals["result_errors"] = self._append_limited(self.result_errors, messages, MAX_REPORTED_ERRORS, "\n")
        if position >= len(raw) or not (items or malformed or skipped):
            vals.update(state="done", done_rows=max(vals["done_rows"], self.total_rows),
                        date_done=fields.Datetime.now())
        self.write(vals)
        if self.state == "done":
            self._release_file()
        _logger.info("CSV import %s into source %s: batch %s, %s/%s rows, %s created, %s duplicates, %s failed, "
                     "%s without text", self.id, source.id, self.batch_count, self.done_rows, self.total_rows,
                     self.created_count, self.duplicate_count, self.failed_count, self.skipped_count)
        if self.state == "done":
            self._notify_done()
        return True

    def _raw(self):
        """The stored file's bytes, never its size (``bin_size`` in the web client's context)."""
        return self.attachment_id.with_context(bin_size=False).raw or b""

    def _release_file(self):
        self.attachment_id.sudo().unlink()

    @staticmethod
    def _append_limited(current, additions, limit, separator):
        """``current`` with ``additions``, at most ``limit`` entries, then an ellipsis."""
        entries = current.split(separator) if current else []
        if entries and entries[-1] == "…":
            return current
        entries += additions
        if len(entries) > limit:
            entries = entries[:limit] + ["…"]
        return separator.join(entries)

    def _fail(self, error):
        self.write({"state": "failed", "result_errors": error, "date_done": fields.Datetime.now()})
        self._release_file()
        self._notify_done()
        return False

    def _notify_done(self):
        """Tell the user who started the import, on the source's chatter and in the web client."""
        self.ensure_one()
        if self.state == "failed":
            body = self.env._("The import of %(file)s failed: %(error)s", file=self.name, error=self.result_errors)
        else:
            body = self.env._(
                "Import of %(file)s finished: %(rows)s rows, %(created)s mentions created, %(duplicates)s already "
                "known, %(failed)s failed, %(skipped)s skipped (no text).",
                file=self.name, rows=self.total_rows, created=self.created_count,
                duplicates=self.duplicate_count, failed=self.failed_count, skipped=self.skipped_count)
        # the user who started the import may not follow the source: notify them by name
        self.source_id.message_post(body=body, partner_ids=self.user_id.partner_id.ids if self.background else [],
                                    subtype_xmlid="mail.mt_note")
        if self.background:
            self.user_id._bus_send("simple_notification", {
                "type": "danger" if self.state == "failed" else "success",
                "title": self.env._("Mentions imported") if self.state == "done" else self.env._("Import failed"),
                "message": body,
                "sticky": True,
            })

    @staticmethod
    def _row_to_item(row, mapping):
        """One row as an item of the webhook format (see ``social.mention._parse_item``)."""
        def value(fname):
            position = mapping.get(fname)
            return row[position].strip() if position is not None else ""

        external_id = value("external_id") or "csv-" + hashlib.sha1(
            "\x1f".join(row).encode("utf-8", "replace")).hexdigest()
        return {
            "id": external_id,
            "network": value("network").lower() or None,
            "author": {
                "handle": value("author_handle") or None,
                "name": value("author_name") or None,
                "url": value("author_url") or None,
                "followers": value("followers").replace(" ", "").replace("\u202f", "") or None,
                "email": value("author_email") or None,
                "phone": value("author_phone") or None,
            },
            "text": value("text"),
            "url": value("url") or None,
            "posted_at": value("posted_at") or None,
            "lang": value("lang") or None,
            "parent_id": value("parent") or None,
        }

    # ------------------------------------------------------------------ actions

    def action_view_failed(self):
        """The items of this import that landed in quarantine."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_quarantine_action")
        action["domain"] = [("source_id", "=", self.source_id.id), ("id", ">", self.quarantine_from_id)]
        action["context"] = {}
        return action
