"""Redemptions: an advocate spends points on a reward, a manager approves.

Approval writes a negative ``redemption`` action of the redemption's company. Points are spent
where they were earned: the balance checked is the one of the redemption's company (its ledger
rows), which never goes below zero: approval locks the advocates' partner rows (``SELECT … FOR
UPDATE``) before reading their balances, so two managers approving at the same time are serialised
and the second one sees the points the first one spent.
"""
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

STATES = [("requested", "Requested"), ("approved", "Approved"), ("refused", "Refused")]


class SocialAdvocacyRedemption(models.Model):
    _name = "social.advocacy.redemption"
    _description = "Advocacy Reward Redemption"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(comodel_name="res.partner", string="Advocate", required=True, index=True,
                                 ondelete="restrict", tracking=True)
    reward_id = fields.Many2one(comodel_name="social.advocacy.reward", required=True,
                                ondelete="restrict", tracking=True, check_company=True)
    points = fields.Integer(compute="_compute_points", store=True, readonly=False,
                            help="Cost of the reward when it was requested.")
    state = fields.Selection(selection=STATES, default="requested", required=True, index=True, tracking=True,
                             readonly=True)
    approved_by_id = fields.Many2one(comodel_name="res.users", string="Decided By", readonly=True)
    decision_date = fields.Datetime(readonly=True)
    action_id = fields.Many2one(comodel_name="social.advocacy.action", string="Ledger Entry", readonly=True,
                                ondelete="restrict")
    coupon_id = fields.Many2one(comodel_name="loyalty.card", readonly=True, copy=False,
                                index="btree_not_null", ondelete="restrict",
                                help="Coupon issued on approval when the reward has a coupon programme.")
    # Social CRM users have no Loyalty rights: they see the coupon of a redemption they may read
    # through these related fields, read as superuser (related fields are) but only from this
    # redemption's own card.
    coupon_code = fields.Char(related="coupon_id.code", string="Coupon Code")
    coupon_program_id = fields.Many2one(related="coupon_id.program_id", string="Coupon Programme")
    coupon_value = fields.Char(related="coupon_id.points_display", string="Coupon Value")
    coupon_expiration_date = fields.Date(related="coupon_id.expiration_date", string="Coupon Expiration")
    note = fields.Text()
    partner_balance = fields.Integer(string="Advocate's Balance", compute="_compute_partner_balance",
                                     help="The advocate's points balance in the company of this redemption.")
    company_id = fields.Many2one(comodel_name="res.company", required=True, index=True,
                                 default=lambda self: self.env.company)

    @api.depends("reward_id")
    def _compute_points(self):
        for redemption in self:
            redemption.points = redemption.reward_id.points_cost

    @api.depends("partner_id", "company_id")
    def _compute_partner_balance(self):
        for company, redemptions in self.grouped("company_id").items():
            balances = redemptions.partner_id._origin._advocacy_balances(company)
            for redemption in redemptions:
                redemption.partner_balance = balances.get(redemption.partner_id._origin.id, 0)

    @api.depends("partner_id", "reward_id")
    def _compute_display_name(self):
        for redemption in self:
            redemption.display_name = self.env._(
                "%(reward)s for %(partner)s", reward=redemption.reward_id.name or "",
                partner=redemption.partner_id.name or "")

    @api.model_create_multi
    def create(self, vals_list):
        redemptions = super().create(vals_list)
        redemptions._check_balance()
        return redemptions

    def write(self, vals):
        if {"partner_id", "reward_id", "points"} & set(vals) and any(r.state != "requested" for r in self):
            raise UserError(self.env._("A decided redemption cannot be changed."))
        if {"state", "action_id", "approved_by_id", "decision_date"} & set(vals):
            self._check_manager()
        return super().write(vals)

    def _check_balance(self, lock=False):
        """Refuse (UserError) if the advocates cannot afford these redemptions together, each with
        the points of the redemption's company."""
        if lock:
            self.partner_id._advocacy_lock()
        needed = defaultdict(int)
        for redemption in self:
            if redemption.points <= 0:
                raise UserError(self.env._("A redemption costs at least 1 point."))
            needed[redemption.partner_id, redemption.company_id] += redemption.points
        for company, redemptions in self.grouped("company_id").items():
            balances = redemptions.partner_id._advocacy_balances(company)
            for partner in redemptions.partner_id:
                points = needed[partner, company]
                if points > balances[partner.id]:
                    raise UserError(self.env._(
                        "%(partner)s has %(balance)s points with %(company)s: not enough for %(points)s "
                        "points of rewards.", partner=partner.display_name, balance=balances[partner.id],
                        company=company.name, points=points))

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group("social_crm.social_crm_group_manager"):
            raise AccessError(self.env._("Only Social CRM managers may approve or refuse redemptions."))

    def action_approve(self):
        self._check_manager()
        if any(r.state != "requested" for r in self):
            raise UserError(self.env._("Only requested redemptions can be approved."))
        self.flush_recordset()
        self._check_balance(lock=True)
        actions = self.env["social.advocacy.action"].sudo().create([{
            "partner_id": redemption.partner_id.id,
            "action_type": "redemption",
            "points": -redemption.points,
            "company_id": redemption.company_id.id,
            "note": redemption.reward_id.name,
        } for redemption in self])
        coupons = self._issue_coupons()
        for redemption, action in zip(self, actions, strict=True):
            redemption.write({"state": "approved", "action_id": action.id, "approved_by_id": self.env.uid,
                              "decision_date": fields.Datetime.now(),
                              "coupon_id": coupons.get(redemption, self.env["loyalty.card"]).id})
        return True

    def _issue_coupons(self):
        """One ``loyalty.card`` per redemption whose reward has a coupon programme, in one create;
        answers ``{redemption: card}``. The programme's "at creation" communication e-mails it."""
        todo = self.filtered("reward_id.loyalty_program_id")
        if not todo:
            return {}
        # sudo: only managers get here (checked by action_approve); they need no Loyalty rights
        # to issue the coupon the approved reward promises.
        cards = self.env["loyalty.card"].sudo().create([{
            "program_id": redemption.reward_id.loyalty_program_id.id,
            "partner_id": redemption.partner_id.id,
            "points": redemption.reward_id.loyalty_points,
        } for redemption in todo])
        return dict(zip(todo, cards.sudo(False), strict=True))

    def action_refuse(self):
        self._check_manager()
        if any(r.state != "requested" for r in self):
            raise UserError(self.env._("Only requested redemptions can be refused."))
        self.write({"state": "refused", "approved_by_id": self.env.uid, "decision_date": fields.Datetime.now()})
        return True
