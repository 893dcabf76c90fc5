import json

from odoo import api, fields, models

MAX_PAYLOAD_CHARS = 1_000_000


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
    mention_id = fields.Many2one(comodel_name="social.mention", string="Mention", ondelete="set null")
    company_id = fields.Many2one(related="source_id.company_id", store=True, index=True)

    @api.model
    def _record(self, source, failures):
        """Store ``failures`` (``(item, error message)`` pairs) of ``source`` in one batch."""
        return self.sudo().create([{
            "source_id": source.id,
            "external_id": self.env["social.mention"]._item_id(item) or False,
            "payload": self._dump(item),
            "error": error,
        } for item, error in failures])

    @staticmethod
    def _dump(item):
        try:
            text = json.dumps(item, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(item)
        return text[:MAX_PAYLOAD_CHARS]

    def action_retry(self):
        """Ingest the stored payloads again; those that still fail keep their (new) error."""
        for source, items in self.filtered(lambda q: q.state == "failed").grouped("source_id").items():
            payloads = []
            for failed in items:
                try:
                    payloads.append(json.loads(failed.payload))
                except ValueError:
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
