"""Who may do what with the models the addons add or open up, as each kind of user.

Groups: Social CRM user, Social CRM manager, a salesperson given no Social CRM group (sales
groups imply the Social CRM ones), a portal user and the public user. Rights are asserted through
the ORM as those users, then over JSON-RPC and XML-RPC against the test server; the source's
secrets are for managers only, whatever the way of reading them.
"""
import json
from datetime import timedelta
from xmlrpc.client import Fault

import requests

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

RPC_FAULT_CODE_ACCESS_ERROR = 4  # odoo/addons/base/controllers/rpc.py
# Access-control lists of the addons: what each group may do, "r"ead, "w"rite, "c"reate, "u"nlink.
USER_RIGHTS = {
    "social.profile": "rwc",
    "social.merge.suggestion": "r",
    "social.source": "r",
    "social.account": "r",
    "social.mention": "rw",
    "social.mention.quarantine": "r",
    "social.buying.signal.rule": "r",
    "social.reply.template": "r",
    "social.mention.reply": "rwcu",
    "social.mention.take.private": "rwcu",
    # sending replies back: for those who may publish (managers, or users given that right)
    "social.mention.reply.reject": "",
    "social.mention.import": "",
    "social.mention.import.column": "",
    "social.mention.import.job": "",
    "social.mention.sla.report": "r",
    "social.routing.rule": "r",
    "social.advocacy.action": "r",
    "social.advocacy.rule": "r",
    "social.advocacy.tier": "r",
    "social.advocacy.tier.history": "r",
    "social.advocacy.reward": "r",
    "social.advocacy.redemption": "rwc",
    "social.advocacy.potential": "r",
    "social.advocacy.standing": "r",
    "social.reputation.daily": "r",
    "social.reputation.alert": "rw",
    "social.reputation.report.wizard": "",
    # the team's sentiment is set through the mention (its buttons), never written directly
    "social.sentiment.correction": "r",
    "social.sentiment.agreement": "",
    "social.competitor": "r",
    "social.competitor.daily": "r",
    "social.theme.daily": "r",
    "social.theme.change.wizard": "rwcu",
    "social.theme.change.line": "rwcu",
    # engines of other languages: measured and enabled by managers, never deleted (their measurement)
    "social.sentiment.engine": "r",
    "social.sentiment.engine.measure": "",
    # satisfaction after an answer: a report for managers (users see the score on their mentions)
    "social.mention.csat.report": "",
    # queues of figures written by concurrent batches, merged by their jobs
    "social.reputation.daily.queue": "",
    "social.reputation.partner.queue": "",
    "social.advocacy.standing.queue": "",
    "social.advocacy.award.queue": "",
    # coupons and gift cards: only through the redemptions (and Odoo's own sales rights)
    "loyalty.card": "",
    "loyalty.program": "",
}
MANAGER_RIGHTS = {
    **dict.fromkeys(USER_RIGHTS, "rwcu"),
    "social.advocacy.potential": "r",  # SQL views
    "social.mention.sla.report": "r",
    "social.advocacy.standing": "r",
    "social.reputation.daily.queue": "r",
    "social.reputation.partner.queue": "r",
    "social.sentiment.correction": "r",
    "social.sentiment.agreement": "r",
    "social.competitor.daily": "r",  # built by the series' job
    "social.theme.daily": "r",
    "social.sentiment.engine": "rwc",
    "social.mention.csat.report": "r",
    "social.advocacy.standing.queue": "r",
    "social.advocacy.award.queue": "r",
    "loyalty.card": "",
    "loyalty.program": "",
}
ADDONS = ("social_crm", "social_crm_reputation", "social_crm_advocacy", "social_crm_reputation_survey",
          "social_crm_youtube")
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
SECRETS = ("webhook_secret", "bearer_token", "cursor", "youtube_api_key")
# The multi-company record rules: another company's records stay hidden.
COMPANY_RULED = (
    "social.source", "social.mention", "social.mention.quarantine", "social.profile", "social.merge.suggestion",
    "social.buying.signal.rule", "social.reply.template", "social.advocacy.action", "social.advocacy.rule",
    "social.advocacy.reward", "social.advocacy.redemption", "social.reputation.daily", "social.reputation.alert",
    "social.mention.import.job", "social.advocacy.standing", "social.advocacy.tier.history", "social.account",
    "social.mention.sla.report", "social.routing.rule", "social.sentiment.correction", "social.sentiment.agreement",
    "social.competitor", "social.competitor.daily", "social.theme.daily", "social.mention.csat.report",
    "social.sentiment.engine",
)
# the credentials of the accounts replies are posted from: managers only
ACCOUNT_SECRETS = ("access_token", "refresh_token", "client_id", "client_secret", "username", "password",
                   "app_password", "access_jwt", "refresh_jwt")


