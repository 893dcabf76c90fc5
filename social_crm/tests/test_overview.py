from datetime import datetime, time, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SocialCrmOverviewCase


@tagged("social_crm", "post_install", "-at_install")
class TestOverview(SocialCrmOverviewCase):
    """The figures of the Social overview, for known mentions of a company of their own, at a
    known hour of today (03:00 UTC: still yesterday in New York)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = datetime.combine(fields.Date.today(), time(3, 0))

        def ago(hours):
            return cls.now - timedelta(hours=hours)

        def mention(body, state, posted, **vals):
            return {"body": body, "state": state, "posted_at": ago(posted), "author_handle": f"overview_{state}",
                    "response_due_at": ago(posted - 4), "response_breached": False, **vals}

        (cls.fresh, cls.late, cls.escalated, cls.fast, cls.mid, cls.slow, cls.old, cls.ignored,
         cls.ours) = cls._create_mentions(cls.overview_source, [
            mention("Where is my parcel?", "new", 1),
            mention("Still no answer from you", "to_answer", 30, response_breached=True),
            mention("I want a refund now", "escalated", 50, response_breached=True),
            mention("Is it waterproof?", "answered", 20, replied_at=ago(18)),  # 2 h
            mention("Do you deliver on Sundays?", "answered", 40, replied_at=ago(37)),  # 3 h
            mention("Any discount for students?", "answered", 100, replied_at=ago(90), response_breached=True),  # 10 h
            mention("Old question", "answered", 24 * 30, replied_at=ago(24 * 10)),  # answered 10 days ago
            mention("Nice", "ignored", 5),  # 22:00 UTC yesterday, 17:00 in New York
            # our own reply: no mention of the customers
            {"body": "Thanks, on its way!", "state": "answered", "posted_at": ago(1), "direction": "outbound",
             "author_handle": "acme"},
        ])
        # another company's unanswered and overdue mention: never counted for its users
        other_source = cls._create_source("Overview other hook")
        cls._create_mentions(other_source, [{"body": "Elsewhere", "state": "new", "posted_at": ago(1),
                                             "response_due_at": ago(2), "response_breached": True}])

    def test_the_social_menu_starts_with_the_overview(self):
        root = self.env.ref("social_crm.social_crm_menu_root")
        first = root.child_id.sorted("sequence")[:1]
        self.assertEqual(first, self.env.ref("social_crm.social_crm_overview_menu"))
        self.assertEqual((first.action._name, first.action.tag), ("ir.actions.client", "social_crm_overview"))

    def test_service_figures(self):
        service = self.overview(now=self.now)["service"]
        self.assertEqual(service["unanswered"]["value"], 2, "new and to answer, as the Inbox's Unanswered")
        self.assertEqual(service["overdue"]["value"], 2, "unanswered or escalated past the deadline")
        self.assertEqual(service["today"]["value"], 1, "posted since midnight UTC, our reply left out")
        response = service["response"]
        self.assertEqual((response["count"], response["days"]), (3, 7), "the answers of the last 7 days")
        self.assertAlmostEqual(response["hours"], 3.0, places=6, msg="the median of 2, 3 and 10 hours, not their mean")

    def test_next_to_answer(self):
        upcoming = self.overview(now=self.now)["service"]["next"]
        self.assertEqual([item["id"] for item in upcoming], (self.late | self.fresh).ids,
                         "the waiting mentions, the nearest deadline first; escalated and answered ones left out")
        self.assertEqual([item["overdue"] for item in upcoming], [True, False])
        self.assertEqual(upcoming[0]["body"], "Still no answer from you")
        self.late.user_id = new_test_user(
            self.env, login="overview_colleague", groups="social_crm.social_crm_group_user",
            company_id=self.overview_company.id, company_ids=[self.overview_company.id])
        self.assertEqual([item["id"] for item in self.overview(now=self.now)["service"]["next"]], self.fresh.ids,
                         "a colleague's mention is theirs to answer")

    def test_a_reply_from_the_overview_comes_back_to_it(self):
        Composer = self.env["social.mention.reply"].with_user(self.salesperson)
        composer = Composer.with_context(social_reply_close=True).create(
            {"mention_id": self.fresh.id, "body": "It left our warehouse this morning."})
        self.assertEqual(composer.action_record(), {"type": "ir.actions.act_window_close"})
        composer = Composer.create({"mention_id": self.late.id, "body": "Sorry, we answer now."})
        self.assertEqual(composer.action_record().get("type"), "ir.actions.client",
                         "from the inbox, the next mention opens (here none is left: inbox zero)")

    def test_today_is_the_users_day(self):
        self.salesperson.tz = "America/New_York"  # 22:00 or 23:00 yesterday there
        self.assertEqual(self.overview(now=self.now)["service"]["today"]["value"], 3,
                         "the mentions of New York's day: posted 1, 5 and 20 hours ago")
        self.assertEqual(self.overview(now=self.now, tz="UTC")["service"]["today"]["value"], 1,
                         "the time zone of the client's context comes first, as for Odoo's dates")

    def test_figures_open_what_they_count(self):
        data = self.overview(now=self.now)
        service = data["service"]
        Mention = self.env["social.mention"].with_user(self.salesperson)
        for key in ("today", "response"):
            action = service[key]["action"]
            self.assertEqual((action["res_model"], action["type"]), ("social.mention", "ir.actions.act_window"))
            self.assertEqual(action["context"], {}, "no search default of the inbox narrows the list further")
            value = service[key]["value"] if key == "today" else service[key]["count"]
            self.assertEqual(Mention.search_count(action["domain"]), value, key)
        self.assertEqual(Mention.search(service["response"]["action"]["domain"]), self.fast | self.mid | self.slow)
        self.assertEqual(service["today"]["action"]["display_name"], "Mentions today", "the breadcrumb's")
        self.assertEqual(service["overdue"]["action"]["context"], {"search_default_overdue": 1})
        self.assertIn("search_default_unanswered", service["unanswered"]["action"]["context"],
                      "the Inbox as its menu opens it")
        arch = self.env.ref("social_crm.social_mention_view_search").arch
        self.assertIn('name="overdue"', arch)
        [inbox] = [counter for counter in data["counters"] if counter["key"] == "inbox"]
        self.assertEqual(inbox["value"], 2)
        self.assertEqual(inbox["action"]["id"], self.env.ref("social_crm.social_mention_action").id)

    def test_salesperson_sees_no_failed_items_managers_do(self):
        self.env["social.mention.quarantine"].create([
            {"source_id": self.overview_source.id, "payload": "{}", "error": "bad item"},
            {"source_id": self.overview_source.id, "payload": "{}", "error": "retried", "state": "done"}])
        data = self.overview(now=self.now)
        self.assertNotIn("failed", [counter["key"] for counter in data["counters"]], "their menu is the managers'")
        self.assertFalse(data["can_configure"])
        self.assertFalse(data["configure_action"])
        manager = new_test_user(self.env, login="overview_manager", groups="social_crm.social_crm_group_manager",
                                company_id=self.overview_company.id, company_ids=[self.overview_company.id])
        data = self.overview(manager, now=self.now)
        [failed] = [counter for counter in data["counters"] if counter["key"] == "failed"]
        self.assertEqual(failed["value"], 1, "the failed item, not the one retried")
        self.assertEqual(failed["action"]["res_model"], "social.mention.quarantine")
        self.assertTrue(data["can_configure"])
        self.assertEqual(data["configure_action"]["res_model"], "social.source")

    def test_current_companies_only(self):
        main = self.env.ref("base.main_company")
        both = new_test_user(self.env, login="overview_both", groups="social_crm.social_crm_group_user",
                             company_id=self.overview_company.id, company_ids=[self.overview_company.id, main.id])
        unanswered = [("state", "in", ("new", "to_answer"))]
        main_count = self.env["social.mention"].search_count(unanswered + [("company_id", "=", main.id)])
        self.assertTrue(main_count, "the other company's mention at least")
        service = self.overview(both, now=self.now, allowed_company_ids=[self.overview_company.id])["service"]
        self.assertEqual(service["unanswered"]["value"], 2)
        service = self.overview(both, now=self.now, allowed_company_ids=[self.overview_company.id, main.id])["service"]
        self.assertEqual(service["unanswered"]["value"], 2 + main_count)

    def test_portal_user_reads_nothing(self):
        portal = new_test_user(self.env, login="overview_portal", groups="base.group_portal")
        with mute_logger("odoo.addons.base.models.ir_model"), self.assertRaises(AccessError):
            self.overview(portal)

    def test_empty_database(self):
        empty = self.env["res.company"].create({"name": "Overview Empty Company"})
        newcomer = new_test_user(self.env, login="overview_newcomer", groups="sales_team.group_sale_salesman",
                                 company_id=empty.id, company_ids=[empty.id])
        data = self.overview(newcomer)
        self.assertFalse(data["has_mentions"])
        service = data["service"]
        self.assertEqual([service[key]["value"] for key in ("unanswered", "overdue", "today")], [0, 0, 0])
        self.assertEqual((service["response"]["hours"], service["response"]["count"]), (None, 0),
                         "no median of no answer")
        self.assertTrue(self.overview(now=self.now)["has_mentions"])

    def test_queries_do_not_grow_with_the_records(self):
        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.overview(now=self.now)
            return self.cr.sql_log_count - before

        queries()  # the first call reads the actions and views of the figures
        few = queries()
        self._create_mentions(self.overview_source, [
            {"body": f"More {index}", "state": state, "posted_at": self.now - timedelta(hours=index),
             "replied_at": self.now if state == "answered" else False,
             "response_due_at": self.now - timedelta(hours=index - 1), "response_breached": index % 2 == 0}
            for index in range(1, 41) for state in ("new", "answered")])
        self.assertEqual(queries(), few, "counted in the database, never record by record")
