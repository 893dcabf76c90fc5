"""Redemptions: an advocate spends points on a reward, a manager approves, someone delivers it.

Approval writes a negative ``redemption`` action of the redemption's company. Points are spent
where they were earned: the balance checked is the one of the redemption's company (its ledger
rows), which never goes below zero: approval locks the advocates' partner rows (``SELECT … FOR
UPDATE``) before reading their balances, so two managers approving at the same time are serialised
and the second one sees the points the first one spent.

Nobody has to watch the list: a request gives the advocate's salesperson a to-do when they may
approve it, and otherwise notifies the Social CRM managers of the company (and the salesperson);
approval e-mails the advocate. Delivery (the gift handed over, the coupon used...) is the last step.
"""
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

STATES = [("requested", "Requested"), ("approved", "Approved"), ("delivered", "Delivered"), ("refused", "Refused")]


class SocialAdvocacyRedemption(models.Model):
    _name = "social.advocacy.redemption"
    _description = "Advocacy Reward Redemption"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    delivered_by_id = fields.Many2one(comodel_name="res.users", readonly=True, tracking=True)
    delivered_date = fields.Datetime(string="Delivered On", readonly=True, copy=False,
                                     help="When the reward was handed over, sent or its coupon given.")
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
        redemptions._notify_requested()
        return redemptions

    def write(self, vals):
        if {"partner_id", "reward_id", "points"} & set(vals) and any(r.state != "requested" for r in self):
            raise UserError(self.env._("A decided redemption cannot be changed."))
        if {"state", "action_id", "approved_by_id", "decision_date", "delivered_by_id", "delivered_date"} & set(vals):
            self._check_manager()
        return super().write(vals)

    # ------------------------------------------------------------------ notifications

    def _salesperson(self):
        """The advocate's salesperson (the contact's, else its company's), an internal user or none."""
        self.ensure_one()
        user = self.partner_id.user_id or self.partner_id.commercial_partner_id.user_id
        return user if user and user.active and not user.share else self.env["res.users"]

    def _approvers(self):
        """The Social CRM managers who may approve redemptions of this one's company."""
        self.ensure_one()
        # sudo: who approves is asked on behalf of the requester, who may not read groups' members
        managers = self.env.ref("social_crm.social_crm_group_manager").sudo().users
        return managers.filtered(
            lambda user: user.active and not user.share and self.company_id in user.company_ids
        ).sudo(self.env.su)

    def _notify_requested(self):
        """Tell whoever approves: the advocate's salesperson gets a to-do when they may approve
        (a Social CRM manager); otherwise the managers of the company are notified, and the
        salesperson with them. The requester is never told about their own request."""
        todo_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for redemption in self:
            salesperson = redemption._salesperson()
            approvers = redemption._approvers()
            summary = self.env._("Approve or refuse: %(reward)s for %(partner)s (%(points)s points)",
                                 reward=redemption.reward_id.name, partner=redemption.partner_id.name,
                                 points=redemption.points)
            if salesperson and salesperson in approvers:
                redemption.activity_schedule(
                    activity_type_id=todo_type.id if todo_type else False, user_id=salesperson.id,
                    summary=summary, date_deadline=fields.Date.context_today(redemption))
                continue
            told = (approvers | salesperson) - self.env.user
            if told:
                redemption.message_post(
                    body=self.env._(
                        "%(partner)s asks for %(reward)s (%(points)s points): a Social CRM manager approves or "
                        "refuses it.", partner=redemption.partner_id.name, reward=redemption.reward_id.name,
                        points=redemption.points),
                    message_type="comment", subtype_xmlid="mail.mt_note", partner_ids=told.partner_id.ids)

    def _notify_approved(self):
        """E-mail the advocate that the reward is approved (the coupon code included); an advocate
        without an e-mail address is told by their salesperson, or by the manager who approved."""
        template = self.env.ref("social_crm_advocacy.mail_template_redemption_approved", raise_if_not_found=False)
        call_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        for redemption in self:
            if redemption.partner_id.email and template:
                redemption.message_post_with_source(
                    template, message_type="comment", subtype_xmlid="mail.mt_comment",
                    partner_ids=redemption.partner_id.ids)
                continue
            redemption.activity_schedule(
                activity_type_id=call_type.id if call_type else False,
                user_id=(redemption._salesperson() or self.env.user).id,
                summary=self.env._("Tell %(partner)s their reward is approved (no e-mail address)",
                                   partner=redemption.partner_id.name),
                date_deadline=fields.Date.context_today(redemption))

    def _close_approval_activities(self, feedback):
        """Mark the to-dos of the decision done, with ``feedback``."""
        todo_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        activities = self.activity_ids.filtered(lambda activity: activity.activity_type_id == todo_type)
        if activities:
            activities.action_feedback(feedback=feedback)

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
        self._close_approval_activities(self.env._("Approved by %(user)s", user=self.env.user.name))
        self.invalidate_recordset(["partner_balance"])  # what the approval left, for the advocate's e-mail
        self._notify_approved()
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
        self._close_approval_activities(self.env._("Refused by %(user)s", user=self.env.user.name))
        return True

    def action_deliver(self):
        """The approved rewards were handed over: any Social CRM user who delivers them says so."""
        if not self.env.su and not self.env.user.has_group("social_crm.social_crm_group_user"):
            raise AccessError(self.env._("Only Social CRM users may mark rewards as delivered."))
        if any(r.state != "approved" for r in self):
            raise UserError(self.env._("Only approved redemptions can be delivered."))
        # sudo: the one step users take on a decided redemption (states are otherwise managers'):
        # the state and who and when only, checked above
        # (tracked: the chatter says who delivered it)
        self.sudo().write({"state": "delivered", "delivered_by_id": self.env.uid,
                           "delivered_date": fields.Datetime.now()})
        return True
