from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("social_crm", "post_install", "-at_install")
class TestSocialCrmInstall(TransactionCase):
    """The addon is installed with its groups, their implications and its menus."""

    def test_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "social_crm")])
        self.assertEqual(module.state, "installed")

    def test_groups_imply_each_other(self):
        user_group = self.env.ref("social_crm.social_crm_group_user")
        manager_group = self.env.ref("social_crm.social_crm_group_manager")
        self.assertEqual(user_group.full_name, "Social CRM / User")
        self.assertEqual(manager_group.full_name, "Social CRM / Manager")
        self.assertIn(user_group, manager_group.implied_ids)
        self.assertIn(self.env.ref("base.group_user"), user_group.implied_ids)
        self.assertTrue(self.env.ref("base.user_admin").has_group("social_crm.social_crm_group_manager"))

    def test_sales_groups_bring_social_crm_access(self):
        salesman = new_test_user(self.env, login="sc_salesman", groups="sales_team.group_sale_salesman")
        sales_manager = new_test_user(self.env, login="sc_sales_manager", groups="sales_team.group_sale_manager")
        employee = new_test_user(self.env, login="sc_employee", groups="base.group_user")
        self.assertTrue(salesman.has_group("social_crm.social_crm_group_user"))
        self.assertFalse(salesman.has_group("social_crm.social_crm_group_manager"))
        self.assertTrue(sales_manager.has_group("social_crm.social_crm_group_manager"))
        self.assertFalse(employee.has_group("social_crm.social_crm_group_user"))

    def test_menus_under_crm(self):
        root = self.env.ref("social_crm.social_crm_menu_root")
        self.assertEqual(root.parent_id, self.env.ref("crm.crm_menu_root"))
        self.assertEqual(root.groups_id, self.env.ref("social_crm.social_crm_group_user"))
        config = self.env.ref("social_crm.social_crm_menu_config")
        self.assertEqual(config.parent_id, self.env.ref("crm.crm_menu_config"))
