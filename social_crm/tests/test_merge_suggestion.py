from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SocialCrmCommon


@tagged("social_crm", "post_install", "-at_install")
class TestMergeSuggestion(SocialCrmCommon):

    def setUp(self):
        super().setUp()
        (match,) = self.env["social.identity"]._resolve_authors(
            [{"network": "x", "handle": "carl_x", "email": "carl@example.com"}])
        self.profile = match.profile
        self.suggestion = self.env["social.merge.suggestion"].search([("profile_id", "=", self.profile.id)])

    def test_link_to_b(self):
        self.suggestion.action_link_b()
        self.assertEqual(self.profile.partner_id, self.suggestion.partner_b_id)
        self.assertEqual(self.suggestion.state, "linked")
        with self.assertRaises(UserError):
            self.suggestion.action_link_a()

    def test_merge_through_odoo_wizard(self):
        action = self.suggestion.action_merge()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertEqual(wizard.partner_ids, self.carl | self.carl_twin)
        wizard.action_merge()
        self.assertEqual(self.suggestion.state, "merged")
        self.assertEqual(len((self.carl | self.carl_twin).exists()), 1)

    def test_dismiss(self):
        self.suggestion.action_dismiss()
        self.assertEqual(self.suggestion.state, "dismissed")
        self.assertFalse(self.profile.partner_id)
