from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAdvocacyInstall(TransactionCase):
    """Installed on top of the base and reputation addons, its menu follows the Social CRM groups."""

    def test_installed_with_dependencies(self):
        advocacy = self.env["ir.module.module"].search([("name", "=", "social_crm_advocacy")])
        self.assertEqual(advocacy.state, "installed")
        self.assertEqual(set(advocacy.dependencies_id.mapped("name")),
                         {"social_crm", "social_crm_reputation", "loyalty"})
        self.assertEqual(set(advocacy.dependencies_id.depend_id.mapped("state")), {"installed"})

    def test_menu_reserved_to_social_crm_users(self):
        menu = self.env.ref("social_crm_advocacy.social_crm_advocacy_menu_root")
        user_group = self.env.ref("social_crm.social_crm_group_user")
        self.assertEqual(menu.parent_id, self.env.ref("crm.crm_menu_root"))
        self.assertEqual(menu.groups_id, user_group)
        outsider = new_test_user(self.env, login="adv_outsider", groups="base.group_user")
        manager = new_test_user(self.env, login="adv_manager", groups="social_crm.social_crm_group_manager")
        self.assertFalse(outsider.groups_id & menu.groups_id)
        self.assertTrue(manager.has_group("social_crm.social_crm_group_user"))
