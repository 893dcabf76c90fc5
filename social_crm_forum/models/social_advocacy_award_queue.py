from odoo import fields, models

from .social_advocacy_action import FORUM_ACTION_TYPES


class SocialAdvocacyAwardQueue(models.Model):
    _inherit = "social.advocacy.award.queue"

    action_type = fields.Selection(selection_add=FORUM_ACTION_TYPES,
                                   ondelete={code: "cascade" for code, _label in FORUM_ACTION_TYPES})
