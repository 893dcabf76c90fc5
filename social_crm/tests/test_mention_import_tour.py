from odoo.tests import HttpCase, new_test_user, tagged


@tagged("social_crm", "post_install", "-at_install")
class TestMentionImportTour(HttpCase):
    """In a real browser: a manager uploads a 5 MB CSV export through the wizard and imports it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="tour_import_manager", name="Tour Import Manager",
                                    groups="sales_team.group_sale_salesman,social_crm.social_crm_group_manager")
        cls.source = cls.env["social.source"].create(
            {"name": "Tour export", "source_type": "csv", "network": "x"})

    def test_csv_import_tour(self):
        self.start_tour(f"/odoo/action-social_crm.social_source_action/{self.source.id}",
                        "social_crm_csv_import_tour", login="tour_import_manager", timeout=180)
        job = self.env["social.mention.import.job"].search([("source_id", "=", self.source.id)])
        self.assertEqual((job.name, job.state, job.total_rows, job.user_id), ("tour_export.csv", "queued", 10000,
                                                                              self.manager))
        self.assertGreater(len(job.attachment_id.raw), 5 * 1024 * 1024)
        # the scheduler's job, as the cron runner calls it until nothing remains
        cron = self.env.ref("social_crm.ir_cron_import_mentions")
        for _call in range(10):
            cron_ctx, progress = cron._add_progress()
            job.with_context(**cron_ctx.env.context)._cron_import_mentions()
            if not progress.remaining:
                break
        self.assertEqual((job.state, job.done_rows, job.created_count, job.skipped_count, job.skipped_lines,
                          job.failed_count), ("done", 10000, 9999, 1, "9", 0))
        mentions = self.env["social.mention"].search([("source_id", "=", self.source.id)])
        self.assertEqual(len(mentions), 9999)
        by_id = {mention.external_id: mention for mention in mentions}
        self.assertNotIn("tour-7", by_id, "the row without text is skipped")
        first = by_id["tour-0"]
        self.assertTrue(first.body.startswith("Tour mention 0 about the Acme café. Delivery was quick"))
        self.assertEqual(len(first.body), len("Tour mention 0 about the Acme café.") + 5 * 85)
        self.assertEqual((first.author_handle, first.network, str(first.posted_at), first.lang),
                         ("@tour_fan_0", "x", "2026-11-01 10:00:00", "en"))
        self.assertEqual(first.profile_id.name, "Tour Fan 0")
        self.assertEqual(by_id["tour-8"].body, "First line\nsecond line, quoted")
        self.assertEqual((by_id["tour-9999"].author_handle, by_id["tour-9999"].profile_id.name),
                         ("@tour_fan_49", "Tour Fan 49"))
        self.assertIn("Import of tour_export.csv finished: 10000 rows, 9999 mentions created",
                      self.source.message_ids[0].body)
