from datetime import datetime

from odoo.tests import TransactionCase, tagged

from ..tools.bulk import insert_records


@tagged("social_crm", "post_install", "-at_install")
class TestBulkInsert(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source = cls.env["social.source"].create({"name": "Bulk", "source_type": "webhook", "network": "x"})
        cls.Mention = cls.env["social.mention"]

    def _vals(self, external_id, **extra):
        return {"source_id": self.source.id, "external_id": external_id, "network": "x", "author_handle": "ann",
                "posted_at": datetime(2026, 11, 1, 10, 0, 0), "company_id": self.source.company_id.id,
                "state": "new", **extra}

    def test_values_stored_in_order_and_read_back(self):
        mentions = insert_records(self.Mention, [
            self._vals("b1", body="one\ttwo", reach=7, body_truncated=True),
            self._vals("b2", body=False, reach=0),
        ])
        self.env.invalidate_all()
        self.assertEqual(mentions.mapped("external_id"), ["b1", "b2"], "the records come in the order of the values")
        self.assertEqual([(m.body, m.reach, m.body_truncated) for m in mentions],
                         [("one\ttwo", 7, True), (False, 0, False)])
        self.assertEqual(str(mentions[0].posted_at), "2026-11-01 10:00:00")
        self.assertEqual(mentions[0].create_uid, self.env.user)

    def test_parents_see_their_new_children(self):
        parent = insert_records(self.Mention, [self._vals("p1")])
        self.assertFalse(parent.child_ids)  # now in the cache
        child = insert_records(self.Mention, [self._vals("c1", parent_id=parent.id)])
        self.assertEqual(parent.child_ids, child, "the parent's cached children were dropped")

    def test_nothing_to_insert(self):
        self.assertEqual(insert_records(self.Mention, []), self.Mention)

    def test_only_scalar_fields(self):
        with self.assertRaisesRegex(TypeError, "child_ids"):
            insert_records(self.Mention, [self._vals("b3", child_ids=[])])
