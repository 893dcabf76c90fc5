import secrets

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.social_crm.tools.concurrency import execute_unless_contended

# No 0/O, 1/I/L: codes are read aloud and typed from paper.
REFERRAL_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERRAL_CODE_LENGTH = 8


class ResPartner(models.Model):
    _inherit = "res.partner"

    advocacy_standing_ids = fields.One2many(
        comodel_name="social.advocacy.standing", inverse_name="partner_id", string="Advocacy Standing", readonly=True)
    advocacy_points = fields.Integer(
        related="advocacy_standing_ids.points", string="Advocacy Points",
        help="Points earned over the last 12 months (refreshed daily and on each new action).")
    advocacy_tier_id = fields.Many2one(related="advocacy_standing_ids.tier_id", string="Advocacy Tier")
    advocacy_balance = fields.Integer(
        string="Points Balance", compute="_compute_advocacy_balance",
        help="All points ever earned minus those redeemed: what can still be spent on rewards.")
    advocacy_referral_code = fields.Char(
        string="Referral Code", copy=False, readonly=True,
        help="Code this advocate gives to friends; typed on a quotation, it names them as referrer.")
    advocacy_action_count = fields.Integer(compute="_compute_advocacy_action_count", string="Advocacy Actions")
    advocacy_coupon_ids = fields.Many2many(
        comodel_name="loyalty.card", compute="_compute_advocacy_coupon_ids", string="Advocacy Coupons",
        help="Coupons issued for the rewards this advocate redeemed.")

    _sql_constraints = [
        ("advocacy_referral_code_uniq", "unique(advocacy_referral_code)", "This referral code is already used."),
    ]

    def _compute_advocacy_balance(self):
        balances = dict(self.env["social.advocacy.action"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["points:sum"]))
        for partner in self:
            partner.advocacy_balance = balances.get(partner, 0)

    def _compute_advocacy_action_count(self):
        counts = dict(self.env["social.advocacy.action"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.advocacy_action_count = counts.get(partner, 0)

    def _compute_advocacy_coupon_ids(self):
        coupons = dict(self.env["social.advocacy.redemption"]._read_group(
            [("partner_id", "in", self.ids), ("coupon_id", "!=", False)], ["partner_id"], ["coupon_id:recordset"]))
        for partner in self:
            partner.advocacy_coupon_ids = coupons.get(partner, self.env["loyalty.card"])

    def _advocacy_balances(self, lock=False):
        """``{partner id: all-time balance}`` straight from the ledger; ``lock`` takes the partner
        rows FOR UPDATE first, so concurrent redemptions of the same advocate run one after another."""
        if not self:
            return {}
        if lock:
            self.env.execute_query(SQL(
                "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR UPDATE", self.ids))
        self.env["social.advocacy.action"].flush_model(["partner_id", "points"])
        rows = self.env.execute_query(SQL(
            "SELECT partner_id, SUM(points) FROM social_advocacy_action WHERE partner_id = ANY(%s) GROUP BY partner_id",
            self.ids))
        balances = dict.fromkeys(self.ids, 0)
        balances.update({partner_id: total for partner_id, total in rows})
        return balances

    def _advocacy_ensure_referral_code(self):
        """Give a referral code to those of these partners (advocates) who have none yet."""
        self.fetch(["advocacy_referral_code"])  # that column only, not every column of the contacts
        todo = self.filtered(lambda p: not p.advocacy_referral_code)
        if not todo:
            return
        codes = set()
        while len(codes) < len(todo):
            needed = len(todo) - len(codes)
            fresh = {"".join(secrets.choice(REFERRAL_CODE_ALPHABET) for _ in range(REFERRAL_CODE_LENGTH))
                     for _ in range(needed)}
            taken = {code for (code,) in self.env.execute_query(SQL(
                "SELECT advocacy_referral_code FROM res_partner WHERE advocacy_referral_code = ANY(%s)", list(fresh)))}
            codes |= fresh - taken
        for partner, code in zip(todo, sorted(codes)):
            # sudo: a generated, non-personal code; the user may not have write access to contacts
            partner.sudo().advocacy_referral_code = code

    def action_advocacy_generate_referral_code(self):
        self._advocacy_ensure_referral_code()
        return True

    @api.model
    def _advocacy_find_by_code(self, code):
        code = (code or "").strip().upper()
        if not code:
            return self.browse()
        return self.sudo().search([("advocacy_referral_code", "=", code)], limit=1).sudo(self.env.su)

    def _advocacy_recompute_points(self, all_partners=False, queue_if_contended=False):
        """Rolling 12-month points and tier of these partners (or all) in ONE set-based statement:
        their standing rows are upserted, with a tier history row for each partner whose tier changes.

        With ``queue_if_contended`` (new actions of an ingested batch), partners whose standing
        another transaction holds or changed meanwhile (concurrent batches about the same
        advocate) are queued for the standings' job instead, rather than waiting for it or failing
        to serialize: that job recomputes them within seconds.
        """
        if not all_partners and not self:
            return
        self.env["social.advocacy.action"].flush_model(["partner_id", "points", "date"])
        self.env["social.advocacy.tier"].flush_model(["min_points", "active"])
        self.env["social.advocacy.standing"].flush_model()
        since = self.env["social.advocacy.tier"]._rolling_start()
        # JIT compiling the statement over all partners costs ~0.9 s and saves nothing (EXPLAIN
        # ANALYZE in bench/bench_advocacy.py's setting); off for this statement only, same round trip.
        jit_off = SQL("SET LOCAL jit = off;") if all_partners else SQL()
        jit_back = SQL("; SET LOCAL jit TO DEFAULT") if all_partners else SQL()
        scope = SQL() if all_partners else SQL("AND partner_id = ANY(%s)", self.ids)
        query = SQL("""%(jit_off)s
            WITH queued AS (
                -- the queued partners recomputed here: this snapshot sees their actions too
                DELETE FROM social_advocacy_standing_queue WHERE TRUE %(scope)s
            ), sums AS (
                SELECT partner_id, SUM(points)::integer AS points
                  FROM social_advocacy_action
                 WHERE date > %(since)s %(scope)s
              GROUP BY partner_id
            ), tiers AS (
                -- half-open ranges [min_points, next tier's min_points): at most one tier per total
                SELECT id, min_points,
                       LEAD(min_points) OVER (ORDER BY min_points, sequence, id) AS next_min_points
                  FROM social_advocacy_tier
                 WHERE active
            ), standing AS (
                SELECT partner_id, points, tier_id FROM social_advocacy_standing WHERE TRUE %(scope)s
            ), target AS MATERIALIZED (
                SELECT COALESCE(s.partner_id, st.partner_id) AS partner_id, st.points AS old_points, st.tier_id AS old_tier_id,
                       COALESCE(s.points, 0) AS points, t.id AS tier_id
                  FROM sums s
             FULL JOIN standing st ON st.partner_id = s.partner_id
             LEFT JOIN tiers t ON s.points >= t.min_points
                              AND (t.next_min_points IS NULL OR s.points < t.next_min_points)
            ), written AS (
                INSERT INTO social_advocacy_standing (partner_id, points, tier_id)
                SELECT partner_id, points, tier_id
                  FROM target
                 WHERE old_points IS DISTINCT FROM points OR old_tier_id IS DISTINCT FROM tier_id
                ON CONFLICT (partner_id) DO UPDATE
                   SET points = EXCLUDED.points, tier_id = EXCLUDED.tier_id
            )
            INSERT INTO social_advocacy_tier_history (partner_id, old_tier_id, tier_id, points, date)
            SELECT partner_id, old_tier_id, tier_id, points, %(today)s
              FROM target
             WHERE old_tier_id IS DISTINCT FROM tier_id
            %(jit_back)s
        """, jit_off=jit_off, jit_back=jit_back, since=since, scope=scope,
            today=fields.Date.context_today(self))
        if not queue_if_contended:
            self.env.execute_query(query)
        elif not execute_unless_contended(self.env.cr, query):
            self.env.execute_query(SQL(
                "INSERT INTO social_advocacy_standing_queue (partner_id) SELECT unnest(%s::int[])", self.ids))
            self.env.ref("social_crm_advocacy.ir_cron_recompute_queued_standings").sudo()._trigger()
        self.env["social.advocacy.standing"].invalidate_model()
        self.invalidate_model(["advocacy_standing_ids", "advocacy_points", "advocacy_tier_id"])
        self.env["social.advocacy.tier.history"].invalidate_model()

    def action_view_advocacy_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm_advocacy.social_advocacy_action_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, "default_action_type": "manual"}
        return action
