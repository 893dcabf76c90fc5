"""Batch ingestion of mentions: the one path by which the webhook, the pollers, CSV imports and
RPC clients store mentions."""
import logging
from datetime import datetime, timezone
from operator import itemgetter

import psycopg2.errors
from dateutil import parser as date_parser

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, mute_logger

from ..tools.bulk import insert_records_skipping_conflicts
from ..tools.identity import MAX_COUNT, NETWORK_CODES

_logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 50_000
MAX_ITEMS_PER_CALL = 5_000
OPT_OUT_POLICY_PARAM = "social_crm.opt_out_policy"  # "unlinked" (default) or "drop"


class ItemError(ValueError):
    """An item that cannot become a mention; the message is stored in quarantine and answered."""


def _text(value, limit):
    """A clean string: no NUL (PostgreSQL refuses it), no lone surrogates, at most ``limit`` characters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemError(f"expected text, got {type(value).__name__}")
    value = value.replace("\x00", "")
    value = value.encode("utf-8", "replace").decode("utf-8")
    return value[:limit]


def _posted_at(value):
    """Naive UTC datetime from ISO 8601, RFC 2822, epoch seconds or milliseconds; None when absent."""
    if value in (None, ""):
        return None
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            stamp = value / 1000 if value > 10**11 else value
            moment = datetime.fromtimestamp(stamp, tz=timezone.utc)
        else:
            text = _text(value, 100).strip()
            try:
                moment = datetime.fromisoformat(text)  # the usual case, much faster than dateutil
            except ValueError:
                moment = date_parser.parse(text)
    except (ValueError, OverflowError, OSError, TypeError) as error:
        raise ItemError(f"posted_at: {value!r} is not a date ({error})") from None
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    if not 1990 <= moment.year <= 2100:
        raise ItemError(f"posted_at: {value!r} is out of range")
    return moment.replace(microsecond=0)


def _web_url(value):
    """Only http(s) addresses are kept: a ``javascript:`` link must never reach a page."""
    text = _text(value, 2048).strip()
    return text if text.lower().startswith(("http://", "https://")) else False


def _count(value, field):
    if value in (None, ""):
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ItemError(f"{field}: {value!r} is not a number") from None
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
        source = self.env["social.source"].browse(source_id).exists()
        if not source or not source.active:
            raise UserError(self.env._("There is no active source with id %(id)s.", id=source_id))
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
        """The id an item claims, as reported back and kept in quarantine (None when it has none)."""
        return str(item["id"])[:255] if isinstance(item, dict) and item.get("id") is not None else None

    @api.model
    def _parse_item(self, item, source):
        """Mention values from one item of the webhook format; raise :class:`ItemError` if unusable."""
        if not isinstance(item, dict):
            raise ItemError("a mention must be a JSON object")
        external_id = item.get("id")
        if external_id is None or isinstance(external_id, (dict, list, bool, float)):
            raise ItemError("id: missing (a string or an integer)")
        external_id = _text(str(external_id), 256).strip()
        if not external_id:
            raise ItemError("id: missing (a string or an integer)")
        if len(external_id) > 255:
            raise ItemError("id: longer than 255 characters")
        network = item.get("network") or source.network
        if network not in NETWORK_CODES:
            raise ItemError(f"network: unknown network {network!r}")
        author = item.get("author")
        if author is None and source._accepts_unknown_authors():
            author = {}
        if not isinstance(author, dict):
            raise ItemError("author: missing (an object with a handle, a profile url, an e-mail, a phone or a name)")
        handle = _text(author.get("handle"), 256).strip() if author.get("handle") is not None else ""
        author_url = _text(author.get("url"), 2048).strip() if author.get("url") is not None else ""
        email = _text(author.get("email"), 256).strip() if isinstance(author.get("email"), str) else ""
        phone = _text(author.get("phone"), 64).strip() if isinstance(author.get("phone"), str) else ""
        name = _text(author.get("name"), 256).strip() if isinstance(author.get("name"), str) else ""
        account_id = author.get("account_id")
        account_id = _text(str(account_id), 100).strip() if isinstance(account_id, (str, int)) \
            and not isinstance(account_id, bool) else ""
        known = handle or author_url or email or phone or name or account_id
        if not known and not source._accepts_unknown_authors():
            raise ItemError("author: needs a handle, an account id, a profile url, an e-mail, a phone or a name")
        parent_id = item.get("parent_id")
        if parent_id is not None and not isinstance(parent_id, (str, int)) or isinstance(parent_id, bool):
            raise ItemError("parent_id: must be the id of another mention")
        body = _text(item.get("text"), MAX_BODY_CHARS + 1)
        followers = _count(author.get("followers"), "author.followers")
        vals = {
            "source_id": source.id,
            "external_id": external_id,
            "network": network,
            "author_handle": known or self.env._("Unknown author"),
            "author_name": name or False,
            "body": body[:MAX_BODY_CHARS],
            "body_truncated": len(body) > MAX_BODY_CHARS,
            "url": _web_url(item.get("url")),
            "lang": _text(item.get("lang"), 16) or False,
            "posted_at": _posted_at(item.get("posted_at")) or fields.Datetime.now(),
            "reach": followers,
            "parent_external_id": _text(str(parent_id), 255).strip() or False if parent_id is not None else False,
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
