import threading
import time

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..controllers.social_crm import ingest_on_fresh_snapshots
from .common import CommittedDataCase


@tagged("social_crm", "post_install", "-at_install")
class TestIngestConcurrency(CommittedDataCase):
    """Two ingestions on connections of their own, each committed, as two webhook requests are."""

    def items(self, prefix, count, authors=3):
        return [{"id": f"{prefix}{index}", "author": {"handle": f"{self.tag}_{index % authors}"},
                 "text": f"Item {prefix}{index} about Acme"} for index in range(count)]

    def stored(self):
        """``{external id: author handle of its profile}`` and the profiles of the authors, as committed."""
        with self.committed_env() as env:
            mentions = dict(env.execute_query(SQL("""
                SELECT m.external_id, p.canonical_handle FROM social_mention m
                  LEFT JOIN social_profile p ON p.id = m.profile_id WHERE m.source_id = %s
            """, self.source_id)))
            profiles = env.execute_query(SQL(
                "SELECT canonical_handle, COUNT(*) FROM social_profile WHERE canonical_handle LIKE %s"
                " GROUP BY canonical_handle ORDER BY 1", f"{self.tag}%"))
        return mentions, profiles

    def assertOneProfilePerAuthor(self, expected_ids):
        mentions, profiles = self.stored()
        self.assertEqual(profiles, [(f"{self.tag}_0", 1), (f"{self.tag}_1", 1), (f"{self.tag}_2", 1)])
        self.assertEqual(sorted(mentions), sorted(expected_ids))
        for external_id, handle in mentions.items():
            self.assertEqual(handle, f"{self.tag}_{int(external_id[1:]) % 3}", f"{external_id} is on its author")

    def test_second_batch_with_the_same_new_authors_runs_again_on_a_fresh_snapshot(self):
        items_a = self.items("a", 6)
        items_b = items_a[:3] + self.items("b", 4)  # three items in common, the same three new authors
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = api.Environment(cr_a, SUPERUSER_ID, {}), api.Environment(cr_b, SUPERUSER_ID, {})
            # both requests began before either stored anything
            cr_a.execute("SELECT 1")
            cr_b.execute("SELECT 1")
            result_a = env_a["social.mention"]._ingest(env_a["social.source"].browse(self.source_id), items_a)
            cr_a.commit()
            # B cannot see A's profiles: reusing them would break B's snapshot, creating them again the
            # unique key; PostgreSQL says so with a serialization failure, never with a refused batch
            with self.assertRaises(psycopg2.errors.SerializationFailure), cr_b.savepoint():
                env_b["social.mention"]._ingest(env_b["social.source"].browse(self.source_id), items_b)
            result_b = ingest_on_fresh_snapshots(
                env_b["social.mention"], env_b["social.source"].browse(self.source_id), items_b)
            cr_b.commit()
        self.assertEqual((result_a["created"], result_a["duplicates"], result_a["errors"]), (6, 0, []))
        self.assertEqual((result_b["created"], result_b["duplicates"], result_b["errors"]), (4, 3, []))
        self.assertOneProfilePerAuthor([f"a{i}" for i in range(6)] + [f"b{i}" for i in range(4)])

    def test_batches_sent_at_once_wait_for_each_other_and_store_every_item_once(self):
        items_a = self.items("a", 8)
        items_b = list(reversed(items_a[2:])) + self.items("b", 5)  # the same items, in another order
        outcome = {}

        def send_b():
            with self.registry.cursor() as cr_b:
                env_b = api.Environment(cr_b, SUPERUSER_ID, {})
                try:
                    outcome["b"] = ingest_on_fresh_snapshots(
                        env_b["social.mention"], env_b["social.source"].browse(self.source_id), items_b)
                except Exception as error:  # noqa: BLE001 - reported by the main thread
                    outcome["error"] = error
                    raise

        with self.registry.cursor() as cr_a:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            outcome["a"] = env_a["social.mention"]._ingest(env_a["social.source"].browse(self.source_id), items_a)
            thread = threading.Thread(target=send_b)
            with mute_logger("odoo.sql_db"):
                thread.start()
                time.sleep(1.0)  # B meets A's uncommitted profiles and mentions, and waits for A
                self.assertTrue(thread.is_alive(), "B waits for A's transaction")
            # A commits when the block ends
        thread.join(timeout=60)
        self.assertFalse(thread.is_alive())
        self.assertNotIn("error", outcome)
        self.assertEqual((outcome["a"]["created"], outcome["a"]["duplicates"], outcome["a"]["errors"]), (8, 0, []))
        self.assertEqual((outcome["b"]["created"], outcome["b"]["duplicates"], outcome["b"]["errors"]), (5, 6, []))
        self.assertOneProfilePerAuthor([f"a{i}" for i in range(8)] + [f"b{i}" for i in range(5)])