class AccessCommon:
    """Users of each kind, and one record of each company-ruled model in the main company and in another one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.main = env.company
        cls.other = env["res.company"].create({"name": "Access other company"})
        groups = {
            "user": "social_crm.social_crm_group_user",
            "manager": "social_crm.social_crm_group_manager",
            "salesperson": "sales_team.group_sale_salesman",
            "portal": "base.group_portal",
        }
        cls.users = {
            kind: new_test_user(env, login=f"access_{kind}", password=f"access_{kind}_pw1", groups=group,
                                company_id=cls.main.id, company_ids=[cls.main.id])
            for kind, group in groups.items()
        }
        cls.users["public"] = env.ref("base.public_user")
        env["social.advocacy.tier"].create({"name": "Access tier", "min_points": 1})  # a tier change each
        cls.records = cls._records(cls.main)
        cls.other_records = cls._records(cls.other)

    @classmethod
    def _records(cls, company):
        env = cls.env
        tag = company.id
        partner_a, partner_b = env["res.partner"].create(
            [{"name": f"Access Ann {tag}"}, {"name": f"Access Bob {tag}"}])
        source = env["social.source"].create({
            "name": f"Access webhook {tag}", "source_type": "webhook", "network": "x", "company_id": company.id,
            "bearer_token": f"token-{tag}-s3cret"})
        mention = env["social.mention"].create({
            "source_id": source.id, "network": "x", "external_id": f"access-{tag}", "author_handle": "@access",
            "partner_id": partner_a.id, "body": "Hello", "company_id": company.id,
            "response_due_at": fields.Datetime.now() + timedelta(hours=4)})
        profile = env["social.profile"].create(
            {"network": "x", "handle": f"@access{tag}", "partner_id": partner_a.id, "company_id": company.id})
        env["social.advocacy.action"].create(
            {"partner_id": partner_a.id, "action_type": "manual", "points": 100, "company_id": company.id})
        reward = env["social.advocacy.reward"].create(
            {"name": f"Mug {tag}", "points_cost": 10, "company_id": company.id})
        day = fields.Date.today() - timedelta(days=1)
        account = env["social.account"].create({
            "name": f"Access account {tag}", "network": "mastodon", "base_url": "https://mastodon.example",
            "access_token": f"account-token-{tag}", "company_id": company.id})
        mention._correct_sentiment("negative")
        env["survey.user_input"].create({
            "survey_id": env.ref("social_crm_reputation_survey.survey_survey_csat").id, "partner_id": partner_a.id,
            "social_mention_id": mention.id})
        return {
            "social.account": account,
            "social.sentiment.correction": mention.sentiment_correction_id,
            "social.sentiment.agreement": env["social.sentiment.agreement"].search([("mention_id", "=", mention.id)]),
            "social.competitor": env["social.competitor"].create(
                {"name": f"Globex {tag}", "keywords": "globex", "company_id": company.id}),
            "social.competitor.daily": env["social.competitor.daily"].create({  # a day no demo mention has
                "date": day - timedelta(days=3650), "network": "x", "company_id": company.id,
                "brand": f"Globex {tag}"}),
            "social.theme.daily": env["social.theme.daily"].create({  # a day no demo mention has
                "date": day - timedelta(days=3650), "network": "x", "company_id": company.id, "source_id": source.id,
                "term": f"battery {tag}"}),
            "social.mention.sla.report": env["social.mention.sla.report"].search([("mention_id", "=", mention.id)]),
            "social.mention.csat.report": env["social.mention.csat.report"].search([("mention_id", "=", mention.id)]),
            "social.routing.rule": env["social.routing.rule"].create(
                {"name": f"Route {tag}", "keywords": "refund", "company_id": company.id}),
            "social.sentiment.engine": env["social.sentiment.engine"].search(
                [("company_id", "=", company.id), ("engine", "=", "vader_fr")])
            or env["social.sentiment.engine"].create({"engine": "vader_fr", "company_id": company.id}),
            "social.source": source,
            "social.mention": mention,
            "social.mention.quarantine": env["social.mention.quarantine"].create(
                {"source_id": source.id, "payload": "{}", "error": "bad item"}),
            "social.profile": profile,
            "social.merge.suggestion": env["social.merge.suggestion"].create({
                "profile_id": profile.id, "partner_a_id": partner_a.id, "partner_b_id": partner_b.id,
                "reason": "shared_email"}),
            "social.buying.signal.rule": env["social.buying.signal.rule"].create(
                {"name": f"Wants a quote {tag}", "pattern": "quote", "company_id": company.id}),
            "social.reply.template": env["social.reply.template"].create(
                {"name": f"Thanks {tag}", "body": "Thank you!", "company_id": company.id}),
            "social.advocacy.action": env["social.advocacy.action"].search(
                [("partner_id", "=", partner_a.id)], limit=1),
            "social.advocacy.standing": env["social.advocacy.standing"].search(
                [("partner_id", "=", partner_a.id), ("company_id", "=", company.id)]),
            "social.advocacy.tier.history": env["social.advocacy.tier.history"].search(
                [("partner_id", "=", partner_a.id), ("company_id", "=", company.id)], limit=1),
            "social.advocacy.rule": env["social.advocacy.rule"].create(
                {"name": f"Share {tag}", "action_type": "share", "points": 5, "company_id": company.id}),
            "social.advocacy.reward": reward,
            "social.advocacy.redemption": env["social.advocacy.redemption"].create(
                {"partner_id": partner_a.id, "reward_id": reward.id, "company_id": company.id}),
            "social.reputation.daily": env["social.reputation.daily"].create({
                "date": day, "network": "x", "source_id": source.id, "company_id": company.id}),
            "social.mention.import.job": env["social.mention.import.job"].create(
                {"name": f"mentions-{tag}.csv", "source_id": source.id, "user_id": env.uid}),
            "social.reputation.alert": env["social.reputation.alert"].create({
                "name": f"Spike {tag}", "kind": env["social.reputation.alert"]._fields["kind"].get_values(env)[0],
                "date": day, "source_id": source.id, "dedup_key": f"access-{tag}"}),
        }


@tagged("social_crm_stack", "post_install", "-at_install")
class TestAccessRights(AccessCommon, TransactionCase):

    def expected(self, kind, model):
        if kind in ("portal", "public"):
            return ""
        if kind == "manager":
            return MANAGER_RIGHTS[model]
        rights = USER_RIGHTS[model]
        if kind == "salesperson" and model.startswith("loyalty.") and self.sale_loyalty:
            rights = {"loyalty.card": "rw", "loyalty.program": "r"}[model]  # Odoo's own (sale_loyalty)
        return rights

    @property
    def sale_loyalty(self):
        return bool(self.env["ir.module.module"].search_count(
            [("name", "=", "sale_loyalty"), ("state", "=", "installed")]))

    def test_every_model_of_the_addons_is_listed(self):
        data = self.env["ir.model.data"].search([
            ("module", "in", ADDONS), ("model", "=", "ir.model.access")])
        models = set(self.env["ir.model.access"].browse(data.mapped("res_id")).model_id.mapped("model"))
        self.assertEqual(models, set(USER_RIGHTS) - {"loyalty.card", "loyalty.program"},
                         "every model with access lines of the addons has its expectations here")

    def test_every_record_rule_of_the_addons_is_tested(self):
        data = self.env["ir.model.data"].search([("module", "in", ADDONS), ("model", "=", "ir.rule")])
        rules = self.env["ir.rule"].browse(data.mapped("res_id"))
        self.assertEqual(set(rules.model_id.mapped("model")), set(COMPANY_RULED))
        self.assertFalse(rules.groups, "company rules apply to everyone")

    def test_salesperson_is_a_social_crm_user(self):
        self.assertTrue(self.users["salesperson"].has_group("social_crm.social_crm_group_user"))
        self.assertFalse(self.users["salesperson"].has_group("social_crm.social_crm_group_manager"))
        self.assertFalse(self.users["user"].has_group("sales_team.group_sale_salesman"))

    def test_model_rights_per_group(self):
        for kind, user in self.users.items():
            for model in USER_RIGHTS:
                expected = self.expected(kind, model)
                for letter, operation in OPERATIONS.items():
                    with self.subTest(kind=kind, model=model, operation=operation):
                        self.assertEqual(self.env[model].with_user(user).has_access(operation),
                                         letter in expected)

    def test_records_of_another_company_stay_hidden(self):
        for kind in ("user", "manager", "salesperson"):
            user = self.users[kind]
            for model in COMPANY_RULED:
                if not self.env[model].with_user(user).has_access("read"):
                    continue  # nothing of it for this group at all (test_model_rights_per_group)
                with self.subTest(kind=kind, model=model):
                    own, foreign = self.records[model], self.other_records[model]
                    self.assertTrue(own.with_user(user).has_access("read"))
                    self.assertFalse(foreign.with_user(user).has_access("read"))
                    found = self.env[model].with_user(user).search([("id", "in", (own | foreign).ids)])
                    self.assertEqual(found, own)
                    with self.assertRaises(AccessError):
                        foreign.with_user(user).read(["display_name"])

    def test_portal_and_public_read_nothing(self):
        for kind in ("portal", "public"):
            for model, record in self.records.items():
                with self.subTest(kind=kind, model=model):
                    with self.assertRaises(AccessError):
                        record.with_user(self.users[kind]).read(["display_name"])
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(self.users[kind]).search_count([])

    def test_portal_and_public_read_no_social_field_of_their_contact_or_orders(self):
        # Portal and public users read their own contact and (portal) their orders: the social,
        # reputation and advocacy fields the addons add there are internal.
        order = self.env["sale.order"].create({"partner_id": self.users["portal"].partner_id.id})
        order.message_subscribe(partner_ids=self.users["portal"].partner_id.ids)  # as a sent quotation
        for kind in ("portal", "public"):
            user = self.users[kind]
            records = {"res.partner": user.partner_id, **({"sale.order": order} if kind == "portal" else {})}
            for model, record in records.items():
                added = [name for name, field in record._fields.items() if field._module in ADDONS]
                self.assertTrue(added, model)
                as_user = record.with_user(user)
                self.assertTrue(as_user.has_access("read"), f"{kind} reads its own {model}")
                with self.subTest(kind=kind, model=model):
                    self.assertFalse(set(added) & set(self.env[model].with_user(user).fields_get()))
                for name in added:
                    with self.subTest(kind=kind, model=model, field=name), self.assertRaises(AccessError):
                        as_user.read([name])

    def test_users_work_their_mentions_but_configure_nothing(self):
        user = self.users["user"]
        mention = self.records["social.mention"].with_user(user)
        mention.state = "ignored"
        self.assertEqual(mention.state, "ignored")
        with self.assertRaises(AccessError):
            mention.unlink()
        with self.assertRaises(AccessError):
            self.env["social.mention"].with_user(user).create({
                "source_id": self.records["social.source"].id, "network": "x", "external_id": "forged",
                "author_handle": "@forger", "body": "forged"})
        with self.assertRaises(AccessError):
            self.records["social.source"].with_user(user).write({"active": False})
        with self.assertRaises(AccessError):
            self.env["social.source"].with_user(user).create({"name": "Mine", "source_type": "webhook"})
        with self.assertRaises(AccessError):
            self.records["social.advocacy.reward"].with_user(user).write({"points_cost": 1})
        with self.assertRaises(AccessError):
            self.records["social.advocacy.redemption"].with_user(user).action_approve()
        manager = self.users["manager"]
        redemption = self.records["social.advocacy.redemption"].with_user(manager)
        redemption.action_approve()
        self.assertEqual(redemption.state, "approved")

    def test_salesperson_applies_an_advocacy_coupon_to_a_quotation(self):
        # The coupon a manager issues on approval is used the way Odoo's sales use any coupon.
        if not self.sale_loyalty:
            self.skipTest("sale_loyalty is not installed")
        program = self.env["loyalty.program"].create({
            "name": "Advocate 10% off", "program_type": "coupons", "trigger": "with_code",
            "reward_ids": [Command.create({"reward_type": "discount", "discount": 10, "discount_mode": "percent",
                                           "discount_applicability": "order", "required_points": 1})]})
        reward = self.env["social.advocacy.reward"].create(
            {"name": "10% coupon", "points_cost": 10, "loyalty_program_id": program.id, "loyalty_points": 1})
        redemption = self.env["social.advocacy.redemption"].with_user(self.users["user"]).create(
            {"partner_id": self.records["social.advocacy.redemption"].partner_id.id, "reward_id": reward.id})
        redemption.with_user(self.users["manager"]).action_approve()
        code = redemption.with_user(self.users["user"]).coupon_code
        self.assertTrue(code)
        salesperson = self.users["salesperson"]
        product = self.env["product.product"].create({"name": "Acme phone", "list_price": 300.0})
        order = self.env["sale.order"].with_user(salesperson).create({
            "partner_id": redemption.partner_id.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]})
        rewards = order._try_apply_code(code)
        self.assertNotIn("error", rewards)
        [(coupon, [discount])] = rewards.items()
        self.assertEqual(coupon, redemption.coupon_id)
        self.assertFalse(order._apply_program_reward(discount, coupon).get("error"))
        self.assertAlmostEqual(order.amount_untaxed, 270.0)

    def test_secrets_for_managers_only(self):
        source = self.records["social.source"]
        secret = source.webhook_secret
        self.assertTrue(secret)
        for kind in ("user", "salesperson"):
            as_user = source.with_user(self.users[kind])
            Source = self.env["social.source"].with_user(self.users[kind])
            with self.subTest(kind=kind):
                for name in SECRETS:
                    with self.assertRaises(AccessError):
                        as_user.read([name])
                    with self.assertRaises(AccessError):
                        Source.search_read([("id", "=", source.id)], [name])
                    with self.assertRaises(AccessError):
                        Source.search_count([(name, "=like", secret[:1] + "%")])
                    with self.assertRaises(AccessError):
                        Source.search([], order=f"{name} asc")
                    with self.assertRaises(AccessError):
                        as_user.write({name: "chosen-by-the-user"})
                    self.assertNotIn(name, Source.fields_get())
                [row] = as_user.read()
                self.assertFalse(set(SECRETS) & set(row))
                [row] = Source.search_read([("id", "=", source.id)])
                self.assertFalse(set(SECRETS) & set(row))
                self.assertNotIn(secret, json.dumps(as_user.web_read({"name": {}, "display_name": {}}), default=str))
                with self.assertRaises(AccessError):
                    as_user.action_regenerate_secret()
        account = self.records["social.account"]
        for kind in ("user", "salesperson"):
            as_user = account.with_user(self.users[kind])
            with self.subTest(kind=kind, model="social.account"):
                self.assertEqual(as_user.read(["name", "handle", "state"])[0]["name"], account.name)
                for name in ACCOUNT_SECRETS:
                    with self.assertRaises(AccessError):
                        as_user.read([name])
                    self.assertNotIn(name, self.env["social.account"].with_user(self.users[kind]).fields_get())
                self.assertFalse(set(ACCOUNT_SECRETS) & set(as_user.read()[0]))
        self.assertEqual(account.with_user(self.users["manager"]).access_token, account.sudo().access_token)
        manager = source.with_user(self.users["manager"])
        self.assertEqual(manager.read(["webhook_secret"])[0]["webhook_secret"], secret)
        self.assertIn("webhook_secret", self.env["social.source"].with_user(self.users["manager"]).fields_get())

    def test_secrets_never_exported_by_users(self):
        source = self.records["social.source"]
        for kind in ("user", "salesperson"):
            user = self.users[kind]
            user.groups_id |= self.env.ref("base.group_allow_export")
            with self.subTest(kind=kind):
                for name in SECRETS:
                    with self.assertRaises(AccessError):
                        source.with_user(user).export_data(["name", name])
                self.assertEqual(source.with_user(user).export_data(["name"])["datas"], [[source.name]])
        self.users["manager"].groups_id |= self.env.ref("base.group_allow_export")
        exported = source.with_user(self.users["manager"]).export_data(["name", "webhook_secret"])["datas"]
        self.assertEqual(exported, [[source.name, source.webhook_secret]])


@tagged("social_crm_stack", "post_install", "-at_install")
class TestAccessRightsOverRpc(AccessCommon, HttpCase):
    """The same rules seen by clients of the running server."""

    def call_kw(self, model, method, args, kwargs=None):
        """A JSON-RPC call_kw in the current session: (result, error data or None)."""
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": model, "method": method, "args": args, "kwargs": kwargs or {}}}),
            headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 200)
        answer = response.json()
        return answer.get("result"), answer.get("error", {}).get("data")

    def xmlrpc(self, kind, model, method, *args, **kwargs):
        login = f"access_{kind}"
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, f"{login}_pw1", {})
        self.assertTrue(uid, login)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, f"{login}_pw1", model, method, args, kwargs)

    def test_json_rpc_user_never_gets_secrets(self):
        source = self.records["social.source"]
        self.authenticate("access_user", "access_user_pw1")
        result, error = self.call_kw("social.source", "read", [[source.id], ["webhook_secret"]])
        self.assertIsNone(result)
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        result, error = self.call_kw("social.source", "search_read", [[("id", "=", source.id)]], {"fields": []})
        self.assertIsNone(error)
        self.assertEqual([row["id"] for row in result], [source.id])
        self.assertFalse(set(SECRETS) & set(result[0]))
        self.assertNotIn(source.webhook_secret, json.dumps(result))
        result, error = self.call_kw("social.source", "fields_get", [], {"attributes": ["type"]})
        self.assertIsNone(error)
        self.assertIn("name", result)
        self.assertFalse(set(SECRETS) & set(result))
        result, error = self.call_kw("social.source", "web_search_read", [[("id", "=", source.id)]],
                                     {"specification": {"name": {}, "webhook_secret": {}}})
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        result, error = self.call_kw("social.source", "export_data", [[source.id], ["name", "webhook_secret"]])
        self.assertIsNotNone(error)
        self.assertNotIn(source.webhook_secret, json.dumps(error))
        # the manager reads it
        self.authenticate("access_manager", "access_manager_pw1")
        result, error = self.call_kw("social.source", "read", [[source.id], ["webhook_secret"]])
        self.assertIsNone(error)
        self.assertEqual(result[0]["webhook_secret"], source.webhook_secret)

    def test_json_rpc_user_reads_coupons_only_through_redemptions(self):
        redemption = self.records["social.advocacy.redemption"]
        redemption.with_user(self.users["manager"]).action_approve()
        program = self.env["loyalty.program"].create({"name": "Access coupons", "program_type": "coupons"})
        reward = self.env["social.advocacy.reward"].create(
            {"name": "Coupon", "points_cost": 10, "loyalty_program_id": program.id, "loyalty_points": 1})
        with_coupon = self.env["social.advocacy.redemption"].create(
            {"partner_id": redemption.partner_id.id, "reward_id": reward.id})
        with_coupon.action_approve()
        card = with_coupon.coupon_id
        self.assertTrue(card.code)
        self.authenticate("access_user", "access_user_pw1")
        result, error = self.call_kw("loyalty.card", "search_read", [[]], {"fields": ["code", "points"]})
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        result, error = self.call_kw("social.advocacy.redemption", "search_read",
                                     [[("id", "=", with_coupon.id)]], {"fields": ["coupon_code", "coupon_value"]})
        self.assertIsNone(error)
        self.assertEqual(result, [
            {"id": with_coupon.id, "coupon_code": card.code, "coupon_value": card.points_display}])

    def test_xml_rpc_rights_per_group(self):
        mention = self.records["social.mention"]
        source = self.records["social.source"]
        for kind in ("user", "salesperson", "manager"):
            with self.subTest(kind=kind):
                self.assertEqual(self.xmlrpc(kind, "social.mention", "search", [("id", "=", mention.id)]), [mention.id])
                self.assertEqual(self.xmlrpc(kind, "social.mention", "search", [
                    ("id", "=", self.other_records["social.mention"].id)]), [])
        sales = ("user", "salesperson")
        refused = [
            *((kind, "social.source", "read", ([source.id],), {"fields": ["webhook_secret"]}) for kind in sales),
            *((kind, "social.source", "write", ([source.id], {"active": False}), {}) for kind in sales),
            *((kind, "social.mention", "unlink", ([mention.id],), {}) for kind in sales),
            ("portal", "social.mention", "search_read", ([],), {"fields": ["body"]}),
            ("portal", "social.profile", "search_read", ([],), {"fields": ["handle"]}),
            ("portal", "social.source", "search_read", ([],), {"fields": ["webhook_secret"]}),
        ]
        with mute_logger("odoo.http"):
            for kind, model, method, args, kwargs in refused:
                with self.subTest(kind=kind, model=model, method=method), self.assertRaises(Fault) as caught:
                    self.xmlrpc(kind, model, method, *args, **kwargs)
                self.assertEqual(caught.exception.faultCode, RPC_FAULT_CODE_ACCESS_ERROR, caught.exception.faultString)
                self.assertNotIn(source.webhook_secret, caught.exception.faultString)
        [row] = self.xmlrpc("manager", "social.source", "read", [source.id], fields=["webhook_secret"])
        self.assertEqual(row["webhook_secret"], source.webhook_secret)
        self.assertTrue(source.exists(), "nothing was changed by the refused calls")
        self.assertTrue(source.active)

    def test_public_json_rpc_is_refused(self):
        # not logged in: the public user has no session to call models with
        response = requests.post(
            f"{self.base_url()}/web/dataset/call_kw/social.mention/search_read",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": "social.mention", "method": "search_read", "args": [[]], "kwargs": {"fields": ["body"]}}},
            timeout=30)
        self.assertEqual(response.status_code, 200)
        answer = response.json()
        self.assertNotIn("result", answer)
        self.assertIn(answer["error"]["data"]["name"], ("odoo.http.SessionExpiredException",
                                                         "odoo.exceptions.AccessError"))
