import uuid
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.tests import Form, TransactionCase, new_test_user

from odoo.addons.base.tests.common import BaseCommon


class SocialCrmCase(BaseCommon):
    """The base of the Social CRM test classes of every addon: sources and mentions made the same
    way everywhere, each mention with an external id of its own."""

    _mention_counter = 0

    @classmethod
    def _create_source(cls, name, source_type="webhook", network="x", **vals):
        return cls.env["social.source"].create(
            {"name": name, "source_type": source_type, "network": network, **vals})

    @classmethod
    def _create_mentions(cls, source, vals_list):
        """Mentions of ``source`` created in one batch (the one pipeline of ``create``); each value
        dictionary needs its ``body`` at least."""
        completed = []
        for vals in vals_list:
            SocialCrmCase._mention_counter += 1
            completed.append({
                "network": source.network or "x", "author_handle": "someone",
                "external_id": f"test-{source.id}-{SocialCrmCase._mention_counter}",
                **vals, "source_id": source.id})
        return cls.env["social.mention"].create(completed)


class SocialCrmCommon(SocialCrmCase):
    """Contacts with e-mails and phones, and their profiles, shared by the social_crm tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.us")
        cls.ann, cls.bob, cls.carl, cls.carl_twin = cls.env["res.partner"].create([
            {"name": "Ann Test", "email": "Ann.Test@Example.com", "phone": "+1 415 555 0177"},
            {"name": "Bob Test", "email": "bob.test@example.com", "phone": "(212) 555-0166",
             "country_id": cls.env.ref("base.us").id},
            {"name": "Carl Test", "email": "carl@example.com"},
            {"name": "Carl Twin", "email": "carl@example.com"},
        ])
        cls.ann_x = cls.env["social.profile"].create(
            {"partner_id": cls.ann.id, "network": "x", "handle": "@Ann_Test", "followers": 10})


class SocialCrmOverviewCase(SocialCrmCase):
    """A company of its own, with a source and a salesperson of that company only: the overview of
    the Social menu counts the test's records and nothing of the demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.overview_company = cls.env["res.company"].create({"name": "Overview Company"})
        cls.salesperson = new_test_user(
            cls.env, login="overview_salesperson", name="Overview Salesperson", tz="UTC",
            groups="sales_team.group_sale_salesman", company_id=cls.overview_company.id,
            company_ids=[cls.overview_company.id])
        cls.overview_source = cls._create_source("Overview hook", company_id=cls.overview_company.id)

    def overview(self, user=None, now=None, **context):
        """The overview's data as ``user`` (the salesperson), at ``now`` (the ORM's clock)."""
        Mention = self.env["social.mention"].with_user(user or self.salesperson).with_context(**context)
        return Mention._get_overview(now) if now else Mention.get_overview_data()


class CommittedCase(TransactionCase):
    """The base of the tests of concurrent transactions: each works on a connection of its own and
    commits, as concurrent requests and the stream command do. What a test commits, it removes
    itself (``addCleanup``), since no rollback does it."""

    @contextmanager
    def committed_env(self):
        """An environment on a new connection, committed when the block ends without error."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


class CommittedDataCase(CommittedCase):
    """A webhook source committed for concurrent transactions, removed at the end with the mentions
    and profiles (handles starting with ``self.tag``) stored meanwhile."""

    def setUp(self):
        super().setUp()
        self.tag = f"race{uuid.uuid4().hex[:8]}"  # an X handle has at most 15 characters
        with self.committed_env() as env:
            self.source_id = env["social.source"].create(
                {"name": f"Race {self.tag}", "source_type": "webhook", "network": "x"}).id
        self.addCleanup(self.remove_committed)

    def remove_committed(self):
        with self.committed_env() as env:
            env["social.mention"].search([("source_id", "=", self.source_id)]).unlink()
            env["social.profile"].with_context(active_test=False).search(
                [("canonical_handle", "=like", f"{self.tag}%")]).unlink()
            env["social.source"].browse(self.source_id).unlink()


def save_settings(env, **values):
    """Set ``values`` (field name: value) on the Settings screen and save it, as an administrator does."""
    with Form(env["res.config.settings"]) as settings:
        for name, value in values.items():
            setattr(settings, name, value)
    settings.record.execute()
