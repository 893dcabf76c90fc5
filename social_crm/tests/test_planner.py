from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..tools.planner import without_jit


@tagged("social_crm", "post_install", "-at_install")
class TestPlanner(TransactionCase):

    def test_without_jit_for_one_statement_only(self):
        cr = self.env.cr
        cr.execute("SHOW jit")
        default = cr.fetchone()[0]
        cr.execute(without_jit(SQL(
            "CREATE TEMPORARY TABLE test_social_crm_jit ON COMMIT DROP AS SELECT current_setting('jit') AS jit")))
        cr.execute("SELECT jit FROM test_social_crm_jit")
        self.assertEqual(cr.fetchone()[0], "off", "off while the statement runs")
        cr.execute("SHOW jit")
        self.assertEqual(cr.fetchone()[0], default, "back to the default after it")
