import secrets
from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.social_crm.tools.concurrency import execute_unless_contended
from odoo.addons.social_crm.tools.planner import without_jit

from .social_advocacy_action import earned_points_sql
from .social_advocacy_standing import LEADERBOARD_DAYS


def _holds(empty, operator, value):
    """Whether ``empty`` (the value of a partner without standing) satisfies ``operator value``."""
    if operator in ("in", "not in"):
        values = value if isinstance(value, (list, tuple, set)) else [value]
        found = empty in values or (empty is False and None in values)
        return found if operator == "in" else not found
    compare = {"=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
               "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}.get(operator)
    if compare is None or (empty is False and operator not in ("=", "!=")):
        return False  # a pattern or an order on the tier: matched by a tier, never by none
    if empty is False:
        return compare(bool(value), False)
    try:
        return compare(empty, value)
    except TypeError:
        return False


# No 0/O, 1/I/L: codes are read aloud and typed from paper.
REFERRAL_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERRAL_CODE_LENGTH = 8


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Internal to the programme: portal and public users read their own contact, not these.
    advocacy_standing_ids = fields.One2many(
        comodel_name="social.advocacy.standing", inverse_name="partner_id", readonly=True,
        groups="base.group_user")
    # A contact is shared by the companies, its advocacy is not: points, tier, balance and actions
    # are those of the current company (as the reputation figures are).
    advocacy_points = fields.Integer(
        compute="_compute_advocacy_standing", search="_search_advocacy_points",
        compute_sudo=True, groups="base.group_user",
        help="Points earned with the current company over the last 12 months, redemptions not deducted "
             "(refreshed daily and on each new action).")
    advocacy_tier_id = fields.Many2one(
        comodel_name="social.advocacy.tier", compute="_compute_advocacy_standing",
        search="_search_advocacy_tier_id", compute_sudo=True, groups="base.group_user")
    advocacy_balance = fields.Integer(
        string="Points Balance", compute="_compute_advocacy_balance", groups="base.group_user",
        help="All points ever earned with the current company minus those redeemed there: what can still "
             "be spent on its rewards.")
    advocacy_referral_code = fields.Char(
        string="Referral Code", copy=False, readonly=True, groups="base.group_user",
        help="Code this advocate gives to friends; typed on a quotation, it names them as referrer.")
    advocacy_action_count = fields.Integer(
        compute="_compute_advocacy_action_count", string="Advocacy Actions", groups="base.group_user")
    advocacy_invitation_date = fields.Datetime(
        string="Invited to the Programme On", readonly=True, copy=False, groups="base.group_user",
        help="When this contact was last e-mailed an invitation to the advocacy programme.")
    advocacy_coupon_redemption_ids = fields.One2many(
        comodel_name="social.advocacy.redemption", inverse_name="partner_id", string="Advocacy Coupons",
        domain=[("coupon_id", "!=", False)], readonly=True, groups="base.group_user",
        help="Redemptions of this advocate that issued a coupon, with its code and value.")

    _sql_constraints = [
        ("advocacy_referral_code_uniq", "unique(advocacy_referral_code)", "This referral code is already used."),
    ]

    @api.depends_context("company")
    def _compute_advocacy_standing(self):
        standings = self.env["social.advocacy.standing"].search_fetch(
            [("partner_id", "in", self._origin.ids), ("company_id", "=", self.env.company.id)],
            ["partner_id", "points", "tier_id"])
        by_partner = {standing.partner_id.id: standing for standing in standings}
        for partner in self:
            standing = by_partner.get(partner._origin.id)
            partner.advocacy_points = standing.points if standing else 0
            partner.advocacy_tier_id = standing.tier_id if standing else False

    def _search_advocacy_points(self, operator, value):
        return self._advocacy_standing_domain("points", operator, value, empty=0)

    def _search_advocacy_tier_id(self, operator, value):
        return self._advocacy_standing_domain("tier_id", operator, value, empty=False)

    def _advocacy_standing_domain(self, fname, operator, value, empty):
        """Partners whose standing in the current company matches ``(fname, operator, value)``; those
        without a standing there have ``empty`` (no points, no tier)."""
        Standing = self.env["social.advocacy.standing"].sudo()
        here = [("company_id", "=", self.env.company.id)]
        domain = [("id", "in", Standing._search(here + [(fname, operator, value)]).subselect("partner_id"))]
        if _holds(empty, operator, value):
            domain = ["|", *domain, ("id", "not in", Standing._search(here).subselect("partner_id"))]
        return domain

    @api.depends_context("company")
    def _compute_advocacy_balance(self):
        balances = self._origin._advocacy_balances(self.env.company)
        for partner in self:
            partner.advocacy_balance = balances.get(partner._origin.id, 0)

    @api.depends_context("company")
    def _compute_advocacy_action_count(self):
        counts = dict(self.env["social.advocacy.action"]._read_group(
            [("partner_id", "in", self._origin.ids), ("company_id", "=", self.env.company.id)],
            ["partner_id"], ["__count"]))
        for partner in self:
            partner.advocacy_action_count = counts.get(partner._origin, 0)

    def _advocacy_lock(self):
        """Take these partner rows FOR UPDATE, so concurrent redemptions of the same advocate run
        one after another and the second one reads the balance the first one left."""
        if self:
            self.env.execute_query(SQL(
                "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR UPDATE", self.ids))

    def _advocacy_balances(self, company):
        """``{partner id: all-time balance in company}`` straight from the ledger."""
        if not self:
            return {}
        groups = self.env["social.advocacy.action"].sudo()._read_group(
            [("partner_id", "in", self.ids), ("company_id", "=", company.id)], ["partner_id"], ["points:sum"])
        balances = dict.fromkeys(self.ids, 0)
        balances.update({partner.id: total for partner, total in groups})
        return balances

    def _advocacy_ensure_referral_code(self, queue_if_contended=False):
        """Give a referral code to those of these partners (advocates) who have none yet, in one
        UPDATE that leaves alone a partner given a code meanwhile.

        With ``queue_if_contended`` (new actions of an ingested batch), partners whose row another
        transaction holds or changed since this one began (a concurrent batch giving the same new
        advocate a code) are left to the standings' job, which gives them theirs within seconds.
        (The code is under a unique index: PostgreSQL takes its update for a change of the row's
        key, which rows referring to the contact written by a concurrent batch wait for.)
        """
        self.fetch(["advocacy_referral_code"])  # that column only, not every column of the contacts
        todo = self.filtered(lambda p: not p.advocacy_referral_code)
        if not todo:
            return
        codes = set()
        while len(codes) < len(todo):
            needed = len(todo) - len(codes)
            fresh = {"".join(secrets.choice(REFERRAL_CODE_ALPHABET) for _ in range(REFERRAL_CODE_LENGTH))
                     for _ in range(needed)}
            taken = set(self.sudo().with_context(active_test=False).search_fetch(
                [("advocacy_referral_code", "in", list(fresh))], ["advocacy_referral_code"]
            ).mapped("advocacy_referral_code"))
            codes |= fresh - taken
        # in SQL: a generated, non-personal code the user may not have the right to write, and no
        # write of the whole contact (its tracking, its computed fields) for it
        query = SQL("""
            UPDATE res_partner p SET advocacy_referral_code = given.code
              FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::varchar[]) AS code) given
             WHERE p.id = given.id AND p.advocacy_referral_code IS NULL
        """, todo.ids, sorted(codes))
        if not queue_if_contended:
            self.env.execute_query(query)
        elif not execute_unless_contended(self.env.cr, query, errors=(psycopg2.errors.UniqueViolation,)):
            todo._advocacy_queue()  # (a code drawn by a concurrent batch too: as unlikely, as harmless)
        todo.invalidate_recordset(["advocacy_referral_code"])

    def action_advocacy_generate_referral_code(self):
        self._advocacy_ensure_referral_code()
        return True

    def action_advocacy_invite(self):
        """Invite this contact to the advocacy programme: the e-mail composer with the invitation
        (sending it records the date), or, without an e-mail address, a call to make."""
        self.ensure_one()
        template = self.env.ref("social_crm_advocacy.mail_template_advocacy_invitation", raise_if_not_found=False)
        if self.email and template:
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Invite to the Advocacy Programme"),
                "res_model": "mail.compose.message",
                "views": [(False, "form")],
                "target": "new",
                "context": {
                    "default_model": "res.partner",
                    "default_res_ids": self.ids,
                    "default_composition_mode": "comment",
                    "default_template_id": template.id,
                    "default_email_layout_xmlid": "mail.mail_notification_light",
                    "social_advocacy_invitation": True,
                },
            }
        call_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        self.activity_schedule(
            activity_type_id=call_type.id if call_type else False,
            user_id=(self.user_id if self.user_id and not self.user_id.share else self.env.user).id,
            summary=self.env._("Invite %(partner)s to the advocacy programme", partner=self.name),
            date_deadline=fields.Date.context_today(self))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "%(partner)s has no e-mail address: a call to invite them is planned in their activities.",
                    partner=self.name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        partners = self
        if self.env.context.get("social_advocacy_invitation"):
            # the invitation composer sends: the contacts are invited as of now (sudo: a date
            # of the programme, which the sender may have no right to write on the contact)
            self.sudo().with_context(tracking_disable=True).write({"advocacy_invitation_date": fields.Datetime.now()})
            partners = self.with_context(social_advocacy_invitation=False)
        return super(ResPartner, partners).message_post(**kwargs)

    @api.model
    def _advocacy_find_by_code(self, code):
        code = (code or "").strip().upper()
        if not code:
            return self.browse()
        return self.sudo().search([("advocacy_referral_code", "=", code)], limit=1).sudo(self.env.su)

    def _advocacy_recompute_points(self, all_partners=False, queue_if_contended=False):
        """Rolling 12-month points, tier and leaderboard points (30 days) of these partners (or
        all) in each company, in ONE set-based statement: their standing rows (one per partner and
        company) are upserted, with a tier history row for each standing whose tier changes.

        Both totals count the points earned (:func:`earned_points_sql`): redemptions spend the
        balance, never the rank; a reversed award stops counting.

        With ``queue_if_contended`` (new actions of an ingested batch), partners whose standing
        another transaction holds or changed meanwhile (concurrent batches about the same
        advocate) are queued for the standings' job instead, rather than waiting for it or failing
        to serialize: that job recomputes them within seconds.
        """
        if not all_partners and not self:
            return
        self.env["social.advocacy.action"].flush_model(["partner_id", "points", "date", "company_id"])
        self.env["social.advocacy.tier"].flush_model(["min_points", "active"])
        self.env["social.advocacy.standing"].flush_model()
        since = self.env["social.advocacy.tier"]._rolling_start()
        leaderboard_since = fields.Date.context_today(self) - timedelta(days=LEADERBOARD_DAYS)
        scope = SQL() if all_partners else SQL("AND partner_id = ANY(%s)", self.ids)
        query = SQL("""
            WITH queued AS (
                -- the queued partners recomputed here: this snapshot sees their actions too
                DELETE FROM social_advocacy_standing_queue WHERE TRUE %(scope)s
            ), sums AS (
                SELECT partner_id, company_id,
                       COALESCE(SUM(points) FILTER (WHERE %(earned)s), 0)::integer AS points,
                       COALESCE(SUM(points) FILTER (WHERE %(earned)s AND date > %(leaderboard_since)s), 0)::integer
                           AS leaderboard_points
                  FROM social_advocacy_action
                 WHERE date > %(since)s %(scope)s
              GROUP BY partner_id, company_id
            ), tiers AS (
                -- half-open ranges [min_points, next tier's min_points): at most one tier per total
                SELECT id, min_points,
                       LEAD(min_points) OVER (ORDER BY min_points, sequence, id) AS next_min_points
                  FROM social_advocacy_tier
                 WHERE active
            ), standing AS (
                SELECT partner_id, company_id, points, tier_id, leaderboard_points
                  FROM social_advocacy_standing WHERE TRUE %(scope)s
            ), target AS MATERIALIZED (
                SELECT COALESCE(s.partner_id, st.partner_id) AS partner_id,
                       COALESCE(s.company_id, st.company_id) AS company_id,
                       st.points AS old_points, st.tier_id AS old_tier_id,
                       st.leaderboard_points AS old_leaderboard_points,
                       COALESCE(s.points, 0) AS points, t.id AS tier_id,
                       COALESCE(s.leaderboard_points, 0) AS leaderboard_points
                  FROM sums s
             FULL JOIN standing st ON st.partner_id = s.partner_id AND st.company_id = s.company_id
             LEFT JOIN tiers t ON s.points >= t.min_points
                              AND (t.next_min_points IS NULL OR s.points < t.next_min_points)
            ), written AS (
                INSERT INTO social_advocacy_standing (partner_id, company_id, points, tier_id, leaderboard_points)
                SELECT partner_id, company_id, points, tier_id, leaderboard_points
                  FROM target
                 WHERE old_points IS DISTINCT FROM points OR old_tier_id IS DISTINCT FROM tier_id
                    OR old_leaderboard_points IS DISTINCT FROM leaderboard_points
                ON CONFLICT (partner_id, company_id) DO UPDATE
                   SET points = EXCLUDED.points, tier_id = EXCLUDED.tier_id,
                       leaderboard_points = EXCLUDED.leaderboard_points
            )
            INSERT INTO social_advocacy_tier_history (partner_id, company_id, old_tier_id, tier_id, points, date)
            SELECT partner_id, company_id, old_tier_id, tier_id, points, %(today)s
              FROM target
             WHERE old_tier_id IS DISTINCT FROM tier_id
        """, since=since, leaderboard_since=leaderboard_since, earned=earned_points_sql(), scope=scope,
            today=fields.Date.context_today(self))
        if all_partners:
            # JIT compiling the statement over all partners costs ~0.9 s and saves nothing (EXPLAIN
            # ANALYZE in bench/bench_advocacy.py's setting)
            query = without_jit(query)
        if not queue_if_contended:
            self.env.execute_query(query)
        elif not execute_unless_contended(self.env.cr, query):
            self._advocacy_queue()
        self.env["social.advocacy.standing"].invalidate_model()
        self.invalidate_model(["advocacy_standing_ids", "advocacy_points", "advocacy_tier_id"])
        self.env["social.advocacy.tier.history"].invalidate_model()

    def _advocacy_queue(self):
        """Leave these advocates to the standings' job (standing and referral code), started now."""
        self.env.execute_query(SQL(
            "INSERT INTO social_advocacy_standing_queue (partner_id) SELECT unnest(%s::int[])", self.ids))
        self.env.ref("social_crm_advocacy.ir_cron_recompute_queued_standings").sudo()._trigger()

    def action_view_advocacy_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm_advocacy.social_advocacy_action_action")
        action["domain"] = [("partner_id", "=", self.id), ("company_id", "=", self.env.company.id)]
        action["context"] = {"default_partner_id": self.id, "default_action_type": "manual"}
        return action

    # ------------------------------------------------------------------ erasure and export

    def _social_erase(self):
        """The partners leave the programme: their ledger, standing, tier history, redemptions, referral
        code and their name as referrer on leads and orders go. The ledger stays consistent: a partner's
        entries (reversals point at the same partner's rows) all go together, the others' are untouched.
        Coupons already issued are kept: they are the customer's, like their orders."""
        Action = self.env["social.advocacy.action"]
        redemptions = self.env["social.advocacy.redemption"].search([("partner_id", "in", self.ids)])
        standings = self.env["social.advocacy.standing"].search([("partner_id", "in", self.ids)])
        history = self.env["social.advocacy.tier.history"].search([("partner_id", "in", self.ids)])
        action_count = Action.search_count([("partner_id", "in", self.ids)])
        redemptions.unlink()  # their chatter goes with them; they point at the ledger, so first
        # In SQL: the ledger is append-only for users (write and unlink refuse), and each unlink would
        # recompute the standings about to be deleted. Reversals first: they point at their origin.
        Action.flush_model()
        self.env.execute_query(SQL("""
            DELETE FROM social_advocacy_action WHERE partner_id = ANY(%(ids)s) AND reversed_action_id IS NOT NULL;
            DELETE FROM social_advocacy_action WHERE partner_id = ANY(%(ids)s);
            DELETE FROM social_advocacy_award_queue WHERE partner_id = ANY(%(ids)s);
            DELETE FROM social_advocacy_standing_queue WHERE partner_id = ANY(%(ids)s);
        """, ids=self.ids))
        Action.invalidate_model()
        standings.unlink()
        history.unlink()
        self._advocacy_erase_referrals()
        self.invalidate_recordset(["advocacy_standing_ids", "advocacy_points", "advocacy_tier_id",
                                   "advocacy_balance", "advocacy_action_count", "advocacy_coupon_redemption_ids"])
        counts = super()._social_erase()
        counts.update({
            self.env._("advocacy actions"): action_count, self.env._("redemptions"): len(redemptions),
            self.env._("advocacy standings"): len(standings), self.env._("tier changes"): len(history),
        })
        return counts

    def _advocacy_erase_referrals(self):
        """Forget the partners as referrers: their code, the leads and orders naming them, and the tracked
        changes of those fields (which hold their name)."""
        fields_referrer = self.env["ir.model.fields"].search([
            ("model", "in", ("crm.lead", "sale.order")), ("name", "=", "advocacy_referrer_id")])
        self.env["mail.tracking.value"].search([
            ("field_id", "in", fields_referrer.ids),
            "|", ("old_value_integer", "in", self.ids), ("new_value_integer", "in", self.ids)]).unlink()
        # in SQL: writing them would track the change, the partner's name in it
        for model in ("crm.lead", "sale.order"):
            self.env[model].flush_model(["advocacy_referrer_id"])
        self.flush_recordset(["advocacy_referral_code"])
        self.env.execute_query(SQL("""
            UPDATE sale_order SET advocacy_referrer_id = NULL, advocacy_referral_code = NULL
             WHERE advocacy_referrer_id = ANY(%(ids)s);
            UPDATE crm_lead SET advocacy_referrer_id = NULL WHERE advocacy_referrer_id = ANY(%(ids)s);
            UPDATE res_partner SET advocacy_referral_code = NULL WHERE id = ANY(%(ids)s);
        """, ids=self.ids))
        self.env["sale.order"].invalidate_model(["advocacy_referrer_id", "advocacy_referral_code"])
        self.env["crm.lead"].invalidate_model(["advocacy_referrer_id"])
        self.invalidate_recordset(["advocacy_referral_code"])

    def _social_export_data(self):
        data = super()._social_export_data()
        actions = self.env["social.advocacy.action"].search([("partner_id", "=", self.id)], order="date, id")
        redemptions = self.env["social.advocacy.redemption"].search([("partner_id", "=", self.id)], order="id")
        history = self.env["social.advocacy.tier.history"].search([("partner_id", "=", self.id)], order="date, id")
        standings = self.env["social.advocacy.standing"].search([("partner_id", "=", self.id)])
        by_company = {standing.company_id: standing for standing in standings}
        data["advocacy"] = {
            # points, tier and balance are kept per company: each one's, from its own actions
            "companies": [{
                "company": company.name,
                "points_12_months": by_company[company].points if company in by_company else 0,
                "tier": by_company[company].tier_id.name or None if company in by_company else None,
                "balance": self._advocacy_balances(company)[self.id],
            } for company in (actions.company_id | standings.company_id).sorted("id")],
            "referral_code": self.advocacy_referral_code or None,
            "actions": [{
                "id": action.id, "type": action.action_type, "points": action.points,
                "date": fields.Date.to_string(action.date), "mention_id": action.mention_id.id or None,
                "sale_order": action.sale_order_id.name or None, "reverses": action.reversed_action_id.id or None,
                "note": action.note or None,
            } for action in actions],
            "redemptions": [{
                "id": redemption.id, "reward": redemption.reward_id.name, "points": redemption.points,
                "state": redemption.state, "decided_on": fields.Datetime.to_string(redemption.decision_date) or None,
                "delivered_on": fields.Datetime.to_string(redemption.delivered_date) or None,
                "coupon": redemption.coupon_id.code or None, "note": redemption.note or None,
            } for redemption in redemptions],
            "tier_changes": [{
                "date": fields.Date.to_string(change.date), "from": change.old_tier_id.name or None,
                "to": change.tier_id.name or None, "points": change.points,
            } for change in history],
            "referred_orders": self.env["sale.order"].search([("advocacy_referrer_id", "=", self.id)]).mapped("name"),
        }
        return data
