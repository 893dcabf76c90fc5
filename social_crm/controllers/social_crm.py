"""Webhook receiving the mentions pushed by external tools (its contract: "Public interface" in README.md)."""
import hashlib
import hmac
import json
import logging
import random
import re
import time

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.res_config_settings import WEBHOOK_MAX_BYTES
from ..tools.concurrency import CONCURRENCY_ERRORS
from ..tools.items import MAX_ITEMS_PER_CALL

_logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Social-CRM-Signature"
SIGNATURE_PREFIX = "sha256="
# bodies that Odoo parses as forms before calling the route, so that their raw bytes are gone
FORM_MIMETYPES = ("application/x-www-form-urlencoded", "application/x-url-encoded", "multipart/form-data")
CONTENT_TYPE_ERROR = "The content type must be application/json."
# a batch that lost a race with a concurrent one runs again on a fresh snapshot, after a short pause
FRESH_SNAPSHOT_ATTEMPTS = 5
FRESH_SNAPSHOT_JITTER = 0.05  # seconds, times the attempt number


def _refuse_constant(name):
    """``NaN`` and ``Infinity`` are accepted by Python's json but are not JSON."""
    raise ValueError(f"{name} is not JSON")


def ingest_on_fresh_snapshots(Mention, source, items):
    """Ingest ``items`` in the transaction of ``Mention``'s cursor, which the caller owns: should a
    concurrent batch win a race on the same rows (the same new authors, say), roll back and run
    the batch again at once on a fresh snapshot, where those rows are known. Odoo would retry the
    whole request too, but only after sleeping for up to seconds, and the sender waits meanwhile.
    The last failure is left to Odoo's own retries."""
    cr = Mention.env.cr
    for attempt in range(1, FRESH_SNAPSHOT_ATTEMPTS + 1):
        try:
            result = Mention._ingest(source, items)
            cr.flush()
            return result
        except CONCURRENCY_ERRORS as error:
            if attempt == FRESH_SNAPSHOT_ATTEMPTS:
                raise
            _logger.info("Webhook of source #%s: %s, running the batch again (attempt %s)",
                         source.id, type(error).__name__, attempt + 1)
            cr.rollback()
            Mention.env.reset()
            time.sleep(random.uniform(0, FRESH_SNAPSHOT_JITTER * attempt))
    raise AssertionError("unreachable")


def _parse_int(digits):
    """An integer of the body, kept as its digits when Python will not convert that many: the item
    holding it is refused, not the whole body."""
    try:
        return int(digits)
    except ValueError:
        return digits


