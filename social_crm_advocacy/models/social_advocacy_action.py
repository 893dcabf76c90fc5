"""The advocacy ledger: one row per scored action, never edited, never silently deleted.

A partner's balance is the sum of its actions. Corrections are new rows (``reversal``) pointing at
the row they cancel, so the history stays auditable and the sum stays right.
"""
import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from odoo.addons.social_crm.tools.bulk import insert_records
from odoo.addons.social_crm.tools.concurrency import run_unless_contended

# Other addons add types with selection_add on social.advocacy.action's action_type: rules offer them
# at once (social.advocacy.rule._selection_action_type), and ``_award_check_<type>`` methods of
# social.advocacy.rule hold their anti-gaming checks.
ACTION_TYPES = [
    ("positive_mention", "Positive Mention"),
    ("share", "Share"),
    ("review", "Review"),
    ("referral", "Referral"),
    ("community_answer", "Community Answer"),
    ("ugc", "User-Generated Content"),
    ("manual", "Manual"),
    ("redemption", "Redemption"),
    ("reversal", "Reversal"),
]
# Types whose points are taken away from the balance.
DEBIT_TYPES = ("redemption",)
# Types recorded by people or by the programme itself, never awarded by a rule.
UNRULED_TYPES = ("manual", "redemption", "reversal")
MAX_POINTS = 10_000


def earned_points_sql():
    """SQL condition on a ``social_advocacy_action`` row: its points were earned, they rank the
    advocate (tiers, leaderboard). Redemptions are not: they spend the balance. Reversals count,
    negative: the points they cancel no longer rank anybody; a reversal of a reversal (an order
    confirmed again, a forum post back) earns them again. A redemption itself is never reversed
    (``_reverse``), so every reversal chain starts from points earned."""
    return SQL("(action_type NOT IN %s)", DEBIT_TYPES)


