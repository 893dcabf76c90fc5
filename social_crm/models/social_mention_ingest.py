"""Batch ingestion of mentions: the one path by which the webhook, the pollers, CSV imports and
RPC clients store mentions."""
import logging
import reprlib
from datetime import datetime, timezone
from operator import itemgetter

import psycopg2.errors
from dateutil import parser as date_parser

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, mute_logger

from ..tools.bulk import insert_records_skipping_conflicts
from ..tools.identity import MAX_COUNT, NETWORK_CODES, web_url

_logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 50_000
MAX_ITEMS_PER_CALL = 5_000
MAX_ERROR_CHARS = 1_000
OPT_OUT_POLICY_PARAM = "social_crm.opt_out_policy"  # "unlinked" (default) or "drop"


class ItemError(ValueError):
    """An item that cannot become a mention; the message is stored in quarantine and answered."""


def clean_text(value, limit=None):
    """``value`` as PostgreSQL can store it: no NUL, lone surrogates replaced by "?", at most
    ``limit`` characters."""
    value = value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return value if limit is None else value[:limit]


_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = _SHORT_REPR.maxlong = 60


def shown(value):
    """A short, storable representation of any value received, for error messages."""
    try:
        return clean_text(_SHORT_REPR.repr(value))
    except ValueError:  # an integer of more digits than Python converts to text
        return f"an integer of {value.bit_length()} bits" if isinstance(value, int) else type(value).__name__


def _text(value, limit, field):
    """A clean string (see :func:`clean_text`) of at most ``limit`` characters; "" when absent."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemError(f"{field}: expected text, got {type(value).__name__}")
    return clean_text(value[:limit * 2], limit)  # cut first: NUL and surrogates are few, texts may be huge


def _identifier(value, field):
    """The text of an id given as a string or an integer; "" when absent."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ItemError(f"{field}: must be a string or an integer, not {type(value).__name__}")
    if isinstance(value, int):
        if value.bit_length() > 850:  # beyond 255 digits, and str() refuses ints of over 4,300 digits
            raise ItemError(f"{field}: longer than 255 characters")
        value = str(value)
    value = _text(value, 256, field).strip()
    if len(value) > 255:
        raise ItemError(f"{field}: longer than 255 characters")
    return value


def _posted_at(value):
    """Naive UTC datetime from ISO 8601, RFC 2822, epoch seconds or milliseconds; None when absent."""
    if value in (None, ""):
        return None
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            stamp = value / 1000 if value > 10**11 else value
            moment = datetime.fromtimestamp(stamp, tz=timezone.utc)
        else:
            text = _text(value, 100, "posted_at").strip()
            try:
                moment = datetime.fromisoformat(text)  # the usual case, much faster than dateutil
            except ValueError:
                moment = date_parser.parse(text)
        if moment.tzinfo:  # "0001-01-01T00:00:00+01:00" or an offset of +99:00 overflow here
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError, TypeError) as error:
        raise ItemError(f"posted_at: {shown(value)} is not a date ({clean_text(str(error), 200)})") from None
    if not 1990 <= moment.year <= 2100:
        raise ItemError(f"posted_at: {shown(value)} is out of range")
    return moment.replace(microsecond=0)


def _count(value, field):
    if value in (None, ""):
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ItemError(f"{field}: {shown(value)} is not a number") from None
    return min(max(number, 0), MAX_COUNT)