class WebhookRefused(Exception):
    """A request answered with ``status`` and ``{"error": message}``, logged without its body."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class SocialCrmWebhook(http.Controller):

    # any text as the source id, so that every path of the webhook gets the same JSON 404 (one holding
    # "%00" would otherwise reach Odoo's fallback for unknown pages, which fails on the NUL)
    @http.route("/social_crm/webhook/<string:source_id>", type="http", auth="public", methods=["POST"],
                csrf=False, save_session=False)
    def social_crm_webhook(self, source_id, **_kwargs):
        """Store the mentions pushed to the webhook source ``source_id``.

        The body is ``{"mentions": [item, ...]}`` (items as in :meth:`social.mention.ingest`), sent
        as ``application/json`` and signed with the header
        ``X-Social-CRM-Signature: sha256=<hex HMAC-SHA256 of the raw body keyed with the source's secret>``.
        Checked in this order, the answers (all JSON) are:

        - ``404`` for an unknown, inactive or non-webhook source (the three are not told apart), or a
          path that holds no source id;
        - ``413`` for a body over ``social_crm.webhook_max_bytes`` bytes (1 MiB by default); ``503``
          while that setting holds an invalid value (logged);
        - ``401`` for a missing or wrong signature, or a source without a secret;
        - ``400`` for another content type, a body that is not UTF-8 JSON, or not an object with a
          ``mentions`` list (of at most 5,000 items); form content types are refused before the
          signature is checked, since Odoo has consumed their raw body, which cannot be verified;
        - ``200`` with ``{"created": n, "duplicates": n, "errors": [{"index", "id", "error"}, ...]}``
          otherwise: the good items are stored, the bad ones reported and quarantined for a retry.
        """
        try:
            source = self._webhook_source(source_id)
            body = self._webhook_body()
            self._check_not_form()
            self._check_signature(source, body)
            mentions = self._webhook_mentions(body)
        except WebhookRefused as refusal:
            _logger.info("Webhook of source #%r refused with %s (%s), from %s",
                         source_id, refusal.status, refusal.message, request.httprequest.remote_addr)
            return request.make_json_response({"error": refusal.message}, status=refusal.status)
        # The signature proves the sender holds the source's secret, which only Social CRM managers
        # can read: storing its mentions with superuser rights, in the source's company, is what a
        # manager pushing them over RPC would do.
        Mention = request.env["social.mention"].sudo().with_company(source.company_id)
        result = ingest_on_fresh_snapshots(Mention, source.with_company(source.company_id), mentions)
        return request.make_json_response({key: result[key] for key in ("created", "duplicates", "errors")})

    @staticmethod
    def _webhook_source(source_id):
        """The active webhook source of id ``source_id`` (text of the path), read with its secret;
        refused with 404 otherwise."""
        # sudo to read the source and its secret, which the public user may not: nothing is written
        # nor answered from it before the signature is verified.
        number = int(source_id) if re.fullmatch(r"[0-9]{1,10}", source_id) else None
        source = request.env["social.source"].sudo()._find_by_id(number)
        if not source or not source.active or source.source_type != "webhook":
            raise WebhookRefused(404, "Unknown webhook.")
        return source

    @staticmethod
    def _webhook_body():
        """The raw body, refused with 413 beyond the limit, by its announced then by its actual size;
        with 503 while the limit set is invalid (the sender retries once an administrator fixed it)."""
        try:
            max_bytes = WEBHOOK_MAX_BYTES.read(request.env)
        except UserError as error:
            _logger.error("Webhook refused until its setting is fixed: %s", error)
            raise WebhookRefused(503, "The webhook is misconfigured: try again later.") from None
        too_large = WebhookRefused(413, f"The body exceeds {max_bytes} bytes.")
        if (request.httprequest.content_length or 0) > max_bytes:
            raise too_large
        body = request.httprequest.get_data()
        if len(body) > max_bytes:
            raise too_large
        return body

    @staticmethod
    def _check_not_form():
        """Refuse form bodies with 400: Odoo parsed them, their signature can no longer be checked."""
        if request.httprequest.mimetype in FORM_MIMETYPES:
            raise WebhookRefused(400, CONTENT_TYPE_ERROR)

    @staticmethod
    def _check_signature(source, body):
        """Refuse with 401 unless the signature header is the HMAC-SHA256 of ``body`` with the source's secret."""
        signature = request.httprequest.headers.get(SIGNATURE_HEADER, "")
        if not source.webhook_secret or not signature.startswith(SIGNATURE_PREFIX):
            raise WebhookRefused(401, "Missing or invalid signature.")
        expected = hmac.new(source.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
        given = signature[len(SIGNATURE_PREFIX):].encode("utf-8", "replace")
        if not hmac.compare_digest(expected.encode(), given):
            raise WebhookRefused(401, "Missing or invalid signature.")

    @staticmethod
    def _webhook_mentions(body):
        """The ``mentions`` list of a JSON body; refused with 400 when the body is not of that shape."""
        if request.httprequest.mimetype != "application/json":
            raise WebhookRefused(400, CONTENT_TYPE_ERROR)
        try:
            data = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant, parse_int=_parse_int)
        except (UnicodeDecodeError, ValueError):
            raise WebhookRefused(400, "The body is not UTF-8 encoded JSON.") from None
        except RecursionError:
            raise WebhookRefused(400, "The body is nested too deeply to be read.") from None
        if not isinstance(data, dict) or not isinstance(data.get("mentions"), list):
            raise WebhookRefused(400, 'The body must be a JSON object with a "mentions" list.')
        if len(data["mentions"]) > MAX_ITEMS_PER_CALL:
            raise WebhookRefused(400, f"At most {MAX_ITEMS_PER_CALL} mentions per call.")
        return data["mentions"]
