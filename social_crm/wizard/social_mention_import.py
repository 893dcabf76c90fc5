"""Import mentions from a CSV file: upload, map the columns, preview, then ingest in batches."""
import base64
import binascii
import codecs
import csv
import io
import re
import unicodedata

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context

from ..tools.csv_rows import iter_rows

MAX_FILE_BYTES = 50 * 1024 * 1024
# up to this many rows the import runs at once; a larger file is imported by a job, in the background
MAX_DIRECT_ROWS = 2_000
PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 120
SAMPLE_CELL_CHARS = 60
SAMPLE_BYTES = 256 * 1024  # enough to sniff the delimiter and read the header and the preview rows

ENCODINGS = [("utf-8", "UTF-8"), ("latin-1", "Latin-1 (ISO 8859-1)")]
DELIMITERS = [(",", "Comma"), (";", "Semicolon"), ("\t", "Tab")]

# part of a mention -> usual header names, normalised by _normalise_header (English, then French);
# each part is filled from the column chosen in its field ``<part>_column_id``
COLUMN_GUESSES = {
    "external_id": ("id", "external_id", "mention_id", "post_id", "message_id", "tweet_id", "identifiant"),
    "text": ("text", "message", "content", "body", "post", "tweet", "mention", "texte", "contenu"),
    "author_handle": ("author", "handle", "user", "username", "user_name", "screen_name",
                      "author_handle", "auteur", "pseudo", "utilisateur", "compte"),
    "author_name": ("name", "author_name", "display_name", "full_name", "nom", "nom_complet"),
    "author_url": ("author_url", "profile_url", "profile", "user_url", "profil", "url_du_profil"),
    "author_email": ("email", "e_mail", "mail", "author_email", "courriel", "adresse_e_mail"),
    "author_phone": ("phone", "telephone", "tel", "mobile", "author_phone", "portable"),
    "followers": ("followers", "followers_count", "follower_count", "reach", "abonnes", "audience"),
    "url": ("url", "link", "permalink", "post_url", "lien"),
    "posted_at": ("date", "posted_at", "created_at", "published_at", "published", "timestamp",
                  "time", "publie_le", "date_de_publication"),
    "lang": ("lang", "language", "locale", "langue"),
    "network": ("network", "platform", "reseau", "plateforme"),
    "parent": ("parent_id", "parent", "in_reply_to", "reply_to", "en_reponse_a"),
}
COLUMN_FIELDS = {part: f"{part}_column_id" for part in COLUMN_GUESSES}
AUTHOR_PARTS = ("author_handle", "author_url", "author_email", "author_phone", "author_name")


