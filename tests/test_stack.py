"""The addons together, seen from outside: installed in order, served over HTTP and RPC."""
from odoo.tests import HttpCase, TransactionCase, tagged

ADDONS = ("social_crm", "social_crm_reputation", "social_crm_advocacy", "social_crm_reputation_survey",
          "social_crm_youtube")


@tagged("social_crm_stack", "post_install", "-at_install")
class TestStackInstalled(TransactionCase):

    def test_addons_installed_with_python_dependencies(self):
        modules = self.env["ir.module.module"].search([("name", "in", ADDONS)])
        self.assertEqual({m.name: m.state for m in modules}, dict.fromkeys(ADDONS, "installed"))
        for module in modules:
            self.assertRegex(module.latest_version, r"^18\.0\.\d+\.\d+\.\d+$", "an Odoo 18.0 series version")
            self.assertEqual(module.license, "AGPL-3")
            self.assertEqual(module.category_id, self.env.ref("base.module_category_sales_crm"))

    def test_demo_data_loaded(self):
        # make test and make run install with demo data: the addons' demo must load with Odoo's.
        self.assertTrue(self.env["ir.module.module"].search([("name", "=", "social_crm")]).demo)


@tagged("social_crm_stack", "post_install", "-at_install")
class TestStackOverHttp(HttpCase):

    def test_login_page_served(self):
        response = self.url_open("/web/login")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="login"', response.text)

    def test_admin_sees_addons_installed_over_json_rpc(self):
        self.authenticate("admin", "admin")
        answer = self.make_jsonrpc_request("/web/dataset/call_kw/ir.module.module/search_read", {
            "model": "ir.module.module",
            "method": "search_read",
            "args": [[("name", "in", ADDONS)], ["name", "state"]],
            "kwargs": {},
        })
        self.assertEqual({row["name"]: row["state"] for row in answer}, dict.fromkeys(ADDONS, "installed"))
