"""What every connector shares: guarded HTTP with retries, cursors and the normalised mention.

A connector reads one page per :meth:`Connector.fetch_page` call and hands back the mentions in the
item format of the webhook body (see ``docs/public-interface.md``) with an opaque JSON cursor. The caller stores the
cursor once the page is committed, so an interrupted run resumes where it stopped.
"""
import abc
import email.utils
import ipaddress
import json
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from dateutil.parser import isoparse
from requests.adapters import HTTPAdapter
from urllib3 import PoolManager
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

_logger = logging.getLogger(__name__)

USER_AGENT = "Odoo-Social-CRM/18.0 (+https://github.com/social-crm-odoo/social-crm)"
MAX_REDIRECTS = 5
MAX_BODY_BYTES = 10 * 1024 * 1024  # a feed or an API page is far smaller: more is a broken or hostile server
# Setting (system parameter) that lets every source of the database reach private addresses.
ALLOW_PRIVATE_PARAM = "social_crm.allow_private_source_urls"
# Setting (system parameter): the http(s) proxy sources are read through; the environment's are ignored.
PROXY_PARAM = "social_crm.source_proxy"
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE_PREFIX = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d form


class ConnectorError(Exception):
    """A source could not be read. The message is meant for the administrator and holds no secret."""


@dataclass
class Page:
    """One answer of ``fetch_page``: save ``next_cursor`` once ``items`` are committed."""

    items: list[dict]
    next_cursor: str | None
    has_more: bool