def _normalise_header(name):
    """Header name as a key: ``"Réseau "`` → ``"reseau"``, ``"Posted At"`` → ``"posted_at"``."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _column_field(string, help=None):
    return fields.Many2one(comodel_name="social.mention.import.column", string=string, help=help,
                           domain="[('import_id', '=', id)]", ondelete="set null")


class SocialMentionImportColumn(models.TransientModel):
    """A column of the uploaded file, to choose from when mapping the file to mentions."""

    _name = "social.mention.import.column"
    _description = "Column of an Imported CSV File"
    _order = "position"

    import_id = fields.Many2one(comodel_name="social.mention.import", required=True, index=True,
                                ondelete="cascade")
    position = fields.Integer(required=True)
    name = fields.Char(string="Column", required=True)
    sample = fields.Char(string="First Value")
    used_for = fields.Char(string="Imported As", compute="_compute_used_for")

    @api.depends(lambda self: [f"import_id.{fname}" for fname in COLUMN_FIELDS.values()])
    def _compute_used_for(self):
        for column in self:
            wizard = column.import_id
            column.used_for = ", ".join(
                wizard._part_label(part) for part, fname in COLUMN_FIELDS.items() if wizard[fname] == column)


class SocialMentionImport(models.TransientModel):
    """Import the mentions of a CSV source from a file, through the batch ingestion of mentions.

    The columns are chosen among the file's header (guessed from usual names, editable); each
    row becomes one item of the webhook format, so validation, deduplication, author matching
    and quarantine are the same as for every other source. The import itself is a
    ``social.mention.import.job``: small files run at once, large ones in the background.
    """

    _name = "social.mention.import"
    _description = "Import Social Mentions from CSV"

    state = fields.Selection(
        selection=[("upload", "Upload"), ("map", "Map Columns"), ("done", "Done")],
        default="upload", required=True)
    source_id = fields.Many2one(
        comodel_name="social.source", required=True, ondelete="cascade",
        domain="[('source_type', '=', 'csv')]", default=lambda self: self._default_source_id())
    file = fields.Binary(string="CSV File", attachment=False)
    filename = fields.Char()
    encoding = fields.Selection(
        selection=ENCODINGS, default="utf-8", required=True,
        help="UTF-8 files with a byte order mark (as saved by spreadsheets) are read too.")
    delimiter = fields.Selection(
        selection=DELIMITERS, compute="_compute_delimiter", store=True, readonly=False, precompute=True,
        help="Detected from the file; change it if the columns look wrong.")
    has_header = fields.Boolean(string="First Row Is a Header", default=True)
    column_ids = fields.One2many(comodel_name="social.mention.import.column", inverse_name="import_id",
                                 string="Columns Found", readonly=True)
    row_count = fields.Integer(string="Rows", readonly=True, help="Rows of the file, header excluded.")
    runs_in_background = fields.Boolean(compute="_compute_runs_in_background")

    # column mapping: the column of the file that fills each part of a mention
    external_id_column_id = _column_field(
        "Mention ID", help="Without it, each row gets an id computed from its content, "
                   "so importing the same file again creates nothing twice.")
    text_column_id = _column_field("Text", help="Rows with an empty text are skipped and reported.")
    author_handle_column_id = _column_field("Author Handle")
    author_name_column_id = _column_field("Author Name")
    author_url_column_id = _column_field("Author Profile URL")
    author_email_column_id = _column_field("Author E-mail")
    author_phone_column_id = _column_field("Author Phone")
    followers_column_id = _column_field("Followers")
    url_column_id = _column_field("Mention URL")
    posted_at_column_id = _column_field("Date")
    lang_column_id = _column_field("Language")
    network_column_id = _column_field("Network", help="Without it, the network of the source is used.")
    parent_column_id = _column_field("Parent ID", help="Id of the mention this one answers.")
    preview = fields.Html(compute="_compute_preview", sanitize=True)

    # result: the import record
    job_id = fields.Many2one(comodel_name="social.mention.import.job", string="Import", readonly=True)
    job_state = fields.Selection(related="job_id.state", string="Import State")
    background = fields.Boolean(related="job_id.background")
    created_count = fields.Integer(related="job_id.created_count")
    duplicate_count = fields.Integer(related="job_id.duplicate_count")
    failed_count = fields.Integer(related="job_id.failed_count")
    opted_out_count = fields.Integer(related="job_id.opted_out_count")
    skipped_count = fields.Integer(related="job_id.skipped_count")
    skipped_lines = fields.Char(related="job_id.skipped_lines")
    batch_count = fields.Integer(related="job_id.batch_count")
    result_errors = fields.Text(related="job_id.result_errors")

    @api.model
    def _default_source_id(self):
        context = self.env.context
        if context.get("active_model") == "social.source" and context.get("active_id"):
            source = self.env["social.source"].browse(context["active_id"]).exists()
            if source.source_type == "csv":
                return source
        return self.env["social.source"]

    @api.depends("row_count")
    def _compute_runs_in_background(self):
        for wizard in self:
            wizard.runs_in_background = wizard.row_count > MAX_DIRECT_ROWS

    def _part_label(self, part):
        return self._fields[COLUMN_FIELDS[part]]._description_string(self.env)

    # ------------------------------------------------------------------ reading the file

    def _file_value(self):
        """The uploaded file as base64, never its size: the web client reads binaries with ``bin_size``."""
        return self.with_context(bin_size=False, bin_size_file=False).file or b""

    def _raw(self, limit=None):
        """The file's bytes (its first ``limit`` bytes at most); empty bytes when there is no file."""
        self.ensure_one()
        data = self._file_value()
        if isinstance(data, str):
            data = data.encode("ascii")
        if limit is not None:
            data = data[:(limit + 2) // 3 * 4]  # a prefix of whole base64 quanta
        try:
            return base64.b64decode(data)
        except (binascii.Error, ValueError):
            raise UserError(self.env._("The file could not be read: it is not a valid upload.")) from None

    def _file_size(self):
        return len(self._file_value()) * 3 // 4

    def _sample_text(self):
        """The beginning of the file as text, for sniffing and preview (never raises on bad bytes)."""
        codec = "utf-8-sig" if self.encoding != "latin-1" else "latin-1"
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        return decoder.decode(self._raw(SAMPLE_BYTES), final=False)

    def _sample_rows(self, count):
        """The first ``count`` non-blank rows of the sample; the last one may be cut if the file is longer."""
        rows = []
        reader = csv.reader(io.StringIO(self._sample_text(), newline=""), delimiter=self.delimiter or ",")
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    rows.append(row)
                    if len(rows) >= count:
                        break
        except csv.Error:  # a sample cut in the middle of a quoted field: the rows read so far are enough
            return rows
        return rows

    def _header(self, first_row):
        """Names of the columns: the header row (``Column N`` for an empty cell), or ``Column N``."""
        return [(cell.strip() if self.has_header else "") or self.env._("Column %(number)s", number=number)
                for number, cell in enumerate(first_row, start=1)]

    def _usable_file(self):
        return bool(self._file_value()) and self._file_size() <= MAX_FILE_BYTES

    @api.depends("file", "encoding")
    def _compute_delimiter(self):
        for wizard in self:
            if not wizard._usable_file():
                wizard.delimiter = wizard.delimiter or ","
                continue
            sample = wizard._sample_text()
            try:
                wizard.delimiter = csv.Sniffer().sniff(sample[:65536], delimiters=",;\t").delimiter
            except csv.Error:
                first_line = sample.split("\n", 1)[0]
                wizard.delimiter = max((",", ";", "\t"), key=first_line.count)

    @api.model
    def _guess_mapping(self, header):
        """``{part: column position}`` from usual header names; each column is used once."""
        by_key = {}
        for position, name in enumerate(header):
            by_key.setdefault(_normalise_header(name), position)
        guesses, used = {}, set()
        for part, keys in COLUMN_GUESSES.items():
            for key in keys:
                position = by_key.get(key)
                if position is not None and position not in used:
                    guesses[part] = position
                    used.add(position)
                    break
        return guesses

    @api.depends("file", "encoding", "delimiter", "has_header", "column_ids", *COLUMN_FIELDS.values())
    def _compute_preview(self):
        for wizard in self:
            wizard.preview = wizard._render_preview() if wizard.column_ids and wizard._usable_file() else False

    def _mapping(self):
        """``{part: column position}`` of the chosen columns."""
        return {part: self[fname].position for part, fname in COLUMN_FIELDS.items() if self[fname]}

    def _render_preview(self):
        """The first rows as they will be imported, with what becomes of each, as an HTML table.

        Every value is escaped by ``Markup %``.
        """
        rows = self._sample_rows(PREVIEW_ROWS + 1)
        if self.has_header:
            rows = rows[1:]
        mapping = self._mapping()
        if not rows:
            return False
        if not mapping:
            return Markup("<p>%s</p>") % self.env._("Choose at least one column to see a preview.")
        Job = self.env["social.mention.import.job"]

        def cell(row, position):
            value = row[position].strip() if position < len(row) else ""
            return value if len(value) <= PREVIEW_CELL_CHARS else value[:PREVIEW_CELL_CHARS] + "…"

        def status(row):
            if len(row) != len(self.column_ids):
                return "text-danger", self.env._("Fails: %(count)s columns instead of %(expected)s",
                                                 count=len(row), expected=len(self.column_ids))
            if "text" in mapping and not row[mapping["text"]].strip():
                return "text-muted", self.env._("Skipped: no text")
            try:
                self.env["social.mention"]._parse_item(Job._row_to_item(row, mapping), self.source_id)
            except ValueError as error:
                return "text-danger", self.env._("Fails: %(error)s", error=str(error))
            return "text-success", self.env._("Ready")

        def line(row):
            css, label = status(row)
            cells = Markup("").join(Markup("<td>%s</td>") % cell(row, position) for position in mapping.values())
            return Markup('<tr><td class="%s">%s</td>%s</tr>') % (css, label, cells)

        head = Markup("").join(
            (Markup('<th class="o_social_crm_import_text">%s</th>') if part == "text" else Markup("<th>%s</th>"))
            % self._part_label(part)
            for part in mapping)
        body = Markup("").join(line(row) for row in rows[:PREVIEW_ROWS])
        return Markup('<div class="table-responsive"><table class="table table-sm table-bordered mb-0 '
                      'o_social_crm_import_preview"><thead><tr><th>%s</th>%s</tr></thead><tbody>%s</tbody>'
                      '</table></div>') % (
            self.env._("Import"), head, body)

    # ------------------------------------------------------------------ checks

    def _check_file(self):
        """Refuse a missing, empty, oversized or non-CSV file; return its bytes."""
        self.ensure_one()
        if not self._file_value():
            raise UserError(self.env._("Choose a CSV file to import: the file is empty."))
        if self._file_size() > MAX_FILE_BYTES:
            raise UserError(self.env._(
                "The file is too large (%(size)s MB): the limit is %(max)s MB. Split it into smaller files.",
                size=round(self._file_size() / 1024 / 1024, 1), max=MAX_FILE_BYTES // 1024 // 1024))
        raw = self._raw()
        start = raw.removeprefix(codecs.BOM_UTF8).lstrip()
        if not start:
            raise UserError(self.env._("The file is empty."))
        head = start[:512].lower()
        if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
            raise UserError(self.env._(
                "This file is a web page (HTML or XML), not a CSV file: export the data as CSV and upload that file."))
        if b"\x00" in raw[:SAMPLE_BYTES]:
            raise UserError(self.env._(
                "This file is not a text file (a spreadsheet or a binary file?): save it as CSV and upload that file."))
        return raw

    def _scan(self, raw):
        """Read the whole file once, storing nothing; refuse it at its first unreadable line.

        :return: ``(header, byte offset and line number of the first data row, number of data rows)``
        """
        header, start, first_line, rows = None, 0, 1, 0
        try:
            for row, _line, end, next_line in iter_rows(raw, self.encoding, self.delimiter or ","):
                if header is None:
                    header = self._header(row)
                    if self.has_header:
                        start, first_line = end, next_line
                        continue
                rows += 1
        except UnicodeDecodeError as error:
            raise UserError(self.env._(
                "The file is not valid %(encoding)s text (byte %(position)s cannot be read). "
                "If it was saved by an older spreadsheet program, choose the Latin-1 encoding.",
                encoding=dict(ENCODINGS)[self.encoding], position=error.start + 1)) from None
        except csv.Error as error:
            raise UserError(self.env._(
                "Line %(line)s of the file cannot be read (%(error)s): check the quotes on that line.",
                line=error.line, error=str(error))) from None
        if header is None or not rows:
            raise UserError(self.env._("The file has no rows to import."))
        return header, start, first_line, rows

    def _check_mapping(self):
        """Refuse a mapping without text or author, or with columns of another file."""
        self.ensure_one()
        foreign = [self._part_label(part) for part, fname in COLUMN_FIELDS.items()
                   if self[fname] and self[fname].import_id != self]
        if foreign:
            raise UserError(self.env._("Choose the columns among those of this file: %(parts)s.",
                                       parts=", ".join(foreign)))
        if not self.text_column_id or not any(self[COLUMN_FIELDS[part]] for part in AUTHOR_PARTS):
            raise UserError(self.env._(
                "Choose at least the text column and one column identifying the author "
                "(handle, profile URL, e-mail, phone or name)."))

    # ------------------------------------------------------------------ steps

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Mentions from CSV"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": clean_context(self.env.context),
        }

    def action_load(self):
        """Check the uploaded file, list its columns, guess the mapping and go on to it."""
        self.ensure_one()
        raw = self._check_file()
        header, _start, _line, rows = self._scan(raw)
        first_rows = self._sample_rows(2 if self.has_header else 1)
        samples = first_rows[-1] if first_rows else []
        self.column_ids.unlink()
        columns = self.env["social.mention.import.column"].create([{
            "import_id": self.id,
            "position": position,
            "name": name,
            "sample": self._shorten(samples[position] if position < len(samples) else ""),
        } for position, name in enumerate(header)])
        guesses = self._guess_mapping(header) if self.has_header else {}
        self.write({
            "state": "map",
            "row_count": rows,
            **{fname: columns[guesses[part]].id if part in guesses else False
               for part, fname in COLUMN_FIELDS.items()},
        })
        return self._reopen()

    @staticmethod
    def _shorten(value):
        value = " ".join(value.split())
        return value if len(value) <= SAMPLE_CELL_CHARS else value[:SAMPLE_CELL_CHARS] + "…"

    def action_back(self):
        self.ensure_one()
        self.state = "upload"
        return self._reopen()

    def action_import(self):
        """Store the file and import it: at once if it is small, else by the background job."""
        self.ensure_one()
        if self.source_id.source_type != "csv":
            raise UserError(self.env._("Mentions are imported into a CSV source only."))
        if not self.column_ids:
            self.action_load()
        self._check_mapping()
        raw = self._check_file()
        header, start, first_line, rows = self._scan(raw)
        self.row_count = rows
        background = self.runs_in_background
        job = self.env["social.mention.import.job"].create({
            "name": self.filename or self.env._("CSV file"),
            "source_id": self.source_id.id,
            "encoding": self.encoding,
            "delimiter": self.delimiter or ",",
            "mapping": self._mapping(),
            "width": len(header),
            "position": start,
            "line": first_line,
            "total_rows": rows,
            "background": background,
        })
        job.attachment_id = self.env["ir.attachment"].create({
            "name": self.filename or "mentions.csv",
            "raw": raw,
            "mimetype": "text/csv",
            "res_model": job._name,
            "res_id": job.id,
        })
        self.write({"state": "done", "job_id": job.id, "file": False, "row_count": rows})
        if background:
            job._schedule_import()
        else:
            job._run_now()
        return self._reopen()

    def action_view_job(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.job_id._name,
            "res_id": self.job_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_failed(self):
        self.ensure_one()
        return self.job_id.action_view_failed()