class SocialMention(models.Model):
    _inherit = "social.mention"

    @api.model
    def ingest(self, source_id, items):
        """Store mentions pushed by an external client (the webhook body's ``mentions`` list).

        :return: ``{"created": n, "duplicates": n, "errors": [{"index", "id", "error"}, ...]}``;
            bad items are reported and quarantined, the good ones are kept.
        """
        if not self.env.user.has_group("social_crm.social_crm_group_manager") and not self.env.su:
            raise AccessError(self.env._("Only Social CRM managers may push mentions."))
        source = self.env["social.source"]._find_by_id(source_id)
        if not source or not source.active:
            raise UserError(self.env._("There is no active source with id %(id)s.", id=shown(source_id)))
        if not isinstance(items, list):
            raise ValidationError(self.env._("'mentions' must be a list of mention objects."))
        if len(items) > MAX_ITEMS_PER_CALL:
            raise ValidationError(self.env._("At most %(max)s mentions per call.", max=MAX_ITEMS_PER_CALL))
        result = self.sudo()._ingest(source.sudo(), items)
        return {key: result[key] for key in ("created", "duplicates", "errors")}

    @api.model
    def _ingest(self, source, items, quarantine=True):
        """Validate, deduplicate, match authors and create ``items`` of ``source`` in one batch.

        :return: dict with ``created``, ``duplicates``, ``opted_out`` counts, ``errors`` (list of
            ``{"index", "id", "error"}``) and ``mentions`` (``{index: mention}`` of the created ones)
        """
        errors, parsed = {}, {}
        for index, item in enumerate(items):
            try:
                parsed[index] = self._parse_item(item, source)
            except ItemError as error:
                errors[index] = str(error)
            except Exception as error:  # noqa: BLE001 - whatever an item holds, only that item fails
                _logger.exception("Item %s of a batch of source #%s could not be read", index, source.id)
                errors[index] = f"could not be read: {type(error).__name__}: {clean_text(str(error), 500)}"

        duplicates = 0
        known = self._known_external_ids(source, {vals["external_id"] for vals in parsed.values()})
        seen = set()
        for index, vals in list(parsed.items()):
            if vals["external_id"] in known or vals["external_id"] in seen:
                duplicates += 1
                del parsed[index]
            seen.add(vals["external_id"])

        matches = self.env["social.identity"]._resolve_authors(
            [vals.pop("_author") for vals in parsed.values()], company=source.company_id)
        drop_opted_out = self.env["ir.config_parameter"].sudo().get_param(OPT_OUT_POLICY_PARAM) == "drop"
        opted_out, to_create = 0, {}
        for (index, vals), match in zip(list(parsed.items()), matches):
            if match.error:
                errors[index] = f"author: {match.error}"
                continue
            if match.opted_out:
                opted_out += 1
                if drop_opted_out:
                    continue
            vals["profile_id"] = match.profile.id if not match.opted_out else False
            vals["partner_id"] = match.partner.id
            to_create[index] = vals

        mentions, stored_meanwhile = self._create_mentions(to_create, errors)
        duplicates += stored_meanwhile
        errors = {index: clean_text(message, MAX_ERROR_CHARS) for index, message in errors.items()}
        if errors and quarantine:
            self.env["social.mention.quarantine"]._record(
                source, [(items[index], error) for index, error in sorted(errors.items())])
        return {
            "created": len(mentions),
            "duplicates": duplicates,
            "opted_out": opted_out,
            "errors": [{"index": index, "id": self._item_id(items[index]), "error": error}
                       for index, error in sorted(errors.items())],
            "mentions": mentions,
        }

    @staticmethod
    def _item_id(item):
        """The id an item claims (a string or an integer), cut and cleaned as it is reported back and
        kept in quarantine; ``False`` when it has none: an RPC answer cannot hold ``None``."""
        value = item.get("id") if isinstance(item, dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() <= 850:
            value = str(value)
        return (clean_text(value[:255]).strip() or False) if isinstance(value, str) else False

    @api.model
    def _parse_item(self, item, source):
        """Mention values from one item of the webhook format; raise :class:`ItemError` if unusable."""
        if not isinstance(item, dict):
            raise ItemError("a mention must be a JSON object")
        external_id = _identifier(item.get("id"), "id")
        if not external_id:
            raise ItemError("id: missing (a string or an integer)")
        network = item.get("network") or source.network
        if not isinstance(network, str) or (network not in NETWORK_CODES and network not in self._network_codes()):
            raise ItemError(f"network: unknown network {shown(network)}")
        author = item.get("author")
        if author is None and source._accepts_unknown_authors():
            author = {}
        if not isinstance(author, dict):
            raise ItemError("author: missing (an object with a handle, a profile url, an e-mail, a phone or a name)")
        handle = _text(author.get("handle"), 256, "author.handle").strip()
        author_url = _text(author.get("url"), 2048, "author.url").strip()
        email, phone, name = (_text(author.get(key), limit, f"author.{key}").strip()
                              if isinstance(author.get(key), str) else ""
                              for key, limit in (("email", 256), ("phone", 64), ("name", 256)))
        account_id = author.get("account_id")
        account_id = _identifier(account_id, "author.account_id")[:100] if isinstance(account_id, (str, int)) \
            and not isinstance(account_id, bool) else ""
        known = handle or author_url or email or phone or name or account_id
        if not known and not source._accepts_unknown_authors():
            raise ItemError("author: needs a handle, an account id, a profile url, an e-mail, a phone or a name")
        parent_id = _identifier(item.get("parent_id"), "parent_id")
        body = _text(item.get("text"), MAX_BODY_CHARS + 1, "text")
        followers = _count(author.get("followers"), "author.followers")
        vals = {
            "source_id": source.id,
            "external_id": external_id,
            "network": network,
            "author_handle": known or self.env._("Unknown author"),
            "author_name": name or False,
            "body": body[:MAX_BODY_CHARS],
            "body_truncated": len(body) > MAX_BODY_CHARS,
            "url": web_url(_text(item.get("url"), 2048, "url")),
            "lang": _text(item.get("lang"), 16, "lang") or False,
            "posted_at": _posted_at(item.get("posted_at")) or fields.Datetime.now(),
            "reach": followers,
            "parent_external_id": parent_id or False,
            "user_id": source.user_id.id,
            "company_id": source.company_id.id,
            "state": "new",
            "_author": {
                "network": network, "handle": handle, "url": author_url, "name": name, "followers": followers,
                "email": email or None, "phone": phone or None, "account_id": account_id or None,
                "source_id": source.id,
            } if known else None,  # an item of a feed may name no author
        }
        return vals

    def _known_external_ids(self, source, external_ids):
        """The ``external_ids`` already received from ``source``.

        The lookup is by external id only (the unique index leads with it) and the source is
        filtered here: with ``source_id = …`` in the query, the planner may trust statistics that
        predate a source's first big import and scan all its mentions for each batch.
        """
        if not external_ids:
            return set()
        self.flush_model(["source_id", "external_id"])
        rows = self.env.execute_query(SQL(
            "SELECT source_id, external_id FROM social_mention WHERE external_id = ANY(%s)", list(external_ids)))
        return {external_id for source_id, external_id in rows if source_id == source.id}

    def _create_mentions(self, vals_by_index, errors):
        """Store the mentions in one insert; link replies to their parents.

        Items stored meanwhile by another ingestion are skipped by the insert and reported as
        duplicates. (One committed by a concurrent transaction after this one began is a
        serialization failure: the batch is run again on a fresh snapshot, where they are known.)
        Should a row be refused for another reason, fall back to one savepoint per item, so that
        only that item fails.

        :return: ``({index: mention}, number of items stored meanwhile)``
        """
        if not vals_by_index:
            return {}, 0
        vals_list = self._ingest_enrich_vals(list(vals_by_index.values()))
        Mention = self.with_context(tracking_disable=True, mail_notrack=True)
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                created = Mention._ingest_create(vals_list)
            indexes = list(vals_by_index)
            mentions = {indexes[position]: mention for position, mention in sorted(created.items())}
        except psycopg2.IntegrityError:
            mentions = {}
            for index, vals in zip(vals_by_index, vals_list):
                try:
                    with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                        mentions.update({index: mention for mention in Mention._ingest_create([vals]).values()})
                except psycopg2.IntegrityError as error:
                    errors[index] = f"refused by the database: {error.diag.message_primary}"
        stored_meanwhile = len(vals_list) - len(mentions) - len(errors.keys() & vals_by_index.keys())
        created = self.browse([mention.id for mention in mentions.values()])
        self._link_threads(created, replies=self.browse(
            [mention.id for index, mention in mentions.items() if vals_by_index[index].get("parent_external_id")]))
        self._ingest_after_create(created)
        return mentions, stored_meanwhile

    @api.model
    def _ingest_create(self, vals_list):
        """Insert ingested mentions with one ``COPY`` (:func:`~..tools.bulk.insert_records_skipping_conflicts`);
        answer ``{position in vals_list: mention}`` of those inserted: an item of the source stored
        already is skipped.

        ``_parse_item`` gives every required field and the hooks of ``_ingest_enrich_vals`` the
        rest, stored computed fields included: addons extend those hooks and
        ``_ingest_after_create``, not ``create``, for what ingested mentions need. Rows are written
        in the order of their external ids: concurrent batches holding some of the same items lock
        them in the same order, so one waits for the other, and never deadlocks.
        """
        return insert_records_skipping_conflicts(self, vals_list, ["external_id", "source_id"],
                                                 row_order=itemgetter("external_id"))

    @api.model
    def _ingest_enrich_vals(self, vals_list):
        """Hook: complete the values of a batch before its creation (sentiment, signals, …)."""
        return vals_list

    @api.model
    def _ingest_after_create(self, mentions):
        """Hook: batch work once mentions exist (leads from buying signals, activities, …)."""
        return mentions

    def _link_threads(self, mentions, replies):
        """Set ``parent_id`` where ``mentions`` (just stored) complete a thread, in one UPDATE: the
        ``replies`` among them whose parent is stored, and the stored replies whose parent is one
        of them. Both sides are looked up by id and external id, never by scanning a source."""
        self.flush_model(["parent_id", "parent_external_id", "source_id", "external_id"])
        self.env.execute_query(SQL("""
            UPDATE social_mention child SET parent_id = link.parent_id
              FROM (SELECT reply.id AS child_id, parent.id AS parent_id
                      FROM social_mention reply
                      JOIN social_mention parent
                        ON parent.external_id = reply.parent_external_id AND parent.source_id = reply.source_id
                     WHERE reply.id = ANY(%(replies)s)
                 UNION
                    SELECT reply.id, parent.id
                      FROM social_mention parent
                      JOIN social_mention reply
                        ON reply.parent_external_id = parent.external_id AND reply.source_id = parent.source_id
                     WHERE parent.id = ANY(%(mentions)s)) link
             WHERE child.id = link.child_id AND child.parent_id IS NULL
        """, replies=replies.ids, mentions=mentions.ids))
        self.invalidate_model(["parent_id", "child_ids"])