def public_url(url):
    """``url`` without credentials, query string or fragment: safe to show in messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(invalid URL)"
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


def is_public_address(address):
    """Whether ``address`` (a string, an IPv6 zone allowed) is a global unicast address.

    An allow-list: ``is_global`` refuses loopback, private, link-local, carrier-grade NAT
    (100.64.0.0/10, cloud metadata at 100.100.100.200), documentation and reserved ranges. An IPv6
    address carrying an IPv4 one is judged by it: IPv4-mapped, NAT64 and IPv4-compatible addresses
    are only other spellings of it; 6to4 and Teredo ones must be global and carry global addresses.
    """
    try:
        ip = ipaddress.ip_address(address.split("%")[0])  # drop an IPv6 zone ("fe80::1%eth0")
    except ValueError:
        return False
    judged = [ip]
    if ip.version == 6:
        if ip.ipv4_mapped or ip in NAT64_PREFIX or ip in IPV4_COMPATIBLE_PREFIX:
            judged = [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
        elif ip.sixtofour:
            judged.append(ip.sixtofour)
        elif ip.teredo:
            judged.extend(ip.teredo)  # server and client
    return all(candidate.is_global and not candidate.is_multicast for candidate in judged)


def resolve_host(host, port=None):
    """The addresses ``host`` resolves to, in the resolver's order of preference (duplicates removed)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_url_shape(url):
    """Raise ConnectorError unless ``url`` is http(s) with a host name; answer its ``urlsplit`` parts."""
    shown = public_url(url)
    try:
        parts = urlsplit(url)
        # reading the port raises ValueError when it is not a number
        parts.port  # noqa: B018  # pylint: disable=pointless-statement
    except ValueError:
        raise ConnectorError(f"Refused URL {shown}: it is not a valid URL.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConnectorError(f"Refused URL {shown}: only http and https URLs with a host name are allowed.")
    return parts


def check_url_allowed(url, allow_private=False, resolve=resolve_host):
    """The addresses to connect to for ``url``, once checked; raise ConnectorError if it may not be reached.

    ``url`` must be http(s), and unless ``allow_private`` every address its host resolves to must
    be public (:func:`is_public_address`): source URLs must not reach the Odoo server's own network
    (SSRF). Connect only to the addresses answered (see :class:`PinnedAddressAdapter`): resolving
    again could answer another, internal, address (DNS rebinding).
    """
    shown = public_url(url)
    parts = check_url_shape(url)
    try:
        addresses = resolve(parts.hostname, parts.port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise ConnectorError(f"Refused URL {shown}: the host {parts.hostname} cannot be resolved.")
    if not allow_private:
        for address in addresses:
            if not is_public_address(address):
                raise ConnectorError(
                    f"Refused URL {shown}: {parts.hostname} resolves to the non-public address {address}. "
                    "Private addresses can be allowed only for all sources of the database at once, by an "
                    f"administrator (system parameter {ALLOW_PRIVATE_PARAM})."
                )
    return addresses


class _PinningPoolManager(PoolManager):
    """Opens connections to the address the adapter checked, while TLS still names the host.

    The pool is keyed by address and host name: SNI (``server_hostname``) and the certificate check
    (``assert_hostname``) use the host name of the URL, not the address.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pin = threading.local()

    def connection_from_host(self, host, port=None, scheme="http", pool_kwargs=None):
        host_name, address = getattr(self.pin, "value", (None, None))
        if address and host and host.strip("[]").lower() == host_name:
            if (scheme or "http").lower() == "https":
                pool_kwargs = {**(pool_kwargs or {}), "server_hostname": host_name, "assert_hostname": host_name}
            host = address
        return super().connection_from_host(host, port=port, scheme=scheme, pool_kwargs=pool_kwargs)


class PinnedAddressAdapter(HTTPAdapter):
    """A transport that resolves the host once per request, checks the addresses, then connects to them.

    The Host header, SNI and certificate verification keep the host name of the URL. Proxies of the
    environment (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``), which ``requests`` would send
    through, are ignored: a proxy resolves the host again, so a name checked here could reach an
    internal address from there. Only an explicit ``proxy`` (set by an administrator, see
    :data:`PROXY_PARAM`) is used; the target is still resolved and checked here before anything is
    sent, but the proxy connects on its own resolution (it must do its own egress filtering).
    """

    def __init__(self, allow_private=False, proxy=None, **kwargs):
        self.allow_private = allow_private
        self.proxies = {"http": proxy, "https": proxy} if proxy else {}
        super().__init__(**kwargs)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        self._pool_connections, self._pool_maxsize, self._pool_block = connections, maxsize, block
        self.poolmanager = _PinningPoolManager(num_pools=connections, maxsize=maxsize, block=block, **pool_kwargs)

    def resolve(self, host, port):
        """The addresses of ``host``: the one resolution each request relies on."""
        return resolve_host(host, port)

    def send(self, request, **kwargs):
        kwargs["proxies"] = self.proxies  # not those requests took from the environment
        addresses = check_url_allowed(request.url, self.allow_private, self.resolve)
        if self.proxies:
            return super().send(request, **kwargs)  # the proxy connects: checked, not pinned
        parts = urlsplit(request.url)
        if "Host" not in request.headers:
            request.headers["Host"] = parts.netloc.rpartition("@")[2]
        host_name, last = parts.hostname.lower(), addresses[-1]
        for address in addresses:  # check_url_allowed answers at least one
            self.poolmanager.pin.value = (host_name, address)
            try:
                return super().send(request, **kwargs)
            except requests.ConnectionError as exc:
                # this address refused the connection or did not answer: try the next one, as
                # socket.create_connection does; once the request went out, the error stands
                reason = getattr(exc.args[0] if exc.args else None, "reason", None)
                if address == last or not isinstance(reason, (NewConnectionError, ConnectTimeoutError)):
                    raise
            finally:
                self.poolmanager.pin.value = (None, None)


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML fragment, one line per block element."""

    BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "blockquote", "pre", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
    HIDDEN_TAGS = {"script", "style", "template", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN_TAGS:
            self.hidden_depth += 1
        elif tag in self.BLOCK_TAGS or tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN_TAGS:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in self.BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def html_to_text(html):
    """Plain text of an HTML fragment: tags and scripts dropped, entities decoded, blocks on their own lines.

    Not :func:`odoo.tools.html2plaintext`, which writes the text of an e-mail: ``*bold*``, a space for
    every tag (Mastodon's ``#<span>acme</span>`` would become "# acme", breaking hashtags and
    keywords) and the text of scripts kept; nor ``html_to_inner_content``, which puts every block
    on one line.
    """
    if not html:
        return ""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (" ".join(line.split()) for line in "".join(extractor.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def iso_utc(value):
    """'2026-11-01T10:00:00Z' from an ISO-8601 string, a Unix time or a UTC struct_time; None if unknown."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, (int, float)):
            moment = datetime.fromtimestamp(value, timezone.utc)
        elif isinstance(value, time.struct_time):
            moment = datetime(*value[:6], tzinfo=timezone.utc)
        else:
            moment = isoparse(value)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def mapping(value):
    """``value`` if it is a dict, else an empty one: payloads of other servers are not trusted to be well formed."""
    return value if isinstance(value, dict) else {}


def make_author(handle=None, name=None, url=None, followers=None, email=None, account_id=None):
    """The ``author`` of a normalised mention; ``account_id`` is the network's permanent id of the
    account, for authors whose handle the answer does not give."""
    return {
        "handle": handle or None,
        "account_id": account_id or None,
        "name": name or None,
        "url": url or None,
        "followers": followers if isinstance(followers, int) and not isinstance(followers, bool) else None,
        "email": email or None,
        "phone": None,
    }


def looks_like_html(body, content_type=""):
    """Whether an answer is a web page (a wrong URL, a login or error page) rather than data."""
    return "html" in content_type.lower() or body[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))


def _error_detail(body, content_type):
    """A short reason from an error answer: the API's own message, else a hint at what came back."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if isinstance(data, dict):
        errors = data.get("errors")
        first_error = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
        for source in (first_error, data):
            for key in ("detail", "message", "error_description", "error", "title", "reason"):
                value = source.get(key)
                if isinstance(value, str) and value.strip():
                    return " ".join(value.split())[:200].rstrip(".")
    if looks_like_html(body, content_type):
        return "the server answered an HTML page"
    text = " ".join(body[:400].decode("utf-8", "replace").split())
    return text[:200] or "empty answer"


class Connector(abc.ABC):
    """One configured stream of mentions, read one page per :meth:`fetch_page` call.

    ``config`` holds the settings of the source type. ``sleep`` is called with the seconds to wait
    between retries (tests pass a recorder). Every request, every retry and every redirect hop goes
    through :class:`PinnedAddressAdapter`: checked by :func:`check_url_allowed`, sent to the checked address.
    """

    label = "source"  # how messages name the source type
    network = None  # network of every mention of the connector; None: the source's (a feed of any site)
    accepts_unknown_authors = False  # whether items may name no author (kept as an unknown author's)
    max_body_bytes = MAX_BODY_BYTES

    def __init__(
        self,
        config,
        *,
        allow_private=False,
        timeout=(5, 20),
        max_retries=4,
        backoff=1.0,
        max_wait=300,
        sleep=time.sleep,
        session=None,
        proxy=None,
    ):
        self.config = dict(config or {})
        self.allow_private = allow_private
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep
        self.session = session or requests.Session()
        if proxy:
            check_url_shape(proxy)
        adapter = PinnedAddressAdapter(allow_private=allow_private, proxy=proxy)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        # Why the run stops before the end of the source (a quota reached): a warning on the source,
        # whose cursor stays where the run stopped. Set by ``fetch_page``, which answers no more pages.
        self.stop_reason = None

    @abc.abstractmethod
    def fetch_page(self, cursor):
        """Return the next :class:`Page` after ``cursor`` (None: start of the source)."""

    # --------------------------------------------------------------------- configuration

    def _setting(self, key, default=None, required=False):
        value = self.config.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, False, ""):  # Odoo reads empty fields as False (and empty numbers as 0)
            if required:
                raise ConnectorError(f"The {self.label} source needs a value for '{key}'.")
            return default
        return value

    def _base_url(self, default=None):
        return str(self._setting("base_url", default, required=default is None)).rstrip("/")

    def _page_size(self, default, minimum=1, maximum=100):
        try:
            size = int(self._setting("page_size", default))
        except (TypeError, ValueError):
            raise ConnectorError(f"The page size of the {self.label} source must be a whole number.") from None
        return min(max(size, minimum), maximum)

    def _secrets(self):
        """Values that must never appear in a message (tokens)."""
        return ()

    def _error(self, message):
        for secret in self._secrets():
            if secret:
                message = message.replace(secret, "***")
        return ConnectorError(message)

    # --------------------------------------------------------------------- cursors

    def _load_cursor(self, cursor, **defaults):
        if not cursor:
            return defaults
        try:
            state = json.loads(cursor)
        except (TypeError, ValueError):
            state = None
        if not isinstance(state, dict):
            raise ConnectorError(f"The saved cursor of this {self.label} source is not valid: reset it to start over.")
        return {**defaults, **state}

    @staticmethod
    def _dump_cursor(state):
        return json.dumps({key: value for key, value in state.items() if value is not None}, sort_keys=True)

    # --------------------------------------------------------------------- items

    def _mention(self, item_id, *, author, text, url=None, posted_at=None, lang=None, parent_id=None, refs=None):
        """A mention in the item format of the webhook body; ``refs``: the optional references a
        reply needs (``cid``, ``root_id``, ``root_cid``, ``visibility``), kept when given."""
        return {
            **{key: str(value) for key, value in (refs or {}).items() if value},
            "id": str(item_id),
            "network": self.network or "other",
            "author": author,
            "text": text or "",
            "url": url or None,
            "posted_at": posted_at,
            "lang": lang or None,
            "parent_id": str(parent_id) if parent_id else None,
        }

    # --------------------------------------------------------------------- HTTP

    def _get_json(self, url, params=None, headers=None, expect=dict):
        """GET ``url`` and decode its JSON answer, which must be of type ``expect``."""
        response, body = self._get(url, params, {"Accept": "application/json", **(headers or {})})
        shown = public_url(response.url)
        try:
            data = json.loads(body)
        except ValueError:
            if looks_like_html(body, response.headers.get("Content-Type", "")):
                raise self._error(
                    f"{shown} answered an HTML page instead of JSON: check the address of the {self.label} source."
                ) from None
            raise self._error(f"{shown} answered invalid or truncated JSON.") from None
        if not isinstance(data, expect):
            raise self._error(f"{shown} answered JSON of an unexpected shape (a {expect.__name__} was expected).")
        return data

    def _get(self, url, params=None, headers=None):
        """GET ``url``, following redirects hop by hop, each one checked; return (response, body bytes).

        HTTP errors other than the retried ones (429, 5xx) raise ConnectorError; 2xx and 304 are returned.
        """
        headers = {"User-Agent": USER_AGENT, **(headers or {})}
        for _hop in range(MAX_REDIRECTS + 1):
            check_url_shape(url)  # the adapter resolves and checks the host; other schemes stop here
            response, body = self._get_with_retries(url, params, headers)
            if not response.is_redirect:
                break
            location = urljoin(response.url, response.headers["Location"])
            if urlsplit(location)[:2] != urlsplit(url)[:2]:  # other scheme or host: keep the token to ourselves
                headers = {key: value for key, value in headers.items() if key.lower() != "authorization"}
            url, params = location, None
        else:
            raise self._error(f"{public_url(url)} redirected more than {MAX_REDIRECTS} times.")
        if response.status_code >= 400:
            raise self._http_error(response, body)
        return response, body

    def _http_error(self, response, body):
        """The ConnectorError of an HTTP error answer (4xx other than 429), with the API's reason."""
        detail = _error_detail(body, response.headers.get("Content-Type", ""))
        hint = " Check the credentials of the source." if response.status_code in (401, 403) else ""
        return self._error(
            f"{public_url(response.url)} answered HTTP {response.status_code} {response.reason}: {detail}.{hint}"
        )

    def _before_request(self, url):  # noqa: B027 - an optional hook, empty by default
        """Called before each request is sent, retries included: where a connector counts its calls
        against an API quota, or refuses one (raising ConnectorError)."""

    def _get_with_retries(self, url, params, headers):
        """One GET, repeated with exponential back-off on network errors, timeouts, 429 and 5xx."""
        shown = public_url(url)
        for attempt in range(self.max_retries + 1):
            wait = self.backoff * 2**attempt
            self._before_request(url)
            try:
                response = self.session.get(
                    url, params=params, headers=headers, timeout=self.timeout, allow_redirects=False, stream=True
                )
                with response:
                    body = self._read_body(response)
            except requests.Timeout:
                problem = f"{shown} did not answer in time"
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                problem = f"{shown} could not be reached ({type(exc).__name__})"
            except requests.RequestException as exc:
                raise self._error(f"The request to {shown} failed ({type(exc).__name__}).") from None
            else:
                if response.status_code == 429:
                    problem = f"{shown} is limiting the request rate (HTTP 429)"
                    retry_after = self._retry_after(response)
                    wait = wait if retry_after is None else retry_after
                elif response.status_code >= 500:
                    problem = f"{shown} answered HTTP {response.status_code} {response.reason}"
                else:
                    return response, body
            if attempt == self.max_retries:
                break
            wait = min(wait, self.max_wait)
            _logger.info("%s: retrying in %.1f s (attempt %d of %d)", problem, wait, attempt + 2, self.max_retries + 1)
            self.sleep(wait)
        raise self._error(f"{problem}; gave up after {self.max_retries + 1} attempts.")

    def _read_body(self, response):
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.max_body_bytes:
                raise self._error(
                    f"{public_url(response.url)} answered more than {self.max_body_bytes} bytes: refused."
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _retry_after(self, response):
        """Seconds to wait after a 429 answer, from Retry-After (seconds or HTTP-date); None if absent."""
        value = response.headers.get("Retry-After", "").strip()
        if value.isdigit():
            return float(value)
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return max(0.0, (moment - datetime.now(timezone.utc)).total_seconds())


class NewestFirstConnector(Connector):
    """A listing read newest first, page after page, down to what the previous run already returned.

    Cursor: ``{"page": API token of the next older page, "since": bound left by the previous run,
    "newest": bound this run will leave}``. A run ends on the API's last page or on the first page
    holding an item the previous run already returned (those items are filtered out); its final
    cursor is ``{"since": newest item of the run}``, so the next run returns only newer items.
    """

    @abc.abstractmethod
    def _fetch(self, page, since):
        """Request one page: return (normalised items newest first, token of the next older page or None).

        ``since`` is the previous run's bound, for APIs that filter on it themselves.
        """

    def fetch_page(self, cursor):
        state = self._load_cursor(cursor, page=None, since=None, newest=None)
        items, next_page = self._fetch(state["page"], state["since"])
        fresh = [item for item in items if self._is_new(item, state["since"])]
        newest = self._advance(state["newest"], fresh)
        if next_page and next_page != state["page"] and len(fresh) == len(items):
            cursor = {"page": next_page, "since": state["since"], "newest": newest}
            return Page(fresh, self._dump_cursor(cursor), True)
        return Page(fresh, self._dump_cursor({"since": state["since"] if newest is None else newest}), False)

    @staticmethod
    def _rank(item_id):
        """Sort key of ids that grow with time: decimal (X, Mastodon) or base 36 behind a fixed prefix (Reddit)."""
        return len(item_id), item_id

    def _is_new(self, item, since):
        return since is None or self._rank(item["id"]) > self._rank(since)

    def _advance(self, newest, items):
        """The bound after ``items``: the id of the newest item seen so far in the run."""
        ids = [item["id"] for item in items] + ([newest] if newest else [])
        return max(ids, key=self._rank, default=None)
