"""Points rules of the advocacy programme and the batch service that scores candidate actions."""
from collections import defaultdict
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .social_advocacy_action import MAX_POINTS, UNRULED_TYPES

CAP_PERIODS = [("day", "Day"), ("week", "Week"), ("month", "Month"), ("year", "Year")]


def period_start(day, period):
    """First day of the ``period`` (day/week/month/year) that contains ``day``; weeks start on Monday."""
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


PERIOD_LENGTH = {"day": relativedelta(days=1), "week": relativedelta(weeks=1),
                 "month": relativedelta(months=1), "year": relativedelta(years=1)}


class SocialAdvocacyRule(models.Model):
    _name = "social.advocacy.rule"
    _inherit = ["social.network.mixin"]
    _description = "Advocacy Points Rule"
    _order = "sequence, points desc, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    action_type = fields.Selection(selection="_selection_action_type", required=True,
                                   index=True)
    points = fields.Integer(required=True, default=10)
    network = fields.Selection(help="Only mentions on this network; empty: any network.")
    source_id = fields.Many2one(comodel_name="social.source", ondelete="cascade",
                                help="Only mentions of this source; empty: any source.")
    cap_period = fields.Selection(selection=CAP_PERIODS, 
                                  help="Limit how many times an advocate scores with this rule per period.")
    cap_count = fields.Integer(string="Cap", default=0,
                               help="Most actions an advocate may score with this rule in one period.")
    min_sentiment = fields.Float(
        string="Minimum Sentiment", default=0.0, digits=(3, 2),
        help="Scored mentions (−1 … 1) below this sentiment earn nothing under this rule.")
    company_id = fields.Many2one(comodel_name="res.company", index=True,
                                 default=lambda self: self.env.company)

    @api.model
    def _selection_action_type(self):
        """The action types of the ledger that rules award, those other addons add included: the
        selection of ``social.advocacy.action.action_type``, less the types nobody scores by rule."""
        selection = self.env["social.advocacy.action"]._fields["action_type"]._description_selection(self.env)
        return [(code, label) for code, label in selection if code not in UNRULED_TYPES]

    @api.constrains("action_type")
    def _check_action_type(self):
        # the selection is a method: the ORM does not check the values written against it
        allowed = dict(self._selection_action_type())
        for rule in self:
            if rule.action_type not in allowed:
                raise ValidationError(self.env._(
                    "Rule %(rule)s: %(type)s actions are not awarded by rules.", rule=rule.name,
                    type=rule.action_type))

    @api.constrains("points")
    def _check_points(self):
        for rule in self:
            if not 0 < rule.points <= MAX_POINTS:
                raise ValidationError(self.env._(
                    "Rule %(rule)s: points must be between 1 and %(max)s (got %(points)s).",
                    rule=rule.name, max=MAX_POINTS, points=rule.points))

    @api.constrains("cap_period", "cap_count")
    def _check_cap(self):
        for rule in self:
            if rule.cap_period and rule.cap_count < 1:
                raise ValidationError(self.env._(
                    "Rule %(rule)s: a cap per period needs a count of at least 1 (got %(count)s).",
                    rule=rule.name, count=rule.cap_count))
            if not rule.cap_period and rule.cap_count:
                raise ValidationError(self.env._(
                    "Rule %(rule)s: choose the period the cap of %(count)s applies to.",
                    rule=rule.name, count=rule.cap_count))

    @api.constrains("min_sentiment")
    def _check_min_sentiment(self):
        for rule in self:
            if not -1.0 <= rule.min_sentiment <= 1.0:
                raise ValidationError(self.env._(
                    "Rule %(rule)s: the minimum sentiment is a score between -1 and 1.", rule=rule.name))

    # ------------------------------------------------------------------ scoring service

    def _matches(self, record, company):
        """Whether this rule applies to the mention or order ``record`` of ``company``."""
        self.ensure_one()
        if self.company_id and self.company_id != company:
            return False
        if record._name != "social.mention":
            return not (self.network or self.source_id)
        if self.network and record.network != self.network:
            return False
        if self.source_id and record.source_id != self.source_id:
            return False
        if "sentiment_score" in record._fields and record.sentiment_label not in (False, "unscored"):
            if record.sentiment_score < self.min_sentiment:
                return False
        return True

    @api.model
    def _award(self, candidates):
        """Score a batch of candidate actions and record them in one insert.

        :param candidates: list of ``(partner, action_type, record, date)``, ``record`` being the
            ``social.mention`` or ``sale.order`` the action comes from (or an empty recordset)
        :return: the created ``social.advocacy.action`` records
        """
        vals_list, _skipped = self._award_plan(candidates)
        Action = self.env["social.advocacy.action"]
        if not vals_list:
            return Action
        # sudo: the ledger is written only by the programme (users read it); the plan above
        # applied the rules, caps and anti-gaming checks.
        return Action.sudo()._record(vals_list).sudo(self.env.su)

    @api.model
    def _award_plan(self, candidates):
        """Values of the actions ``candidates`` earn, and ``[(index, reason)]`` of those they don't.

        Queries are per batch, never per candidate: one for duplicates, one for rules, one for the caps.
        """
        skipped, todo = [], []
        for index, (partner, action_type, record, day) in enumerate(candidates):
            if isinstance(day, datetime):
                day = day.date()
            day = day or fields.Date.context_today(self)
            todo.append((index, partner, action_type, record, day))

        taken = self._awarded_keys(
            {rec.id for _i, _p, _t, rec, _d in todo if rec and rec._name == "social.mention"},
            {rec.id for _i, _p, t, rec, _d in todo if rec and rec._name == "sale.order" and t == "referral"})

        # the anti-gaming checks read the partners' commercial entities: those only, in one query
        self.env["res.partner"].browse({p.id for _i, p, _t, _r, _d in todo if p}).fetch(["commercial_partner_id"])
        rules_by_type = self.sudo().search(
            [("action_type", "in", list({t for _i, _p, t, _r, _d in todo}))], order="points desc, sequence, id"
        ).grouped("action_type")

        indexes, vals_list = [], []
        for index, partner, action_type, record, day in todo:
            key = (record._name, record.id, action_type) if record else None
            company = self._award_company(record)
            reason = self._award_refusal(partner, action_type, record)
            if not reason and key in taken:
                reason = "duplicate"
            rule = False
            if not reason:
                rule = next((r for r in rules_by_type.get(action_type, ()) if r._matches(record, company)), False)
                if not rule:
                    reason = "no rule"
            if reason:
                skipped.append((index, reason))
                continue
            if key:
                taken.add(key)
            indexes.append(index)
            vals_list.append({
                "partner_id": partner.id,
                "action_type": action_type,
                "points": rule.points,
                "date": day,
                "rule_id": rule.id,
                **self._award_origin_vals(record),
                "company_id": company.id,
            })
        vals_list, over = self._apply_caps(vals_list)
        skipped += [(indexes[position], "cap") for position in over]
        return vals_list, sorted(skipped)

    @api.model
    def _award_company(self, record):
        """The company of an action earned on ``record``: the record's, else the current one."""
        return (record.company_id if record and "company_id" in record._fields else False) or self.env.company

    @api.model
    def _award_origin_vals(self, record):
        """The ledger fields linking an action to the ``record`` it was earned on; an addon whose
        actions come from records of another model (a forum vote) extends it."""
        return {"mention_id": record.id if record and record._name == "social.mention" else False,
                "sale_order_id": record.id if record and record._name == "sale.order" else False}

    @api.model
    def _awarded_keys(self, mention_ids, order_ids):
        """``{(model, id, action type)}`` of the actions already recorded for these mentions and the
        referrals of these orders (one query)."""
        taken = set()
        if not (mention_ids or order_ids):
            return taken
        domain = ["|", ("mention_id", "in", list(mention_ids)),
                  "&", ("sale_order_id", "in", list(order_ids)), ("action_type", "=", "referral")]
        Action = self.env["social.advocacy.action"].sudo()
        for action in Action.search_fetch(domain, ["mention_id", "sale_order_id", "action_type"]):
            if action.mention_id:
                taken.add(("social.mention", action.mention_id.id, action.action_type))
            if action.sale_order_id and action.action_type == "referral":
                taken.add(("sale.order", action.sale_order_id.id, "referral"))
        return taken

    @api.model
    def _apply_caps(self, vals_list):
        """Number the awards of capped rules in ``vals_list`` within their period (``cap_period_start``,
        ``cap_slot``) after those recorded already (one query); answer the values kept and the
        positions in ``vals_list`` of the awards over their cap.

        The number follows the awards this transaction sees: two batches that saw the same ones give
        the same numbers, which the ledger's unique index lets only one of them store.
        """
        rules = self.sudo().browse({vals["rule_id"] for vals in vals_list}).filtered("cap_period")
        capped = [vals for vals in vals_list if vals["rule_id"] in rules.ids]
        if not capped:
            return vals_list, []
        periods = {(vals["rule_id"], period_start(vals["date"], rules.browse(vals["rule_id"]).cap_period))
                   for vals in capped}
        self.env["social.advocacy.action"].flush_model(
            ["partner_id", "rule_id", "company_id", "date", "cap_period_start", "cap_slot"])
        rows = self.env.execute_query(SQL("""
            SELECT partner_id, rule_id, company_id, date, COUNT(*), MAX(cap_slot)
              FROM social_advocacy_action
             WHERE partner_id = ANY(%s) AND rule_id = ANY(%s) AND date >= %s AND date < %s
          GROUP BY partner_id, rule_id, company_id, date
        """, list({vals["partner_id"] for vals in capped}), rules.ids,
            min(start for _rule, start in periods),
            max(start + PERIOD_LENGTH[rules.browse(rule_id).cap_period] for rule_id, start in periods)))
        used = defaultdict(int)  # awards, or the highest number given, of an advocate's rule and period
        counted = defaultdict(int)
        for partner_id, rule_id, company_id, day, count, top in rows:
            key = (partner_id, rule_id, company_id, period_start(day, rules.browse(rule_id).cap_period))
            counted[key] += count
            used[key] = max(used[key], counted[key], top or 0)
        kept, over = [], []
        for position, vals in enumerate(vals_list):
            if vals["rule_id"] not in rules.ids:
                kept.append(vals)
                continue
            rule = rules.browse(vals["rule_id"])
            start = period_start(vals["date"], rule.cap_period)
            key = (vals["partner_id"], rule.id, vals["company_id"], start)
            if used[key] >= rule.cap_count:
                over.append(position)
                continue
            used[key] += 1
            kept.append({**vals, "cap_period_start": start, "cap_slot": used[key]})
        return kept, over

    @api.model
    def _award_refusal(self, partner, action_type, record):
        """Why ``partner`` may not score ``action_type`` on ``record`` (anti-gaming), or None.

        Checks common to every type, then those of the type: ``_award_check_<action_type>``,
        which an addon adding a type defines for it.
        """
        if not partner:
            return "no partner"
        if partner.commercial_partner_id == self.env.company.partner_id.commercial_partner_id:
            return "self-dealing"  # the company does not advocate for itself
        check = getattr(self, f"_award_check_{action_type}", None)
        return check(partner, record) if check else None

    @api.model
    def _award_check_referral(self, partner, record):
        """A referral is earned on a sales order of someone else, not sold by the referrer."""
        commercial = partner.commercial_partner_id
        if not record or record._name != "sale.order":
            return "referral without order"
        if record.partner_id.commercial_partner_id == commercial:
            return "self-dealing"
        if record.user_id and record.user_id.partner_id.commercial_partner_id == commercial:
            return "self-dealing"  # a salesperson does not refer their own sale
        return None

    @api.model
    def _award_check_community_answer(self, partner, record):
        """A community answer is earned by answering the mention of another customer."""
        asked_by = record.parent_id.partner_id if record and record._name == "social.mention" else False
        if not asked_by:
            return "not an answer to a customer"
        if asked_by.commercial_partner_id == partner.commercial_partner_id:
            return "self-dealing"
        return None
