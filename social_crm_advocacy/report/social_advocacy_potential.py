"""Potential advocates: contacts outside the programme who already speak well of the brand.

A read-only report model, one row per contact with a positive mention in the last 90 days who has
not joined the programme, ranked by reach × positive share × activity. The points the rules award
on their own for mentions (a positive mention, an answer, a vote) do not make a member: the
contact may not even know the programme. A manual award, a referral or a redemption does. Reach and activity are
log-scaled, ``ln(1 + x)``, so that one celebrity with a single post does not bury the regular,
well-disposed customers (a plain product is dominated by follower counts).
"""
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

POTENTIAL_WINDOW_DAYS = 90


class SocialAdvocacyPotential(models.Model):
    _name = "social.advocacy.potential"
    _description = "Potential Advocate"
    _auto = False
    _order = "score desc, partner_id"
    _rec_name = "partner_id"
    _depends = {
        "social.mention": ["partner_id", "posted_at", "sentiment_label", "reach"],
        "social.profile": ["partner_id", "followers"],
        "social.advocacy.action": ["partner_id", "action_type", "rule_id"],
        "res.partner": ["active", "customer_rank", "social_opt_out", "advocacy_invitation_date", "email",
                        "commercial_partner_id"],
    }

    partner_id = fields.Many2one(comodel_name="res.partner", string="Contact", readonly=True)
    customer_rank = fields.Integer(readonly=True)
    reach = fields.Integer(readonly=True, aggregator="max",
                           help="Largest audience of the contact: followers of its profiles or of its mentions.")
    mention_count = fields.Integer(string="Mentions (90 days)", readonly=True, aggregator="sum")
    positive_count = fields.Integer(string="Positive (90 days)", readonly=True, aggregator="sum")
    scored_count = fields.Integer(
        string="Scored (90 days)", readonly=True, aggregator="sum",
        help="Mentions with a sentiment (positive, neutral or negative), over the last 90 days.")
    positive_share = fields.Float(readonly=True, aggregator="avg", digits=(3, 2),
                                  help="Positive mentions among those with a sentiment (neutral and negative "
                                       "included), over the last 90 days. For a group of contacts, from their "
                                       "total counts.")
    last_posted_at = fields.Datetime(string="Last Mention", readonly=True)
    invitation_date = fields.Datetime(string="Invited On", readonly=True,
                                      help="When the contact was last invited to the programme.")
    email = fields.Char(readonly=True)
    score = fields.Float(string="Potential", readonly=True, aggregator="max", digits=(16, 2),
                         help="ln(1 + reach) × positive share × ln(1 + mentions of the last 90 days).")

    @property
    def _table_query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    def _select(self):
        reach = SQL("GREATEST(COALESCE(r.mention_reach, 0), COALESCE(pr.followers, 0))")
        share = SQL("r.positive_count::float / r.scored_count")
        return SQL("""
            SELECT p.id AS id,
                   p.id AS partner_id,
                   p.customer_rank,
                   %(reach)s AS reach,
                   r.mention_count,
                   r.positive_count,
                   r.scored_count,
                   %(share)s AS positive_share,
                   r.last_posted_at,
                   p.advocacy_invitation_date AS invitation_date,
                   p.email,
                   ln(1 + %(reach)s) * %(share)s * ln(1 + r.mention_count) AS score
        """, reach=reach, share=share)

    def _from(self):
        """The contacts' mentions of the window, counted once per contact. The window starts from
        the ORM's clock (not the database's ``now()``), as every other "last N days" figure does."""
        since = fields.Datetime.now() - timedelta(days=POTENTIAL_WINDOW_DAYS)
        return SQL("""
              FROM (
                    SELECT m.partner_id,
                           COUNT(*) AS mention_count,
                           COUNT(*) FILTER (WHERE m.sentiment_label = 'positive') AS positive_count,
                           COUNT(*) FILTER (WHERE m.sentiment_label IN ('positive', 'neutral', 'negative'))
                               AS scored_count,
                           MAX(m.reach) AS mention_reach,
                           MAX(m.posted_at) AS last_posted_at
                      FROM social_mention m
                     WHERE m.partner_id IS NOT NULL AND m.posted_at >= %(since)s
                  GROUP BY m.partner_id
                   ) r
              JOIN res_partner p ON p.id = r.partner_id
         LEFT JOIN LATERAL (
                       SELECT MAX(sp.followers) AS followers FROM social_profile sp WHERE sp.partner_id = p.id
                   ) pr ON TRUE
        """, since=since)

    def _where(self):
        return SQL("""
             WHERE r.positive_count > 0
               AND p.active
               AND NOT COALESCE(p.social_opt_out, FALSE)
               -- the companies' own people do not advocate for them (as the rules' self-dealing check)
               AND p.commercial_partner_id NOT IN (SELECT cp.commercial_partner_id FROM res_company c
                                                     JOIN res_partner cp ON cp.id = c.partner_id)
               AND NOT EXISTS (SELECT 1 FROM social_advocacy_action a
                                WHERE a.partner_id = p.id
                                  AND (a.action_type IN ('referral', 'redemption')
                                       OR (a.rule_id IS NULL AND a.action_type <> 'reversal')))
        """)

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """The positive share of a group of contacts from their summed counts (as the brand series'
        ratios): a contact with one mention weighs no more than one with twenty."""
        if aggregate_spec == "positive_share:avg":
            return SQL("SUM(%s)::float8 / NULLIF(SUM(%s), 0)",
                       self._field_to_sql(self._table, "positive_count", query),
                       self._field_to_sql(self._table, "scored_count", query))
        return super()._read_group_select(aggregate_spec, query)

    def action_invite(self):
        """Invite the contact to the programme (an e-mail to write, or a call to make)."""
        self.ensure_one()
        return self.partner_id.action_advocacy_invite()

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }
