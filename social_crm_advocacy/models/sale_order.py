"""Referrals: a quotation names the advocate who brought the customer; confirming it scores once.

Ledger of one order (all rows carry ``sale_order_id``): the ``referral`` action, then a chain of
``reversal`` rows, each reversing the previous one. Cancelling reverses the last row if it is
positive; confirming again reverses that reversal (re-award, same points). So the order's net is
always 0 or the referral points, the sum of the ledger stays the balance, and no order scores twice.
"""
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # Internal: a portal customer reading their order must not learn who referred them.
    advocacy_referrer_id = fields.Many2one(
        comodel_name="res.partner", string="Referring Advocate", index="btree_not_null", tracking=True,
        ondelete="restrict", groups="base.group_user",
        help="The advocate who brought this customer: confirming the order awards them referral points, once.")
    advocacy_referral_code = fields.Char(
        string="Referral Code", copy=False, groups="base.group_user",
        help="Type the advocate's referral code to fill in who referred the customer.")
    advocacy_action_ids = fields.One2many(
        comodel_name="social.advocacy.action", inverse_name="sale_order_id", string="Advocacy Actions",
        groups="base.group_user")

    @api.constrains("advocacy_referrer_id", "partner_id")
    def _check_advocacy_referrer(self):
        for order in self.filtered("advocacy_referrer_id"):
            if order.advocacy_referrer_id.commercial_partner_id == order.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "%(referrer)s cannot refer their own order %(order)s: a referrer must be another customer.",
                    referrer=order.advocacy_referrer_id.display_name, order=order.name))

    @api.onchange("advocacy_referral_code")
    def _onchange_advocacy_referral_code(self):
        if not self.advocacy_referral_code:
            return None
        referrer = self.env["res.partner"]._advocacy_find_by_code(self.advocacy_referral_code)
        if not referrer:
            return {"warning": {
                "title": self.env._("Unknown referral code"),
                "message": self.env._("No advocate has the referral code %(code)s.",
                                      code=self.advocacy_referral_code)}}
        self.advocacy_referral_code = referrer.advocacy_referral_code
        self.advocacy_referrer_id = referrer
        return None

    @api.model
    def _advocacy_resolve_code(self, vals):
        if vals.get("advocacy_referral_code"):
            referrer = self.env["res.partner"]._advocacy_find_by_code(vals["advocacy_referral_code"])
            if not referrer:
                raise ValidationError(self.env._(
                    "No advocate has the referral code %(code)s.", code=vals["advocacy_referral_code"]))
            vals["advocacy_referral_code"] = referrer.advocacy_referral_code
            vals["advocacy_referrer_id"] = referrer.id
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._advocacy_resolve_code(dict(vals)) for vals in vals_list])

    def write(self, vals):
        vals = self._advocacy_resolve_code(dict(vals))
        if "advocacy_referrer_id" in vals:
            scored = self.filtered(lambda o: o.advocacy_action_ids
                                   and o.advocacy_referrer_id.id != vals["advocacy_referrer_id"])
            if scored:
                raise UserError(self.env._(
                    "%(order)s already earned referral points for %(referrer)s: the referrer cannot change.",
                    order=scored[0].name, referrer=scored[0].advocacy_referrer_id.display_name))
        return super().write(vals)

    def action_confirm(self):
        result = super().action_confirm()
        self._advocacy_award_referrals()
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self._advocacy_reverse_referrals()
        return result

    def _advocacy_chain_leaves(self):
        """``{order: last action of its referral chain}`` for these orders (one query)."""
        actions = self.env["social.advocacy.action"].sudo().search_fetch(
            [("sale_order_id", "in", self.ids)], ["sale_order_id", "points", "reversal_ids"])
        return {action.sale_order_id: action for action in actions if not action.reversal_ids}

    def _advocacy_award_referrals(self):
        orders = self.filtered(lambda o: o.advocacy_referrer_id and o.state == "sale")
        if not orders:
            return
        leaves = orders._advocacy_chain_leaves()
        to_award = orders.filtered(lambda o: o not in leaves)
        # Confirmed again after a cancellation: reverse the reversal (same points, same advocate).
        leaves_to_reverse = self.env["social.advocacy.action"].sudo().browse(
            [leaf.id for order, leaf in leaves.items() if order in orders and leaf.points < 0])
        leaves_to_reverse._reverse(note=self.env._("Order confirmed again"))
        self.env["social.advocacy.rule"]._award([
            (order.advocacy_referrer_id, "referral", order, order.date_order) for order in to_award])

    def _advocacy_reverse_referrals(self):
        leaves = self.filtered("advocacy_referrer_id")._advocacy_chain_leaves()
        to_reverse = self.env["social.advocacy.action"].sudo().browse(
            [leaf.id for leaf in leaves.values() if leaf.points > 0])
        to_reverse._reverse(note=self.env._("Order cancelled"))