class SocialAdvocacyAction(models.Model):
    _name = "social.advocacy.action"
    _description = "Advocacy Action"
    _order = "date desc, id desc"
    _rec_name = "action_type"

    # This ledger grows with every mention and order: indexed on what balances and caps group by.
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Advocate", required=True, index=True, ondelete="restrict",
        readonly=True)
    action_type = fields.Selection(selection=ACTION_TYPES, string="Type", required=True, index=True, readonly=True)
    points = fields.Integer(required=True, readonly=True, aggregator="sum",
                            help="Points earned (negative for redemptions and reversals).")
    date = fields.Date(required=True, index=True, default=fields.Date.context_today, readonly=True)
    mention_id = fields.Many2one(
        comodel_name="social.mention", index="btree_not_null", ondelete="set null", readonly=True)
    sale_order_id = fields.Many2one(
        comodel_name="sale.order", string="Sales Order", index="btree_not_null", ondelete="set null", readonly=True)
    rule_id = fields.Many2one(
        comodel_name="social.advocacy.rule", index="btree_not_null", ondelete="set null", readonly=True)
    reversed_action_id = fields.Many2one(
        comodel_name="social.advocacy.action", string="Reverses", index="btree_not_null", ondelete="restrict",
        readonly=True)
    reversal_ids = fields.One2many(
        comodel_name="social.advocacy.action", inverse_name="reversed_action_id", string="Reversed By")
    note = fields.Text()
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, readonly=True,
        default=lambda self: self.env.company)
    # An award of a capped rule is numbered within its period: the n-th of the advocate with that
    # rule in that company. A unique index on the number holds the cap exactly, whatever batches
    # award at the same time (see _record).
    cap_period_start = fields.Date(string="Cap Period", readonly=True, copy=False)
    cap_slot = fields.Integer(string="Award Number in Cap Period", readonly=True, copy=False)

    _sql_constraints = [
        ("points_bounded", f"CHECK(points BETWEEN {-MAX_POINTS} AND {MAX_POINTS})",
         "An advocacy action is worth at most 10,000 points either way."),
        ("reversal_has_origin", "CHECK((action_type = 'reversal') = (reversed_action_id IS NOT NULL))",
         "A reversal, and only a reversal, points at the action it cancels."),
    ]

    def init(self):
        result = super().init()
        # Double scoring is impossible by construction: one action of a type per mention, one
        # referral per order, one reversal per action. Partial UNIQUE indexes (NULLs excluded).
        cr = self.env.cr
        for name, columns, where in (
            ("social_advocacy_action_mention_type_uniq", "mention_id, action_type", "mention_id IS NOT NULL"),
            ("social_advocacy_action_order_referral_uniq", "sale_order_id",
             "sale_order_id IS NOT NULL AND action_type = 'referral'"),
            ("social_advocacy_action_reversal_uniq", "reversed_action_id", "reversed_action_id IS NOT NULL"),
            ("social_advocacy_action_cap_slot_uniq", "partner_id, rule_id, company_id, cap_period_start, cap_slot",
             "cap_slot IS NOT NULL"),
        ):
            if not index_exists(cr, name):
                cr.execute(SQL("CREATE UNIQUE INDEX %s ON %s (%s) WHERE %s", SQL.identifier(name),
                               SQL.identifier(self._table), SQL(columns), SQL(where)))
        # Balances, caps and the rolling points group by partner over dates.
        if not index_exists(cr, "social_advocacy_action_partner_date_idx"):
            cr.execute(SQL("CREATE INDEX %s ON %s (partner_id, date) INCLUDE (points)",
                           SQL.identifier("social_advocacy_action_partner_date_idx"),
                           SQL.identifier(self._table)))
        return result

    @api.depends("action_type", "points", "partner_id")
    def _compute_display_name(self):
        labels = dict(self._fields["action_type"]._description_selection(self.env))
        for action in self:
            action.display_name = self.env._(
                "%(type)s: %(points)s pts (%(partner)s)", type=labels.get(action.action_type, ""),
                points=action.points, partner=action.partner_id.name or "")

    @api.constrains("action_type", "points")
    def _check_points_sign(self):
        for action in self:
            if action.action_type in DEBIT_TYPES and action.points >= 0:
                raise ValidationError(self.env._("A redemption takes points away: its points must be negative."))
            if action.action_type not in DEBIT_TYPES + ("reversal",) and action.points <= 0:
                raise ValidationError(self.env._(
                    "An advocacy action earns points: %(points)s is not a positive number.", points=action.points))

    @api.constrains("reversed_action_id", "points", "partner_id", "company_id")
    def _check_reversal(self):
        for action in self.filtered("reversed_action_id"):
            origin = action.reversed_action_id
            if action.points != -origin.points or action.partner_id != origin.partner_id \
                    or action.company_id != origin.company_id:
                raise ValidationError(self.env._(
                    "A reversal must cancel exactly the %(points)s points of the action it reverses, "
                    "for the same advocate and company.", points=origin.points))

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions._update_advocates()
        return actions

    @api.model
    def _record(self, vals_list):
        """Record the actions the rules award, with one ``COPY`` (the ledger grows with every batch
        of new mentions: ``create`` would cost more than the rest of their ingestion, see the
        README's benchmarks). The values are complete, as :meth:`~.social_advocacy_rule._award_plan`
        gives them; the checks of ``create`` run on the stored rows.

        Awards of capped rules carry their number within the period (``cap_slot``). A concurrent
        batch that numbered the same awards of the same advocate first makes their insert fail
        (unique index), or wait for it: those awards are queued instead, and the awards' job
        numbers them again once that batch is over: the cap is never exceeded, and neither batch
        fails or waits for the other (beyond a short lock timeout).
        """
        capped = [vals for vals in vals_list if vals.get("cap_slot")]
        actions = insert_records(self, [vals for vals in vals_list if not vals.get("cap_slot")])
        if capped:
            self.flush_model()
            done, inserted = run_unless_contended(
                self.env.cr, lambda: insert_records(self, capped), errors=(psycopg2.errors.UniqueViolation,))
            if done:
                actions |= inserted
            else:
                self.env["social.advocacy.award.queue"]._queue(capped)
        actions._validate_fields({name for vals in vals_list for name in vals})
        actions._update_advocates(queue_if_contended=True)
        return actions

    def _update_advocates(self, queue_if_contended=False):
        """Rolling points, tiers and referral codes of the advocates of new actions (in that order:
        the recompute takes its advocates out of the queue that a contended code puts them in)."""
        self.partner_id._advocacy_recompute_points(queue_if_contended=queue_if_contended)
        self.partner_id._advocacy_ensure_referral_code(queue_if_contended=queue_if_contended)
        self.partner_id.invalidate_recordset(["advocacy_balance", "advocacy_action_count"])

    def write(self, vals):
        # The ledger is append-only: only the note may change; corrections are reversals.
        if set(vals) - {"note"}:
            raise UserError(self.env._(
                "Advocacy actions cannot be changed once recorded, only annotated: "
                "record a reversal to correct one."))
        return super().write(vals)

    def unlink(self):
        partners = self.partner_id
        result = super().unlink()
        partners._advocacy_recompute_points()
        partners.invalidate_recordset(["advocacy_balance", "advocacy_action_count"])
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_manual_by_managers(self):
        if not self.env.su and not self.env.user.has_group("social_crm.social_crm_group_manager"):
            raise UserError(self.env._("Only Social CRM managers may delete advocacy actions."))
        if self.filtered(lambda a: a.action_type != "manual" or a.reversal_ids):
            raise UserError(self.env._(
                "Only manual actions that were never reversed can be deleted; record a reversal instead."))

    def _reverse(self, note=False):
        """Create one reversal per action of ``self`` (in one ``create``); answer the reversals."""
        if not self:
            return self
        if spent := self.filtered(lambda action: action.action_type in DEBIT_TYPES):
            raise UserError(self.env._(
                "%(action)s spent points on a reward: it is not reversed. Refuse the redemption before its "
                "approval, or award the points back as a manual action.", action=spent[0].display_name))
        already = self.sudo().search([("reversed_action_id", "in", self.ids)], limit=1).reversed_action_id
        if already:
            raise UserError(self.env._("%(action)s was already reversed.", action=already.display_name))
        # sudo: the ledger is written by the programme itself (users only read it); callers check rights.
        return self.sudo().create([{
            "partner_id": action.partner_id.id,
            "action_type": "reversal",
            "points": -action.points,
            "date": fields.Date.context_today(self),
            "mention_id": False,
            "sale_order_id": action.sale_order_id.id,
            "reversed_action_id": action.id,
            "company_id": action.company_id.id,
            "note": note or False,
        } for action in self]).sudo(self.env.su)

    def action_reverse(self):
        """Button for managers: cancel these actions by reversing them."""
        if not self.env.user.has_group("social_crm.social_crm_group_manager"):
            raise UserError(self.env._("Only Social CRM managers may reverse advocacy actions."))
        self._reverse(note=self.env._("Reversed by %(user)s", user=self.env.user.name))
        return True
