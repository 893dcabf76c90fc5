from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationInstall(TransactionCase):
    """Installed on top of social_crm, its menu is reserved to the Social CRM groups."""

    def test_installed_after_base(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ("social_crm", "social_crm_reputation"))])
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        reputation = modules.filtered(lambda m: m.name == "social_crm_reputation")
        self.assertIn("social_crm", reputation.dependencies_id.mapped("name"))

    def test_menu_reserved_to_social_crm_users(self):
        menu = self.env.ref("social_crm_reputation.social_crm_reputation_menu_root")
        user_group = self.env.ref("social_crm.social_crm_group_user")
        self.assertEqual(menu.parent_id, self.env.ref("crm.crm_menu_root"))
        self.assertEqual(menu.groups_id, user_group)
        outsider = new_test_user(self.env, login="rep_outsider", groups="base.group_user")
        manager = new_test_user(self.env, login="rep_manager", groups="social_crm.social_crm_group_manager")
        self.assertFalse(outsider.groups_id & menu.groups_id)
        self.assertTrue(manager.has_group("social_crm.social_crm_group_user"))

    def test_vader_is_available(self):
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        analyzer = SentimentIntensityAnalyzer()
        self.assertGreater(analyzer.polarity_scores("I love it!")["compound"], 0.5)
        self.assertLess(analyzer.polarity_scores("This is not good at all.")["compound"], 0)
