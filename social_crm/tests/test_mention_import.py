import base64
import codecs
import csv
import io

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

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

    def mentions(self):
        return self.Mention.search([("source_id", "=", self.source.id)])

    def test_mapping_guessed_from_english_header(self):
        header = ["ID", "Message", "Username", "Name", "E-mail", "Phone", "Followers", "Link", "Created At",
                  "Language", "Network", "Parent"]
        wizard = self.wizard(csv_file([header, ["1", "hi", "@ann_test", "Ann", "", "", "3", "", "", "en", "x", ""]]))
        self.assertEqual(wizard.source_id, self.source, "source taken from the form the wizard was opened on")
        self.assertEqual(wizard.delimiter, ",")
        self.assertEqual(
            {fname: wizard[fname] for fname in (
                "column_id", "column_text", "column_author_handle", "column_author_name", "column_author_email",
                "column_author_phone", "column_followers", "column_url", "column_posted_at", "column_lang",
                "column_network", "column_parent_id", "column_author_url")},
            {"column_id": "ID", "column_text": "Message", "column_author_handle": "Username",
             "column_author_name": "Name", "column_author_email": "E-mail", "column_author_phone": "Phone",
             "column_followers": "Followers", "column_url": "Link", "column_posted_at": "Created At",
             "column_lang": "Language", "column_network": "Network", "column_parent_id": "Parent",
             "column_author_url": False})

    def test_mapping_guessed_from_french_header_with_semicolons(self):
        header = ["Identifiant", "Texte", "Auteur", "Nom", "Courriel", "Téléphone", "Abonnés", "Lien",
                  "Date", "Langue", "Réseau"]
        rows = [header, ["f-1", "Très content, merci !", "@Ann_Test", "Ann", "", "", "12", "", "01/11/2026",
                         "fr", "x"]]
        wizard = self.wizard(csv_file(rows, delimiter=";"))
        self.assertEqual(wizard.delimiter, ";", "detected by csv.Sniffer")
        self.assertEqual((wizard.column_id, wizard.column_text, wizard.column_author_handle,
                          wizard.column_author_phone, wizard.column_followers, wizard.column_network),
                         ("Identifiant", "Texte", "Auteur", "Téléphone", "Abonnés", "Réseau"))
        wizard.action_load()
        wizard.action_import()
        mention = self.mentions()
        self.assertEqual((mention.external_id, mention.body, mention.partner_id, mention.reach),
                         ("f-1", "Très content, merci !", self.ann, 12))

    def test_delimiter_can_be_overridden(self):
        wizard = self.wizard(csv_file([HEADER, row(1)]))
        wizard.delimiter = "\t"
        self.assertEqual(wizard.column_names, ",".join(HEADER), "one column with a wrong delimiter")
        self.assertFalse(wizard.column_text)
        with self.assertRaisesRegex(UserError, "text column"):
            wizard.action_import()

    def test_preview_escapes_markup(self):
        wizard = self.wizard(csv_file([HEADER, row(1, text="<script>alert('x')</script> hello"), row(2)]))
        preview = str(wizard.preview)
        self.assertIn("&lt;script&gt;", preview)
        self.assertNotIn("<script>", preview)
        self.assertIn("Mention number 2 about Acme", preview)
        self.assertIn("<th>Text</th>", preview)
        wizard.column_text = False
        self.assertNotIn("<th>Text</th>", str(wizard.preview), "the preview follows the mapping")

    def test_import_matches_known_partners(self):
        wizard = self.wizard(csv_file([HEADER, row(1), row(2, handle="@Stranger_9")]))
        wizard.action_load()
        self.assertEqual(wizard.state, "map")
        action = wizard.action_import()
        self.assertEqual((action["res_model"], action["res_id"]), (wizard._name, wizard.id))
        self.assertEqual((wizard.state, wizard.created_count, wizard.duplicate_count, wizard.failed_count),
                         ("done", 2, 0, 0))
        ann_mention = self.mentions().filtered(lambda m: m.external_id == "m-1")
        self.assertEqual((ann_mention.partner_id, ann_mention.profile_id), (self.ann, self.ann_x))
        self.assertEqual((ann_mention.network, ann_mention.reach, str(ann_mention.posted_at)),
                         ("x", 120, "2026-11-01 10:00:00"))
        self.assertEqual(ann_mention.url, "https://x.com/Ann_Test/status/1")
        stranger = self.mentions().filtered(lambda m: m.external_id == "m-2")
        self.assertFalse(stranger.partner_id)

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

    def test_reimport_creates_nothing(self):
        # no id column: each row gets an id from its content
        rows = [["text", "handle"], ["first", "@Ann_Test"], ["second", "@Ann_Test"], ["first", "@Ann_Test"]]
        file = csv_file(rows)
        first = self.wizard(file)
        self.assertFalse(first.column_id)
        first.action_import()
        self.assertEqual((first.created_count, first.duplicate_count), (2, 1), "identical rows are one mention")
        again = self.wizard(file)
        again.action_import()
        self.assertEqual((again.created_count, again.duplicate_count, again.failed_count), (0, 3, 0))
        self.assertEqual(len(self.mentions()), 2)

    def test_latin1_file(self):
        file = csv_file([HEADER, row(1, text="Très bon café, à bientôt")], encoding="latin-1")
        wizard = self.wizard(file)
        with self.assertRaisesRegex(UserError, "Latin-1"):
            wizard.action_load()
        wizard.encoding = "latin-1"
        wizard.action_load()
        wizard.action_import()
        self.assertEqual(self.mentions().body, "Très bon café, à bientôt")

    def test_utf8_with_bom(self):
        wizard = self.wizard(csv_file([HEADER, row(1, text="Ça marche ✓")], bom=True))
        self.assertEqual(wizard.column_id, "id", "the byte order mark is not part of the first column name")
        wizard.action_import()
        self.assertEqual((self.mentions().external_id, self.mentions().body), ("m-1", "Ça marche ✓"))

    def test_empty_and_oversized_files_refused(self):
        with self.assertRaisesRegex(UserError, "empty"):
            self.wizard(False).action_load()
        with self.assertRaisesRegex(UserError, "empty"):
            self.wizard(base64.b64encode(b"\n \r\n")).action_load()
        with self.assertRaisesRegex(UserError, "no rows"):
            self.wizard(csv_file([HEADER])).action_import()
        big = self.Wizard.new({"source_id": self.source.id, "file": base64.b64encode(b"a" * (51 * 1024 * 1024))})
        self.assertFalse(big.preview, "too large to be read for the preview")
        with self.assertRaisesRegex(UserError, "too large"):
            big._check_file()
        self.assertFalse(self.mentions())

    def test_form_flow(self):
        """The mapping and the preview follow the file in the form (onchange), as for a user."""
        with Form(self.Wizard.with_context(active_model="social.source", active_id=self.source.id)) as form:
            self.assertEqual(form.source_id, self.source)
            form.file = csv_file([HEADER, row(1)], delimiter=";").decode()
            self.assertEqual((form.delimiter, form.column_text, form.column_author_handle), (";", "text", "author"))
            self.assertIn("Mention number 1 about Acme", str(form.preview))
            self.assertIn("<td>Ann Test</td>", str(form.preview))
        wizard = form.record
        wizard.action_load()
        with Form(wizard) as form:  # the mapping step
            form.column_author_name = False
            self.assertNotIn("<td>Ann Test</td>", str(form.preview))
        self.assertEqual((wizard.column_text, wizard.column_author_name), ("text", False))
        wizard.action_import()
        self.assertEqual((wizard.created_count, self.mentions().partner_id), (1, self.ann))
        self.assertFalse(self.mentions().author_name)

    def test_unknown_column_refused(self):
        wizard = self.wizard(csv_file([HEADER, row(1)]))
        wizard.column_url = "permalink"
        with self.assertRaisesRegex(UserError, "permalink"):
            wizard.action_import()

    def test_without_header(self):
        wizard = self.wizard(csv_file([row(1), row(2)]), has_header=False)
        self.assertFalse(wizard.column_text)
        wizard.write({"column_id": "Column 1", "column_text": "Column 2", "column_author_handle": "Column 3"})
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.row_count), (2, 2))

    def test_large_file_in_batches(self):
        rows = [HEADER] + [row(number, handle=f"@fan_{number % 40}") for number in range(5000)]
        wizard = self.wizard(csv_file(rows))
        wizard.action_import()
        self.assertEqual((wizard.row_count, wizard.batch_count, wizard.created_count), (5000, 5, 5000))
        self.assertEqual(self.Mention.search_count([("source_id", "=", self.source.id)]), 5000)

    def test_managers_only(self):
        manager = new_test_user(self.env, login="import_manager", groups="social_crm.social_crm_group_manager")
        user = new_test_user(self.env, login="import_user", groups="social_crm.social_crm_group_user")
        self.assertTrue(self.Wizard.with_user(manager).has_access("create"))
        self.assertFalse(self.Wizard.with_user(user).has_access("create"))
        wizard = self.Wizard.with_user(manager).with_context(
            active_model="social.source", active_id=self.source.id).create({"file": csv_file([HEADER, row(1)])})
        wizard.action_import()
        self.assertEqual(wizard.created_count, 1)
