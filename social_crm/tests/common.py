import uuid
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.tests import Form, TransactionCase

from odoo.addons.base.tests.common import BaseCommon


class SocialCrmCommon(BaseCommon):
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


class CommittedDataCase(TransactionCase):
    """Tests of concurrent transactions: each works on a connection of its own and commits, as
    concurrent requests do. A webhook source is committed for them, and removed at the end with
    the mentions and profiles (handles starting with ``self.tag``) stored meanwhile."""

    def setUp(self):
        super().setUp()
        self.tag = f"race{uuid.uuid4().hex[:8]}"  # an X handle has at most 15 characters
        with self.committed_env() as env:
            self.source_id = env["social.source"].create(
                {"name": f"Race {self.tag}", "source_type": "webhook", "network": "x"}).id
        self.addCleanup(self.remove_committed)

    @contextmanager
    def committed_env(self):
        """An environment on a new connection, committed when the block ends without error."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

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
