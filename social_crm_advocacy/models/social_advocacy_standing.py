from odoo import api, fields, models
from odoo.tools import SQL


class SocialAdvocacyStanding(models.Model):
    """An advocate's rolling 12-month points and tier: one narrow row per partner.

    Kept out of ``res_partner`` on purpose: the daily recompute may rewrite every advocate, and
    rewriting 100,000 wide contact rows with their thirty-odd indexes takes seconds where this
    table takes a fraction of one (bench/bench_advocacy.py). Written only by the set-based
    ``res.partner._advocacy_recompute_points``; the partner shows it through related fields.
    """

    _name = "social.advocacy.standing"
    _description = "Advocate Standing"
    _order = "points desc, id"
    _rec_name = "partner_id"
    # no create/write user columns: two foreign keys fewer to check on each of 100,000 rows
    _log_access = False

    partner_id = fields.Many2one(comodel_name="res.partner", string="Advocate", required=True, readonly=True,
                                 ondelete="cascade")
    points = fields.Integer(string="Rolling Points", readonly=True,
                            help="Points earned over the last 12 months.")
    tier_id = fields.Many2one(comodel_name="social.advocacy.tier", string="Tier", readonly=True,
                              index="btree_not_null", ondelete="set null")

    _sql_constraints = [
        ("partner_uniq", "unique(partner_id)", "An advocate has one standing."),
    ]


class SocialAdvocacyStandingQueue(models.Model):
    """Advocates whose standing waits to be recomputed: new actions of a batch that found the
    standing taken by a concurrent transaction. Insert-only for ingestion; the standings' job
    (started by the batch) recomputes the queued advocates, which takes them out."""

    _name = "social.advocacy.standing.queue"
    _description = "Advocate Standing Waiting to Be Recomputed"
    _log_access = False

    partner_id = fields.Many2one(comodel_name="res.partner", required=True, index=True, readonly=True,
                                 ondelete="cascade")

    @api.model
    def _cron_recompute_queued(self):
        """Recompute the standings of the queued advocates; answer how many."""
        partner_ids = [row[0] for row in self.env.execute_query(SQL(
            "SELECT DISTINCT partner_id FROM social_advocacy_standing_queue ORDER BY 1"))]
        self.env["res.partner"].browse(partner_ids)._advocacy_recompute_points()
        return len(partner_ids)
