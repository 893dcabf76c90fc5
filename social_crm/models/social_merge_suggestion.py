import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)


class SocialMergeSuggestion(models.Model):
    """An identity that points at two different contacts; a user decides, nothing is merged silently."""

    _name = "social.merge.suggestion"
    _description = "Social Identity Merge Suggestion"
    _order = "create_date desc, id desc"

    profile_id = fields.Many2one(
        comodel_name="social.profile", required=True, index=True, ondelete="cascade")
    partner_a_id = fields.Many2one(comodel_name="res.partner", string="Contact A", required=True, ondelete="cascade")
    partner_b_id = fields.Many2one(comodel_name="res.partner", string="Contact B", required=True, ondelete="cascade")
    reason = fields.Selection(
        selection=[
            ("profile_vs_email", "Profile linked to another contact than its e-mail"),
            ("profile_vs_phone", "Profile linked to another contact than its phone"),
            ("email_vs_phone", "E-mail and phone belong to different contacts"),
            ("shared_email", "Several contacts share this e-mail"),
            ("shared_phone", "Several contacts share this phone"),
        ],
        required=True)
    evidence = fields.Char(help="The keys that matched: the handle, e-mail or phone, never message content.")
    state = fields.Selection(
        selection=[("open", "To decide"), ("linked", "Linked"), ("merged", "Merged"), ("dismissed", "Dismissed")],
        default="open", required=True, index=True)
    company_id = fields.Many2one(related="profile_id.company_id", store=True, index=True)

    def init(self):
        result = super().init()
        # One open suggestion per profile and pair of contacts, even when concurrent batches find
        # the same ambiguity: the second one's insert is refused and skipped (see _suggest_merges).
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                self.env.cr.execute(SQL("""
                    CREATE UNIQUE INDEX IF NOT EXISTS social_merge_suggestion_open_uniq
                        ON social_merge_suggestion (profile_id, LEAST(partner_a_id, partner_b_id),
                                                    GREATEST(partner_a_id, partner_b_id))
                     WHERE state = 'open'
                """))
        except psycopg2.IntegrityError:
            _logger.warning("Open merge suggestions are duplicated: decide or dismiss the duplicates, then update "
                            "the module so that concurrent batches cannot suggest the same merge twice.")
        return result

    @api.constrains("partner_a_id", "partner_b_id")
    def _check_distinct_partners(self):
        # Not an SQL CHECK: merging the two contacts legitimately makes them one afterwards.
        if any(s.partner_a_id == s.partner_b_id for s in self):
            raise ValidationError(self.env._("A merge suggestion needs two different contacts."))

    @api.depends("profile_id", "partner_a_id", "partner_b_id")
    def _compute_display_name(self):
        for suggestion in self:
            suggestion.display_name = self.env._(
                "%(profile)s: %(a)s or %(b)s?", profile=suggestion.profile_id.display_name,
                a=suggestion.partner_a_id.display_name, b=suggestion.partner_b_id.display_name)

    def _ensure_open(self):
        if self.state != "open":
            raise UserError(self.env._("This suggestion was already decided (%(state)s).", state=self.state))

    def action_link_a(self):
        return self._link(self.partner_a_id)

    def action_link_b(self):
        return self._link(self.partner_b_id)

    def _link(self, partner):
        self.ensure_one()
        self._ensure_open()
        self.profile_id.partner_id = partner
        self.state = "linked"
        return True

    def action_merge(self):
        """Open Odoo's contact merge wizard on the two contacts, the profile's owner kept."""
        self.ensure_one()
        self._ensure_open()
        partners = self.partner_a_id | self.partner_b_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "base.partner.merge.automatic.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "res.partner",
                "active_ids": partners.ids,
            },
        }

    def action_dismiss(self):
        self.filtered(lambda s: s.state == "open").state = "dismissed"
        return True
