from odoo import api, fields, models
from odoo.tools import SQL, create_index

# The leaderboard ranks the points earned over this many days, up to today: a rolling window, so
# that it is never empty on the first day of a month.
LEADERBOARD_DAYS = 30


class SocialAdvocacyStanding(models.Model):
    """An advocate's rolling 12-month points and tier in one company, and the points of the
    leaderboard's 30 days: one narrow row per partner and company. A contact is shared by the
    companies, its advocacy is not: each company's standing counts that company's actions only.
    Both totals count the points earned: a redemption spends points of the balance, it never
    takes an advocate down a tier or down the leaderboard.

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
                            help="Points earned over the last 12 months (redemptions do not lower them).")
    leaderboard_points = fields.Integer(
        string="Points (30 Days)", readonly=True,
        help="Points earned over the last 30 days, today included: what the leaderboard ranks. "
             "Redemptions do not lower them; reversed actions no longer count.")
    leaderboard_rank = fields.Integer(
        string="Rank", compute="_compute_leaderboard_rank",
        help="Place on the leaderboard of the company: 1 + the advocates with more points over the last "
             "30 days (advocates with as many points share a place).")
    tier_id = fields.Many2one(comodel_name="social.advocacy.tier", readonly=True,
                              index="btree_not_null", ondelete="set null")
    company_id = fields.Many2one(comodel_name="res.company", required=True, readonly=True,
                                 index=True, ondelete="cascade")

    _sql_constraints = [
        ("partner_company_uniq", "unique(partner_id, company_id)", "An advocate has one standing per company."),
    ]

    def init(self):
        result = super().init()
        # The leaderboard reads the few advocates of the last 30 days among all, best first, and
        # ranks them by counting those above: one partial index serves both.
        create_index(self.env.cr, "social_advocacy_standing_leaderboard_idx", self._table,
                     ["company_id", "leaderboard_points DESC"], where="leaderboard_points > 0")
        return result

    @api.depends("leaderboard_points", "company_id")
    def _compute_leaderboard_rank(self):
        """Competition ranking ("1, 2, 2, 4") within each company, in one query for the records read."""
        ids = self._origin.ids
        ranks = {}
        if ids:
            self.flush_model(["leaderboard_points", "company_id"])
            ranks = dict(self.env.execute_query(SQL("""
                SELECT s.id, 1 + (SELECT COUNT(*) FROM social_advocacy_standing above
                                   WHERE above.company_id = s.company_id
                                     AND above.leaderboard_points > s.leaderboard_points)
                  FROM social_advocacy_standing s
                 WHERE s.id = ANY(%s) AND s.leaderboard_points > 0
            """, ids)))
        for standing in self:
            standing.leaderboard_rank = ranks.get(standing._origin.id, 0)


class SocialAdvocacyStandingQueue(models.Model):
    """Advocates whose standing waits to be recomputed: new actions of a batch that found the
    standing (or the contact, for its referral code) taken by a concurrent transaction.
    Insert-only for ingestion; the standings' job (started by the batch) gives the queued
    advocates their code and recomputes them, which takes them out."""

    _name = "social.advocacy.standing.queue"
    _description = "Advocate Standing Waiting to Be Recomputed"
    _log_access = False

    partner_id = fields.Many2one(comodel_name="res.partner", required=True, index=True, readonly=True,
                                 ondelete="cascade")

    @api.model
    def _cron_recompute_queued(self):
        """Referral codes and standings of the queued advocates; answer how many."""
        partner_ids = [row[0] for row in self.env.execute_query(SQL(
            "SELECT DISTINCT partner_id FROM social_advocacy_standing_queue ORDER BY 1"))]
        partners = self.env["res.partner"].browse(partner_ids)
        partners._advocacy_ensure_referral_code()
        partners._advocacy_recompute_points()
        return len(partner_ids)
