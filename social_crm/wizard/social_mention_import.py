"""Import mentions from a CSV file: upload, map the columns, preview, then ingest in batches."""
import base64
import binascii
import codecs
import csv
import hashlib
import io
import logging
import re
import threading
import unicodedata

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context

_logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
BATCH_SIZE = 1_000
PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 120
SAMPLE_BYTES = 256 * 1024  # enough to sniff the delimiter and read the header and the preview rows
DECODE_CHUNK = 1024 * 1024
MAX_REPORTED_ERRORS = 20

ENCODINGS = [("utf-8", "UTF-8"), ("latin-1", "Latin-1 (ISO 8859-1)")]
# a UTF-8 file saved by a spreadsheet often starts with a byte order mark: utf-8-sig drops it
CODECS = {"utf-8": "utf-8-sig", "latin-1": "latin-1"}
DELIMITERS = [(",", "Comma"), (";", "Semicolon"), ("\t", "Tab")]

# target field -> usual header names, normalised by _normalise_header (English, then French)
COLUMN_GUESSES = {
    "column_id": ("id", "external_id", "mention_id", "post_id", "message_id", "tweet_id", "identifiant"),
    "column_text": ("text", "message", "content", "body", "post", "tweet", "mention", "texte", "contenu"),
    "column_author_handle": ("author", "handle", "user", "username", "user_name", "screen_name",
                             "author_handle", "auteur", "pseudo", "utilisateur", "compte"),
    "column_author_name": ("name", "author_name", "display_name", "full_name", "nom", "nom_complet"),
    "column_author_url": ("author_url", "profile_url", "profile", "user_url", "profil", "url_du_profil"),
    "column_author_email": ("email", "e_mail", "mail", "author_email", "courriel", "adresse_e_mail"),
    "column_author_phone": ("phone", "telephone", "tel", "mobile", "author_phone", "portable"),
    "column_followers": ("followers", "followers_count", "follower_count", "reach", "abonnes", "audience"),
    "column_url": ("url", "link", "permalink", "post_url", "lien"),
    "column_posted_at": ("date", "posted_at", "created_at", "published_at", "published", "timestamp",
                         "time", "publie_le", "date_de_publication"),
    "column_lang": ("lang", "language", "locale", "langue"),
    "column_network": ("network", "platform", "reseau", "plateforme"),
    "column_parent_id": ("parent_id", "parent", "in_reply_to", "reply_to", "en_reponse_a"),
}
COLUMN_FIELDS = tuple(COLUMN_GUESSES)


