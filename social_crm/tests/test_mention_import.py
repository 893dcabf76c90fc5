import base64
import codecs
import csv
import io

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.social_crm.wizard.social_mention_import import COLUMN_FIELDS

from .common import SocialCrmCommon

HEADER = ["id", "text", "author", "name", "email", "followers", "url", "date", "lang"]


def csv_file(rows, delimiter=",", encoding="utf-8", bom=False):
    """Base64 of a CSV file written with csv.writer."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return base64.b64encode((codecs.BOM_UTF8 if bom else b"") + data)


def row(number, handle="@Ann_Test", text=None):
    return [f"m-{number}", text or f"Mention number {number} about Acme", handle, "Ann Test",
            "", "120", f"https://x.com/{handle.lstrip('@')}/status/{number}", "2026-11-01T10:00:00Z", "en"]


@tagged("social_crm", "post_install", "-at_install")
class TestMentionImport(SocialCrmCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source = cls.env["social.source"].create(
            {"name": "Spreadsheet export", "source_type": "csv", "network": "x", "user_id": cls.env.user.id})
        cls.Wizard = cls.env["social.mention.import"]
        cls.Mention = cls.env["social.mention"]

    def wizard(self, file, **vals):
        return self.Wizard.with_context(active_model="social.source", active_id=self.source.id).create(
            {"file": file, "filename": "mentions.csv", **vals})

    def loaded(self, file, **vals):
        """A wizard at the mapping step."""
        wizard = self.wizard(file, **vals)
        wizard.action_load()
        return wizard

    @staticmethod
    def chosen(wizard):
        """``{part: column name}`` of the mapping."""
        return {part: wizard[fname].name for part, fname in COLUMN_FIELDS.items() if wizard[fname]}

    def column(self, wizard, name):
        return wizard.column_ids.filtered(lambda column: column.name == name)

    def run_import_job(self, job):
        """Run the import job as the scheduler does, call after call, until nothing remains."""
        cron = self.env.ref("social_crm.ir_cron_import_mentions")
        calls = []
        for _call in range(100):
            cron_ctx, progress = cron._add_progress()
            self.env["social.mention.import.job"].with_context(**cron_ctx.env.context)._cron_import_mentions()
            calls.append((progress.done, progress.remaining))
            if not progress.remaining:
                break
        return calls

    def mentions(self):
        return self.Mention.search([("source_id", "=", self.source.id)])

    def test_mapping_guessed_from_english_header(self):
        header = ["ID", "Message", "Username", "Name", "E-mail", "Phone", "Followers", "Link", "Created At",
                  "Language", "Network", "Parent", "Notes"]
        wizard = self.loaded(csv_file([header, ["1", "hi", "@ann_test", "Ann", "", "", "3", "", "", "en", "x", "",
                                                "a note"]]))
        self.assertEqual(wizard.source_id, self.source, "source taken from the form the wizard was opened on")
        self.assertEqual((wizard.delimiter, wizard.state, wizard.row_count), (",", "map", 1))
        self.assertEqual(wizard.column_ids.mapped("name"), header, "the columns found are the header's, in order")
        self.assertEqual(self.chosen(wizard), {
            "external_id": "ID", "text": "Message", "author_handle": "Username", "author_name": "Name",
            "author_email": "E-mail", "author_phone": "Phone", "followers": "Followers", "url": "Link",
            "posted_at": "Created At", "lang": "Language", "network": "Network", "parent": "Parent"})
        self.assertEqual((self.column(wizard, "Message").sample, self.column(wizard, "Message").used_for),
                         ("hi", "Text"))
        self.assertFalse(self.column(wizard, "Notes").used_for, "a column nobody imports says so")

    def test_mapping_guessed_from_french_header_with_semicolons(self):
        header = ["Identifiant", "Texte", "Auteur", "Nom", "Courriel", "Téléphone", "Abonnés", "Lien",
                  "Date", "Langue", "Réseau"]
        rows = [header, ["f-1", "Très content, merci !", "@Ann_Test", "Ann", "", "", "12", "", "01/11/2026",
                         "fr", "x"]]
        wizard = self.loaded(csv_file(rows, delimiter=";"))
        self.assertEqual(wizard.delimiter, ";", "detected by csv.Sniffer")
        chosen = self.chosen(wizard)
        self.assertEqual((chosen["external_id"], chosen["text"], chosen["author_handle"], chosen["author_phone"],
                          chosen["followers"], chosen["network"]),
                         ("Identifiant", "Texte", "Auteur", "Téléphone", "Abonnés", "Réseau"))
        wizard.action_import()
        mention = self.mentions()
        self.assertEqual((mention.external_id, mention.body, mention.partner_id, mention.reach),
                         ("f-1", "Très content, merci !", self.ann, 12))

    def test_delimiter_can_be_overridden(self):
        wizard = self.wizard(csv_file([HEADER, row(1)]))
        wizard.delimiter = "\t"
        wizard.action_load()
        self.assertEqual(wizard.column_ids.mapped("name"), [",".join(HEADER)], "one column with a wrong delimiter")
        self.assertFalse(wizard.text_column_id)
        with self.assertRaisesRegex(UserError, "text column"):
            wizard.action_import()
        self.assertFalse(wizard.job_id)

    def test_preview_shows_rows_as_imported(self):
        wizard = self.loaded(csv_file([HEADER, row(1, text="<script>alert('x')</script> hello"), row(2),
                                       row(3, text=" ")]))
        preview = str(wizard.preview)
        self.assertIn("&lt;script&gt;", preview)
        self.assertNotIn("<script>", preview)
        self.assertIn("<td>Mention number 2 about Acme</td>", preview)
        self.assertIn('<th class="o_social_crm_import_text">Text</th>', preview)
        self.assertIn("<th>Author Handle</th>", preview)
        self.assertEqual(preview.count('<td class="text-success">Ready</td>'), 2)
        self.assertIn('<td class="text-muted">Skipped: no text</td>', preview)
        wizard.network_column_id = self.column(wizard, "lang")
        self.assertIn('<td class="text-danger">Fails: network: unknown network', str(wizard.preview),
                      "the preview tells which rows ingestion refuses")
        wizard.network_column_id = False
        wizard.text_column_id = False
        self.assertNotIn(">Text</th>", str(wizard.preview), "the preview follows the mapping")
        wizard.text_column_id = self.column(wizard, "name")
        self.assertIn("<td>Ann Test</td>", str(wizard.preview))

    def test_web_client_reads_files_by_size(self):
        """The web client reads binaries with ``bin_size``: the wizard must still read the content."""
        rows = [HEADER] + [row(number) for number in range(40)]  # about 4 KB
        wizard = self.wizard(csv_file(rows)).with_context(bin_size=True)
        self.assertRegex(str(wizard.file), r"^\d+(\.\d+)? (bytes|Kb)$", "what the web client gets")
        wizard.action_load()
        self.assertEqual(wizard.column_ids.mapped("name"), HEADER)
        self.assertIn("Mention number 3 about Acme", str(wizard.preview))
        wizard.action_import()
        self.assertEqual((wizard.job_state, wizard.created_count), ("done", 40))

    def test_import_matches_known_partners(self):
        wizard = self.loaded(csv_file([HEADER, row(1), row(2, handle="@Stranger_9")]))
        self.assertEqual(wizard.state, "map")
        action = wizard.action_import()
        self.assertEqual((action["res_model"], action["res_id"]), (wizard._name, wizard.id))
        self.assertEqual((wizard.state, wizard.job_state, wizard.created_count, wizard.duplicate_count,
                          wizard.failed_count, wizard.background), ("done", "done", 2, 0, 0, False))
        ann_mention = self.mentions().filtered(lambda m: m.external_id == "m-1")
        self.assertEqual((ann_mention.partner_id, ann_mention.profile_id), (self.ann, self.ann_x))
        self.assertEqual((ann_mention.network, ann_mention.reach, str(ann_mention.posted_at)),
                         ("x", 120, "2026-11-01 10:00:00"))
        self.assertEqual(ann_mention.url, "https://x.com/Ann_Test/status/1")
        stranger = self.mentions().filtered(lambda m: m.external_id == "m-2")
        self.assertFalse(stranger.partner_id)
        job = wizard.job_id
        self.assertEqual((job.total_rows, job.done_rows, job.source_id, job.user_id),
                         (2, 2, self.source, self.env.user))
        self.assertFalse(job.attachment_id, "the file, people's data, is deleted once imported")
        self.assertFalse(self.env["ir.attachment"].search([("res_model", "=", job._name), ("res_id", "=", job.id)]))
        self.assertIn("Import of mentions.csv finished: 2 rows, 2 mentions created",
                      self.source.message_ids[0].body, "a trace on the source")
        self.assertEqual(self.source.import_job_count, 1)
        running = self.loaded(csv_file([HEADER] + [row(number) for number in range(2500)]))
        running.action_import()
        stored = running.job_id.attachment_id
        self.assertTrue(stored, "kept while the import runs")
        running.job_id.unlink()
        self.assertFalse(stored.exists(), "the stored file goes with its import")

    def test_rows_without_text_skipped_and_reported(self):
        rows = [HEADER, row(1), row(2, text=" "), row(3), ["m-4", "", "@Ann_Test", "", "", "", "", "", ""]]
        wizard = self.loaded(csv_file(rows))
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.skipped_count, wizard.skipped_lines, wizard.failed_count),
                         (2, 2, "3, 5", 0))
        self.assertEqual(sorted(self.mentions().mapped("external_id")), ["m-1", "m-3"])
        self.assertFalse(self.env["social.mention.quarantine"].search([("source_id", "=", self.source.id)]))

    def test_bad_rows_quarantined_others_created(self):
        rows = [HEADER, row(1), ["m-2", "too few columns"], row(3), row(4, handle="two words"), row(5)]
        wizard = self.wizard(csv_file(rows))
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.failed_count, wizard.row_count), (3, 2, 5))
        self.assertEqual(sorted(self.mentions().mapped("external_id")), ["m-1", "m-3", "m-5"])
        self.assertIn("line 3: 2 columns instead of 9", wizard.result_errors)
        self.assertIn("line 5: author", wizard.result_errors)
        action = wizard.action_view_failed()
        failed = self.env["social.mention.quarantine"].search(action["domain"])
        self.assertEqual(len(failed), 2)
        self.assertEqual(set(failed.mapped("source_id")), {self.source})
        self.assertEqual(sorted(failed.mapped("external_id"), key=str), [False, "m-4"])

    def test_quoted_newlines_and_line_numbers(self):
        rows = [HEADER, row(1, text="First line\nsecond line, with a comma"), ["m-2", "short"], row(3)]
        wizard = self.loaded(csv_file(rows))
        self.assertEqual(wizard.row_count, 3)
        wizard.action_import()
        self.assertEqual(self.mentions().filtered(lambda m: m.external_id == "m-1").body,
                         "First line\nsecond line, with a comma")
        self.assertEqual(wizard.result_errors, "line 4: 2 columns instead of 9",
                         "the row after a two-line row starts on line 4")

    def test_two_hundred_columns(self):
        header = [f"extra_{number}" for number in range(196)] + ["text", "author", "id", "followers"]
        rows = [header] + [[f"x{number}"] * 196 + [f"Wide row {number}", "@Ann_Test", f"w-{number}", "5"]
                           for number in range(3)]
        wizard = self.loaded(csv_file(rows))
        self.assertEqual(len(wizard.column_ids), 200)
        self.assertEqual(self.chosen(wizard), {"text": "text", "author_handle": "author", "external_id": "id",
                                               "followers": "followers"})
        self.assertEqual(str(wizard.preview).count("</th>"), 5, "the preview shows the imported columns only")
        wizard.action_import()
        self.assertEqual(sorted(self.mentions().mapped("body")), ["Wide row 0", "Wide row 1", "Wide row 2"])

    def test_reimport_creates_nothing(self):
        # no id column: each row gets an id from its content
        rows = [["text", "handle"], ["first", "@Ann_Test"], ["second", "@Ann_Test"], ["first", "@Ann_Test"]]
        file = csv_file(rows)
        first = self.loaded(file)
        self.assertFalse(first.external_id_column_id)
        first.action_import()
        self.assertEqual((first.created_count, first.duplicate_count), (2, 1), "identical rows are one mention")
        again = self.wizard(file)
        again.action_import()
        self.assertEqual((again.created_count, again.duplicate_count, again.failed_count), (0, 3, 0))
        self.assertEqual(len(self.mentions()), 2)

    def test_latin1_file(self):
        file = csv_file([HEADER, row(1, text="Très bon café, à bientôt")], encoding="latin-1")
        wizard = self.wizard(file)
        with self.assertRaisesRegex(UserError, "byte 59 cannot be read.*Latin-1"):
            wizard.action_load()
        wizard.encoding = "latin-1"
        wizard.action_load()
        wizard.action_import()
        self.assertEqual(self.mentions().body, "Très bon café, à bientôt")

    def test_utf8_with_bom(self):
        wizard = self.loaded(csv_file([HEADER, row(1, text="Ça marche ✓")], bom=True))
        self.assertEqual(wizard.external_id_column_id.name, "id",
                         "the byte order mark is not part of the first column name")
        wizard.action_import()
        self.assertEqual((self.mentions().external_id, self.mentions().body), ("m-1", "Ça marche ✓"))

    def test_bad_files_refused_with_nothing_stored(self):
        with self.assertRaisesRegex(UserError, "empty"):
            self.wizard(False).action_load()
        with self.assertRaisesRegex(UserError, "empty"):
            self.wizard(base64.b64encode(b"\n \r\n")).action_load()
        with self.assertRaisesRegex(UserError, "no rows"):
            self.wizard(csv_file([HEADER])).action_import()
        page = b"<!DOCTYPE html>\n<html><head><title>Export</title></head><body><table><tr><td>id</td></tr>"
        with self.assertRaisesRegex(UserError, "web page"):
            self.wizard(base64.b64encode(page)).action_load()
        with self.assertRaisesRegex(UserError, "not a text file"):
            self.wizard(base64.b64encode(b"PK\x03\x04\x14\x00\x00\x00 spreadsheet")).action_load()
        big = self.Wizard.new({"source_id": self.source.id, "file": base64.b64encode(b"a" * (100 * 1024 * 1024))})
        self.assertFalse(big.preview, "too large to be read for the preview")
        with self.assertRaisesRegex(UserError, r"too large \(100.0 MB\): the limit is 50 MB"):
            big._check_file()
        self.assertFalse(self.mentions())
        self.assertFalse(self.env["social.mention.import.job"].search([("source_id", "=", self.source.id)]))

    def test_unreadable_line_refused_before_anything_is_stored(self):
        rows = [HEADER] + [row(number) for number in range(3)]
        data = base64.b64decode(csv_file(rows)) + b'm-9,"an open quote ' + b"x" * 140_000 + b"\n"
        wizard = self.wizard(base64.b64encode(data))
        with self.assertRaisesRegex(UserError, "Line 5 of the file cannot be read"):
            wizard.action_load()
        self.assertFalse(self.mentions())

    def test_form_flow(self):
        """The delimiter follows the file in the form (onchange), the mapping and preview too, as for a user."""
        with Form(self.Wizard.with_context(active_model="social.source", active_id=self.source.id)) as form:
            self.assertEqual(form.source_id, self.source)
            form.file = csv_file([HEADER, row(1)], delimiter=";").decode()
            self.assertEqual(form.delimiter, ";")
        wizard = form.record
        wizard.action_load()
        self.assertEqual((wizard.text_column_id.name, wizard.author_handle_column_id.name), ("text", "author"))
        with Form(wizard) as form:  # the mapping step
            self.assertIn("<td>Ann Test</td>", str(form.preview))
            form.author_name_column_id = self.env["social.mention.import.column"]
            self.assertNotIn("<td>Ann Test</td>", str(form.preview))
        self.assertEqual((wizard.text_column_id.name, wizard.author_name_column_id.name), ("text", False))
        wizard.action_import()
        self.assertEqual((wizard.created_count, self.mentions().partner_id), (1, self.ann))
        self.assertFalse(self.mentions().author_name)

    def test_column_of_another_file_refused(self):
        wizard = self.loaded(csv_file([HEADER, row(1)]))
        other = self.loaded(csv_file([["permalink", "text", "author"], ["u", "t", "@a"]]))
        wizard.url_column_id = self.column(other, "permalink")
        with self.assertRaisesRegex(UserError, "Mention URL"):
            wizard.action_import()

    def test_without_header(self):
        wizard = self.loaded(csv_file([row(1), row(2)]), has_header=False)
        self.assertFalse(wizard.text_column_id, "nothing guessed without a header")
        self.assertEqual(wizard.column_ids[:3].mapped("name"), ["Column 1", "Column 2", "Column 3"])
        self.assertEqual(wizard.column_ids[1].sample, "Mention number 1 about Acme")
        wizard.write({"external_id_column_id": wizard.column_ids[0].id, "text_column_id": wizard.column_ids[1].id,
                      "author_handle_column_id": wizard.column_ids[2].id})
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.row_count), (2, 2))

    def test_large_file_imported_in_background(self):
        rows = [HEADER] + [row(number, handle=f"@fan_{number % 40}") for number in range(5000)]
        rows[1234] = rows[1234][:1] + [""] + rows[1234][2:]  # line 1235: no text
        wizard = self.loaded(csv_file(rows))
        self.assertTrue(wizard.runs_in_background)
        cron = self.env.ref("social_crm.ir_cron_import_mentions")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        wizard.action_import()
        job = wizard.job_id
        self.assertEqual((job.state, job.background, job.total_rows, job.done_rows), ("queued", True, 5000, 0))
        self.assertFalse(self.mentions(), "nothing imported in the request")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers,
                        "the job is woken up")
        self.assertFalse(wizard.file, "the transient wizard no longer holds the file: the import record does")
        wizard.invalidate_recordset()

        calls = self.run_import_job(job)
        self.assertEqual((sum(done for done, _remaining in calls), calls[-1][1]), (5000, 0),
                         "progress notified to the cron runner")
        self.assertTrue(all(remaining for _done, remaining in calls[:-1]), "the runner calls again while rows remain")
        self.assertEqual((job.state, job.done_rows, job.progress, job.batch_count, job.created_count,
                          job.skipped_count, job.skipped_lines, job.failed_count),
                         ("done", 5000, 100.0, 5, 4999, 1, "1235", 0))
        self.assertEqual(self.Mention.search_count([("source_id", "=", self.source.id)]), 4999)
        last = self.mentions().filtered(lambda m: m.external_id == "m-4999")
        self.assertEqual((last.body, last.author_handle, last.reach), ("Mention number 4999 about Acme",
                                                                          "@fan_39", 120))
        message = self.source.message_ids[0]
        self.assertIn("4999 mentions created", message.body)
        self.assertIn("1 skipped (no text)", message.body)
        self.assertEqual(message.partner_ids, self.env.user.partner_id, "the user who started it is notified")
        self.env.cr.precommit.run()  # the notifications are stored when the transaction commits
        notification = self.env["bus.bus"].search([("message", "like", "simple_notification")], order="id desc",
                                                  limit=1)
        self.assertIn("Mentions imported", notification.message)

    def test_background_import_resumes_batch_by_batch(self):
        rows = [HEADER] + [row(number) for number in range(2500)]
        wizard = self.loaded(csv_file(rows))
        wizard.action_import()
        job = wizard.job_id
        self.env["social.mention.import.job"]._cron_import_mentions(seconds=0)  # one batch
        self.assertEqual((job.state, job.done_rows, job.line, job.created_count), ("running", 1000, 1002, 1000))
        raw = job.attachment_id.raw
        self.assertTrue(raw[:job.position].endswith(b"Acme,@Ann_Test,Ann Test,,120,https://x.com/Ann_Test/status/"
                                                    b"999,2026-11-01T10:00:00Z,en\r\n"), "resumes after row 999")
        self.assertEqual(sum(done for done, _remaining in self.run_import_job(job)), 1500)
        self.assertEqual((job.state, job.done_rows, job.created_count, job.duplicate_count), ("done", 2500, 2500, 0))

    def test_background_import_fails_cleanly(self):
        rows = [HEADER] + [row(number) for number in range(2500)]
        wizard = self.loaded(csv_file(rows))
        wizard.action_import()
        job = wizard.job_id
        job.attachment_id.raw = job.attachment_id.raw.replace(b"Mention number 1500 ", b"Mention \xff ")
        self.run_import_job(job)
        self.assertEqual((job.state, job.done_rows, job.created_count), ("failed", 1000, 1000),
                         "the first batch was imported before the broken bytes")
        self.assertIn("cannot be read any more", job.result_errors)
        self.assertIn("The import of mentions.csv failed", self.source.message_ids[0].body)
        self.assertFalse(job.attachment_id, "a failed import does not keep the file either")

    def test_managers_only(self):
        manager = new_test_user(self.env, login="import_manager", groups="social_crm.social_crm_group_manager")
        user = new_test_user(self.env, login="import_user", groups="social_crm.social_crm_group_user")
        self.assertTrue(self.Wizard.with_user(manager).has_access("create"))
        self.assertFalse(self.Wizard.with_user(user).has_access("create"))
        self.assertFalse(self.env["social.mention.import.job"].with_user(user).has_access("read"))
        wizard = self.Wizard.with_user(manager).with_context(
            active_model="social.source", active_id=self.source.id).create({"file": csv_file([HEADER, row(1)])})
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.job_id.user_id), (1, manager))
