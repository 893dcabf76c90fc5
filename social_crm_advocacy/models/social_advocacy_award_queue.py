from odoo import api, fields, models

from .social_advocacy_action import ACTION_TYPES

QUEUED_FIELDS = ("partner_id", "action_type", "points", "date", "rule_id", "mention_id", "sale_order_id",
                 "company_id")


class SocialAdvocacyAwardQueue(models.Model):
    """Awards of capped rules waiting to be recorded: a batch found them numbered first by a
    concurrent batch (the same advocate, rule and period). Insert-only for ingestion; the awards'
    job (started by the batch) numbers them again on its own snapshot, which sees what the other
    batch recorded, and records those still within the cap."""

    _name = "social.advocacy.award.queue"
    _description = "Advocacy Award Waiting to Be Recorded"
    _order = "id"
    _log_access = False

    partner_id = fields.Many2one(comodel_name="res.partner", required=True, index=True, readonly=True,
                                 ondelete="cascade")
    action_type = fields.Selection(selection=ACTION_TYPES, required=True, readonly=True)
    points = fields.Integer(required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    rule_id = fields.Many2one(comodel_name="social.advocacy.rule", required=True, readonly=True, ondelete="cascade")
    mention_id = fields.Many2one(comodel_name="social.mention", readonly=True, ondelete="cascade")
    sale_order_id = fields.Many2one(comodel_name="sale.order", readonly=True, ondelete="cascade")
    company_id = fields.Many2one(comodel_name="res.company", required=True, readonly=True, ondelete="cascade")

    @api.model
    def _queue(self, vals_list):
        """Queue the awards ``vals_list`` (values of ``social.advocacy.action``) and start the job."""
        self.sudo().create([{name: vals.get(name) or False for name in QUEUED_FIELDS} for vals in vals_list])
        self.env.ref("social_crm_advocacy.ir_cron_record_queued_awards").sudo()._trigger()

    @api.model
    def _cron_record_queued(self):
        """Record the queued awards still within their caps; answer how many were recorded."""
        queued = self.search([])
        if not queued:
            return 0
        queued.fetch(list(QUEUED_FIELDS))
        Rule = self.env["social.advocacy.rule"]
        taken = Rule._awarded_keys(set(queued.mention_id.ids), set(queued.sale_order_id.ids))
        vals_list = []
        for award in queued:
            if award.mention_id and ("social.mention", award.mention_id.id, award.action_type) in taken:
                continue  # recorded meanwhile
            if award.sale_order_id and award.action_type == "referral" \
                    and (("sale.order", award.sale_order_id.id, "referral") in taken
                         or award.sale_order_id.state != "sale"):
                continue  # recorded meanwhile, or the order was cancelled since
            vals_list.append({name: award[name].id if award._fields[name].type == "many2one" else award[name]
                              for name in QUEUED_FIELDS})
        queued.unlink()
        vals_list, _over = Rule._apply_caps(vals_list)
        # contended again (yet another batch): queued again, for the job's next run
        return len(self.env["social.advocacy.action"].sudo()._record(vals_list))