def _normalise_header(name):
    """Header name as a key: ``"Réseau "`` → ``"reseau"``, ``"Posted At"`` → ``"posted_at"``."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


class SocialMentionImport(models.TransientModel):
    """Import the mentions of a CSV source from a file, through the batch ingestion of mentions.

    The columns are mapped by name (guessed from the header, editable); each row becomes one item
    of the webhook format, so validation, deduplication, author matching and quarantine are the
    same as for every other source.
    """

    _name = "social.mention.import"
    _description = "Import Social Mentions from CSV"

    state = fields.Selection(
        selection=[("upload", "Upload"), ("map", "Map Columns"), ("done", "Done")],
        default="upload", required=True)
    source_id = fields.Many2one(
        comodel_name="social.source", string="Source", required=True, ondelete="cascade",
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
    column_names = fields.Char(string="Columns Found", compute="_compute_column_names")

    # column mapping: the name of the file's column that fills each part of a mention
    column_id = fields.Char(string="ID Column", compute="_compute_mapping", store=True, readonly=False,
                            help="Without it, each row gets an id computed from its content, "
                                 "so importing the same file again creates nothing twice.")
    column_text = fields.Char(string="Text Column", compute="_compute_mapping", store=True, readonly=False)
    column_author_handle = fields.Char(string="Author Handle Column", compute="_compute_mapping", store=True,
                                       readonly=False)
    column_author_name = fields.Char(string="Author Name Column", compute="_compute_mapping", store=True,
                                     readonly=False)
    column_author_url = fields.Char(string="Author Profile URL Column", compute="_compute_mapping", store=True,
                                    readonly=False)
    column_author_email = fields.Char(string="Author E-mail Column", compute="_compute_mapping", store=True,
                                      readonly=False)
    column_author_phone = fields.Char(string="Author Phone Column", compute="_compute_mapping", store=True,
                                      readonly=False)
    column_followers = fields.Char(string="Followers Column", compute="_compute_mapping", store=True,
                                   readonly=False)
    column_url = fields.Char(string="Mention URL Column", compute="_compute_mapping", store=True, readonly=False)
    column_posted_at = fields.Char(string="Date Column", compute="_compute_mapping", store=True, readonly=False)
    column_lang = fields.Char(string="Language Column", compute="_compute_mapping", store=True, readonly=False)
    column_network = fields.Char(string="Network Column", compute="_compute_mapping", store=True, readonly=False,
                                 help="Without it, the network of the source is used.")
    column_parent_id = fields.Char(string="Parent ID Column", compute="_compute_mapping", store=True,
                                   readonly=False)
    preview = fields.Html(compute="_compute_preview", sanitize=True)

    # result
    created_count = fields.Integer(string="Created", readonly=True)
    duplicate_count = fields.Integer(string="Already Known", readonly=True)
    failed_count = fields.Integer(string="Failed", readonly=True)
    opted_out_count = fields.Integer(string="Opted Out Authors", readonly=True)
    row_count = fields.Integer(string="Rows Read", readonly=True)
    batch_count = fields.Integer(string="Batches", readonly=True)
    result_errors = fields.Text(string="Errors", readonly=True)
    quarantine_from_id = fields.Integer(readonly=True, help="Failed items of this import have a greater id.")

    @api.model
    def _default_source_id(self):
        context = self.env.context
        if context.get("active_model") == "social.source" and context.get("active_id"):
            source = self.env["social.source"].browse(context["active_id"]).exists()
            if source.source_type == "csv":
                return source
        return self.env["social.source"]

    # ------------------------------------------------------------------ reading the file

    def _raw(self, limit=None):
        """The file's bytes (its first ``limit`` bytes at most); empty bytes when there is no file."""
        self.ensure_one()
        data = self.file or b""
        if isinstance(data, str):
            data = data.encode("ascii")
        if limit is not None:
            data = data[:(limit + 2) // 3 * 4]  # a prefix of whole base64 quanta
        try:
            return base64.b64decode(data)
        except (binascii.Error, ValueError):
            raise UserError(self.env._("The file could not be read: it is not a valid upload.")) from None

    def _file_size(self):
        data = self.file or b""
        return len(data) * 3 // 4

    def _codec(self):
        return CODECS.get(self.encoding or "utf-8", "utf-8-sig")

    def _sample_text(self):
        """The beginning of the file as text, for sniffing and preview (never raises on bad bytes)."""
        decoder = codecs.getincrementaldecoder(self._codec())(errors="replace")
        return decoder.decode(self._raw(SAMPLE_BYTES), final=False)

    def _sample_rows(self, count):
        """The first ``count`` non-blank rows of the sample; the last one may be cut if the file is longer."""
        rows = []
        reader = csv.reader(io.StringIO(self._sample_text()), delimiter=self.delimiter or ",")
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    rows.append(row)
                    if len(rows) >= count:
                        break
        except csv.Error:
            pass  # a sample cut in the middle of a quoted field: the rows read so far are enough
        return rows

    def _header(self, first_row=None):
        """Names of the columns: the header row, or ``Column 1``, ``Column 2``… without a header."""
        if first_row is None:
            rows = self._sample_rows(1)
            first_row = rows[0] if rows else []
        if self.has_header:
            return [cell.strip() for cell in first_row]
        return [self.env._("Column %(number)s", number=number) for number in range(1, len(first_row) + 1)]

    def _usable_file(self):
        return bool(self.file) and self._file_size() <= MAX_FILE_BYTES

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

    @api.depends("file", "encoding", "delimiter", "has_header")
    def _compute_column_names(self):
        for wizard in self:
            wizard.column_names = ", ".join(wizard._header()) if wizard._usable_file() else False

    @api.depends("file", "encoding", "delimiter", "has_header")
    def _compute_mapping(self):
        for wizard in self:
            guesses = wizard._guess_mapping(wizard._header()) \
                if wizard._usable_file() and wizard.has_header else {}
            for fname in COLUMN_FIELDS:
                wizard[fname] = guesses.get(fname, False)

    @api.model
    def _guess_mapping(self, header):
        """``{target field: column name}`` from usual header names; each column is used once."""
        by_key = {}
        for name in header:
            by_key.setdefault(_normalise_header(name), name)
        guesses, used = {}, set()
        for fname, keys in COLUMN_GUESSES.items():
            for key in keys:
                name = by_key.get(key)
                if name and name not in used:
                    guesses[fname] = name
                    used.add(name)
                    break
        return guesses

    @api.depends("file", "encoding", "delimiter", "has_header", *COLUMN_FIELDS)
    def _compute_preview(self):
        for wizard in self:
            wizard.preview = wizard._render_preview() if wizard._usable_file() else False

    def _render_preview(self):
        """The first mapped rows as an HTML table; every value is escaped by ``Markup %``."""
        rows = self._sample_rows(PREVIEW_ROWS + 1)
        if not rows:
            return False
        header = self._header(rows[0])
        if self.has_header:
            rows = rows[1:]
        index = {name: position for position, name in reversed(list(enumerate(header)))}
        targets = [(fname, index[self[fname]]) for fname in COLUMN_FIELDS
                   if self[fname] and self[fname] in index]
        if not targets:
            return Markup("<p>%s</p>") % self.env._("Map at least one column to see a preview.")

        def cell(row, position):
            value = row[position] if position < len(row) else ""
            return value if len(value) <= PREVIEW_CELL_CHARS else value[:PREVIEW_CELL_CHARS] + "…"

        head = Markup("").join(
            Markup("<th>%s</th>") % self._fields[fname]._description_string(self.env).removesuffix(" Column")
            for fname, _position in targets)
        body = Markup("").join(
            Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % cell(row, position)
                                                    for _fname, position in targets)
            for row in rows[:PREVIEW_ROWS])
        return Markup('<table class="table table-sm table-bordered"><thead><tr>%s</tr></thead>'
                      '<tbody>%s</tbody></table>') % (head, body)

    # ------------------------------------------------------------------ checks

    def _check_file(self):
        """Refuse a missing, empty, oversized or undecodable file; return its bytes."""
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose a CSV file to import: the file is empty."))
        if self._file_size() > MAX_FILE_BYTES:
            raise UserError(self.env._(
                "The file is too large (%(size)s MB): split it into files of at most %(max)s MB.",
                size=round(self._file_size() / 1024 / 1024, 1), max=MAX_FILE_BYTES // 1024 // 1024))
        raw = self._raw()
        if not raw.removeprefix(codecs.BOM_UTF8).strip():
            raise UserError(self.env._("The file is empty."))
        # decode once, chunk by chunk, keeping nothing: a bad byte is reported before anything is stored
        decoder = codecs.getincrementaldecoder(self._codec())()
        for start in range(0, len(raw), DECODE_CHUNK):
            try:
                decoder.decode(raw[start:start + DECODE_CHUNK], final=start + DECODE_CHUNK >= len(raw))
            except UnicodeDecodeError as error:
                raise UserError(self.env._(
                    "The file is not valid %(encoding)s text (byte %(position)s cannot be read). "
                    "If it was saved by an older spreadsheet program, choose the Latin-1 encoding.",
                    encoding=dict(ENCODINGS)[self.encoding], position=start + error.start + 1)) from None
        return raw

    def _check_mapping(self, header):
        """``{target field: column index}``; refuse unknown columns and a mapping without text or author."""
        self.ensure_one()
        index = {name: position for position, name in reversed(list(enumerate(header)))}
        unknown = [self[fname] for fname in COLUMN_FIELDS if self[fname] and self[fname].strip() not in index]
        if unknown:
            raise UserError(self.env._(
                "These columns are not in the file: %(unknown)s. The file has: %(columns)s.",
                unknown=", ".join(unknown), columns=", ".join(header)))
        if not self.column_text or not (self.column_author_handle or self.column_author_url):
            raise UserError(self.env._(
                "Map at least the text column and the author handle (or author profile URL) column."))
        return {fname: index[self[fname].strip()] for fname in COLUMN_FIELDS if self[fname]}

    # ------------------------------------------------------------------ steps

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": clean_context(self.env.context),
        }

    def action_load(self):
        """Check the uploaded file and go on to the mapping of its columns."""
        self.ensure_one()
        self._check_file()
        if not self._sample_rows(2 if self.has_header else 1):
            raise UserError(self.env._("The file has no rows to import."))
        self.state = "map"
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.state = "upload"
        return self._reopen()

    def action_import(self):
        """Ingest the rows in batches of 1,000; malformed rows and bad items land in quarantine."""
        self.ensure_one()
        source = self.source_id
        if source.source_type != "csv":
            raise UserError(self.env._("Mentions are imported into a CSV source only."))
        raw = self._check_file()
        text = io.TextIOWrapper(io.BytesIO(raw), encoding=self._codec(), newline="")
        reader = csv.reader(text, delimiter=self.delimiter or ",")
        # the default_* keys of the action that opened the wizard must not reach mentions or profiles
        Mention = self.env["social.mention"].with_context(clean_context(self.env.context))
        Quarantine = self.env["social.mention.quarantine"].with_context(clean_context(self.env.context))
        quarantine_from = Quarantine.search([], order="id desc", limit=1).id or 0
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        totals = {"created": 0, "duplicates": 0, "opted_out": 0, "failed": 0, "rows": 0, "batches": 0}
        messages = []
        mapping = header = width = None
        items, lines, malformed = [], [], []

        def flush():
            if malformed:
                Quarantine._record(source, [(payload, error) for _line, payload, error in malformed])
                totals["failed"] += len(malformed)
                messages.extend(error for _line, _payload, error in malformed)
            if items:
                result = Mention._ingest(source, items)
                totals["created"] += result["created"]
                totals["duplicates"] += result["duplicates"]
                totals["opted_out"] += result["opted_out"]
                totals["failed"] += len(result["errors"])
                messages.extend(self.env._("line %(line)s: %(error)s", line=lines[error["index"]],
                                           error=error["error"]) for error in result["errors"])
            totals["batches"] += 1
            _logger.info("CSV import into source %s: batch %s, %s rows read, %s created, %s duplicates, "
                         "%s failed", source.id, totals["batches"], totals["rows"], totals["created"],
                         totals["duplicates"], totals["failed"])
            items.clear()
            lines.clear()
            malformed.clear()
            if auto_commit:
                # a large file takes minutes: keep the finished batches should a later one fail;
                # importing the file again then skips what is stored (ids are deterministic)
                self.env.cr.commit()  # pylint: disable=invalid-commit

        try:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                if mapping is None:
                    header = self._header(row)
                    width = len(row)
                    mapping = self._check_mapping(header)
                    if self.has_header:
                        continue
                totals["rows"] += 1
                if len(row) != width:
                    error = self.env._("line %(line)s: %(count)s columns instead of %(expected)s",
                                       line=reader.line_num, count=len(row), expected=width)
                    malformed.append((reader.line_num, {"line": reader.line_num, "row": row}, error))
                else:
                    items.append(self._row_to_item(row, mapping))
                    lines.append(reader.line_num)
                if len(items) + len(malformed) >= BATCH_SIZE:
                    flush()
        except csv.Error as error:
            raise UserError(self.env._("Line %(line)s of the file cannot be read: %(error)s",
                                       line=reader.line_num, error=str(error))) from None
        if mapping is None or not totals["rows"]:
            raise UserError(self.env._("The file has no rows to import."))
        if items or malformed:
            flush()
        if len(messages) > MAX_REPORTED_ERRORS:
            messages = messages[:MAX_REPORTED_ERRORS] + [
                self.env._("… and %(count)s more.", count=len(messages) - MAX_REPORTED_ERRORS)]
        self.write({
            "state": "done",
            "created_count": totals["created"],
            "duplicate_count": totals["duplicates"],
            "opted_out_count": totals["opted_out"],
            "failed_count": totals["failed"],
            "row_count": totals["rows"],
            "batch_count": totals["batches"],
            "result_errors": "\n".join(messages) or False,
            "quarantine_from_id": quarantine_from,
        })
        return self._reopen()

    @staticmethod
    def _row_to_item(row, mapping):
        """One row as an item of the webhook format (see ``social.mention._parse_item``)."""
        def value(fname):
            position = mapping.get(fname)
            return row[position].strip() if position is not None else ""

        external_id = value("column_id") or "csv-" + hashlib.sha1(
            "\x1f".join(row).encode("utf-8", "replace")).hexdigest()
        return {
            "id": external_id,
            "network": value("column_network").lower() or None,
            "author": {
                "handle": value("column_author_handle") or None,
                "name": value("column_author_name") or None,
                "url": value("column_author_url") or None,
                "followers": value("column_followers").replace(" ", "").replace("\u202f", "") or None,
                "email": value("column_author_email") or None,
                "phone": value("column_author_phone") or None,
            },
            "text": value("column_text"),
            "url": value("column_url") or None,
            "posted_at": value("column_posted_at") or None,
            "lang": value("column_lang") or None,
            "parent_id": value("column_parent_id") or None,
        }

    def action_view_failed(self):
        """The items of this import that landed in quarantine."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_quarantine_action")
        action["domain"] = [("source_id", "=", self.source_id.id), ("id", ">", self.quarantine_from_id)]
        action["context"] = {}
        return action
