import json
from datetime import timedelta

from odoo import api, fields, models

from ..tools.items import MAX_ERROR_CHARS, clean_text, shown

MAX_PAYLOAD_CHARS = 1_000_000
HANDLED_KEEP_DAYS = 90  # ingested or discarded items are kept this long


class _Literal(str):
    """JSON punctuation pushed on the stack of :func:`_dumps_without_recursion`."""


def _dumps_without_recursion(item):
    """JSON text of ``item`` (ASCII only), walked with a stack rather than by recursion: an item
    can be nested deeper than any recursion limit. Keys are written as text, values that are not
    JSON as their ``str`` or, when even that fails, their short representation."""
    out, stack = [], [item]
    while stack:
        value = stack.pop()
        if isinstance(value, _Literal):
            out.append(value)
        elif isinstance(value, dict):
            stack.append(_Literal("}"))
            for position, (key, child) in reversed(list(enumerate(value.items()))):
                stack.append(child)
                key = key if isinstance(key, str) else shown(key)
                stack.append(_Literal(("," if position else "") + json.dumps(key) + ":"))
            out.append("{")
        elif isinstance(value, (list, tuple)):
            stack.append(_Literal("]"))
            for position, child in reversed(list(enumerate(value))):
                stack.append(child)
                if position:
                    stack.append(_Literal(","))
            out.append("[")
        else:
            try:
                out.append(json.dumps(value, default=str))
            except (TypeError, ValueError):
                out.append(json.dumps(shown(value)))
        if len(out) > MAX_PAYLOAD_CHARS:  # each part is at least one character: enough to cut
            break
    return "".join(out)


class SocialMentionQuarantine(models.Model):
    """An item that could not become a mention, kept with its payload and error for a retry.

    A bad item never blocks its batch: it lands here, the good ones are stored.
    """

    _name = "social.mention.quarantine"
    _description = "Failed Social Mention"
    _order = "create_date desc, id desc"
    _rec_name = "external_id"

    source_id = fields.Many2one(comodel_name="social.source", required=True, index=True, ondelete="cascade")
    external_id = fields.Char(string="External ID", index="btree_not_null")
    payload = fields.Text(required=True, help="The item as received (JSON), cut at one million characters.")
    error = fields.Text(required=True)
    attempts = fields.Integer(default=1)
    state = fields.Selection(
        selection=[("failed", "Failed"), ("done", "Ingested"), ("discarded", "Discarded")],
        default="failed", required=True, index=True)
    # indexed: each mention deleted (an erasure, say) looks its failed items up by it
    mention_id = fields.Many2one(comodel_name="social.mention", ondelete="set null",
                                 index="btree_not_null")
    company_id = fields.Many2one(related="source_id.company_id", store=True, index=True)

    @api.model
    def _record(self, source, failures):
        """Store ``failures`` (``(item, error message)`` pairs) of ``source`` in one batch.

        Whatever an item holds, its row can be stored: the payload is JSON text that PostgreSQL
        accepts (see :meth:`_dump`), the error and the external id are cleaned of NUL and lone
        surrogates. An item sent again (same source and id) while its former failure waits updates
        that row (payload, error, one more attempt) instead of piling up a copy.
        """
        Mention = self.env["social.mention"]
        rows = {}
        for item, error in failures:
            vals = {"source_id": source.id, "external_id": Mention._item_id(item), "payload": self._dump(item),
                    "error": clean_text(str(error), MAX_ERROR_CHARS)}
            rows[vals["external_id"] or len(rows)] = vals  # an item without id is never one seen before
        known_ids = [vals["external_id"] for vals in rows.values() if vals["external_id"]]
        waiting = self.sudo().search([("source_id", "=", source.id), ("state", "=", "failed"),
                                      ("external_id", "in", known_ids)]) if known_ids else self.sudo()
        for failed in waiting:
            vals = rows.pop(failed.external_id, None)
            if vals:
                failed.write({"payload": vals["payload"], "error": vals["error"], "attempts": failed.attempts + 1})
        return waiting | self.sudo().create(list(rows.values()))

    @api.autovacuum
    def _gc_handled(self):
        """Forget the items ingested or discarded more than 90 days ago; failed ones stay."""
        self.sudo().search([("state", "in", ("done", "discarded")),
                            ("write_date", "<", fields.Datetime.now() - timedelta(days=HANDLED_KEEP_DAYS))]).unlink()

    @staticmethod
    def _dump(item):
        """``item`` as JSON text, readable where it can be, cut at a million characters.

        Lone surrogates (which ``ensure_ascii=False`` would keep and PostgreSQL refuses) are written
        as ``\\udxxx`` escapes, which ``json.loads`` reads back for a retry; an item nested deeper
        than ``json.dumps`` can recurse is written without recursion.
        """
        try:
            text = json.dumps(item, ensure_ascii=False, default=str)
            if not text.isascii():
                text.encode("utf-8")
        except UnicodeEncodeError:
            text = json.dumps(item, default=str)
        except (RecursionError, TypeError, ValueError):  # too deep, odd keys, an int too long to write
            text = _dumps_without_recursion(item)
        return text[:MAX_PAYLOAD_CHARS]

    def action_retry(self):
        """Ingest the stored payloads again; those that still fail keep their (new) error."""
        for source, items in self.filtered(lambda q: q.state == "failed").grouped("source_id").items():
            payloads = []
            for failed in items:
                try:
                    payloads.append(json.loads(failed.payload))
                except (ValueError, RecursionError):  # cut at the size limit, or nested too deep to read
                    payloads.append(failed.payload)
            result = self.env["social.mention"]._ingest(source, payloads, quarantine=False)
            by_index = {error["index"]: error["error"] for error in result["errors"]}
            for index, failed in enumerate(items):
                if index in by_index:
                    failed.write({"error": by_index[index], "attempts": failed.attempts + 1})
                else:
                    mention = result["mentions"].get(index)
                    failed.write({"state": "done", "mention_id": mention.id if mention else False})
        return True

    def action_discard(self):
        self.filtered(lambda q: q.state == "failed").state = "discarded"
        return True