@tagged("social_crm", "post_install", "-at_install")
class TestKnownAuthorConcurrency(CommittedDataCase):
    """Two batches of the same known author, each committed on a connection of its own: what the
    first one records about the author (its contact, a merge suggestion) the second one's snapshot
    cannot see, and it neither stores it twice nor fails."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            partners = env["res.partner"].create([
                {"name": f"{self.tag} A", "email": f"{self.tag}@example.com"},
                {"name": f"{self.tag} B", "email": f"{self.tag}.b@example.com"},
            ])
            self.partner_ids = partners.ids
            # known before either batch began, linked to nobody yet
            self.profile_id = env["social.profile"].create(
                {"network": "x", "handle": f"{self.tag}_0", "company_id": env.company.id}).id
        self.addCleanup(self.remove_partners)

    def remove_partners(self):
        with self.committed_env() as env:
            env["social.merge.suggestion"].search([("profile_id", "=", self.profile_id)]).unlink()
            env["social.mention"].search([("source_id", "=", self.source_id)]).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()

    def item(self, external_id, email):
        return {"id": external_id, "author": {"handle": f"{self.tag}_0", "email": email},
                "text": "The parcel came on Tuesday."}

    def ingest_both(self, item_a, item_b):
        """A ingests and commits, then B, whose snapshot predates A's commit; answer both results."""
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = api.Environment(cr_a, SUPERUSER_ID, {}), api.Environment(cr_b, SUPERUSER_ID, {})
            cr_a.execute("SELECT 1")
            cr_b.execute("SELECT 1")
            result_a = env_a["social.mention"]._ingest(env_a["social.source"].browse(self.source_id), [item_a])
            cr_a.commit()
            with mute_logger("odoo.sql_db"):
                result_b = env_b["social.mention"]._ingest(env_b["social.source"].browse(self.source_id), [item_b])
            cr_b.commit()
        return result_a, result_b

    def test_the_contact_of_a_known_profile_is_linked_once(self):
        result_a, result_b = self.ingest_both(self.item("a1", f"{self.tag}@example.com"),
                                              self.item("b1", f"{self.tag}@example.com"))
        self.assertEqual([(r["created"], r["errors"]) for r in (result_a, result_b)], [(1, []), (1, [])])
        with self.committed_env() as env:
            profile = env["social.profile"].browse(self.profile_id)
            self.assertEqual(profile.partner_id.id, self.partner_ids[0])
            mentions = env["social.mention"].search([("source_id", "=", self.source_id)], order="external_id")
            owner = self.partner_ids[0]
            self.assertEqual([(m.external_id, m.profile_id.id, m.partner_id.id) for m in mentions],
                             [("a1", self.profile_id, owner), ("b1", self.profile_id, owner)])

    def test_the_same_merge_suggestion_is_stored_once(self):
        with self.committed_env() as env:  # the second contact now shares the first one's e-mail
            env["res.partner"].browse(self.partner_ids[1]).email = f"{self.tag}@example.com"
        result_a, result_b = self.ingest_both(self.item("a1", f"{self.tag}@example.com"),
                                              self.item("b1", f"{self.tag}@example.com"))
        self.assertEqual([(r["created"], r["errors"]) for r in (result_a, result_b)], [(1, []), (1, [])])
        with self.committed_env() as env:
            suggestions = env["social.merge.suggestion"].search([("profile_id", "=", self.profile_id)])
            self.assertEqual([(s.reason, s.state, {s.partner_a_id.id, s.partner_b_id.id}) for s in suggestions],
                             [("shared_email", "open", set(self.partner_ids))])
            self.assertFalse(env["social.profile"].browse(self.profile_id).partner_id, "ambiguous: linked to nobody")
