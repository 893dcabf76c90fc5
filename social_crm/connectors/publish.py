"""Answering on the networks: one client class per network, pure Python, as the connectors are.

A :class:`Publisher` is built by ``social.account._get_publisher()`` from the account's settings and
credentials. It tells who the account is (:meth:`Publisher.whoami`), posts a reply
(:meth:`Publisher.publish`) and, for the networks without an idempotency key, finds a reply it may
have posted already (:meth:`Publisher.find_published`), so that a retry never posts twice.

Each call is one HTTP request (two when an expired session is renewed): retries, their back-off
and ``Retry-After`` are the delivery job's, which keeps the reply queued between attempts.
Failures raise :class:`PublishError`, whose message is the network's own and holds no secret.
"""
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone

import requests

from .base import USER_AGENT, ConnectorError, PinnedAddressAdapter, _error_detail, check_url_shape, public_url

_logger = logging.getLogger(__name__)

URL_RE = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
# a handle after "@" at the start of the text or after a space: "@ann.bsky.social"
HANDLE_RE = re.compile(r"(?:^|(?<=\s))@([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z][A-Za-z0-9-]*)")
PERMANENT_STATUSES = (400, 401, 403, 404, 405, 409, 410, 413, 422)


class PublishError(Exception):
    """A reply could not be posted, or an account could not be reached.

    ``permanent``: trying again will not help (the post was deleted, the text refused);
    ``auth_lost``: the account's credentials no longer work (it must be reconnected);
    ``retry_after``: seconds the network asked to wait (429); ``uncertain``: the request may have
    been received (a timeout after sending it): check before posting again.
    """

    def __init__(self, message, *, permanent=False, auth_lost=False, retry_after=None, uncertain=False,
                 status=None):
        super().__init__(message)
        self.permanent = permanent or auth_lost
        self.auth_lost = auth_lost
        self.retry_after = retry_after
        self.uncertain = uncertain
        self.status = status


@dataclass
class Published:
    """What the network answered for a posted reply."""

    external_id: str
    url: str | None = None
    extra: dict = field(default_factory=dict)  # network references (Bluesky: cid)


def weighted_length(text, url_length=23, narrow=None):
    """Length of ``text`` as a network counts it: every URL counts ``url_length``; with ``narrow``
    (ranges of code points weighing 1), other characters weigh 2 (twitter-text's weighting)."""
    text = unicodedata.normalize("NFC", text or "")
    total, position = 0, 0
    for match in URL_RE.finditer(text):
        total += _chars_weight(text[position:match.start()], narrow) + url_length
        position = match.end()
    return total + _chars_weight(text[position:], narrow)


def _chars_weight(text, narrow):
    if narrow is None:
        return len(text)
    return sum(1 if any(low <= ord(char) <= high for low, high in narrow) else 2 for char in text)


def grapheme_length(text):
    """Graphemes of ``text``, simply: combining marks, variation selectors, skin tones and what a
    zero-width joiner binds count with the character before them (Bluesky's 300-grapheme limit)."""
    count, join_next = 0, False
    for char in unicodedata.normalize("NFC", text or ""):
        code = ord(char)
        if join_next:
            join_next = False
            continue
        if char == "\u200d":
            join_next = True
            continue
        if unicodedata.combining(char) or 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF \
                or 0xE0020 <= code <= 0xE007F:
            continue
        count += 1
    return count


class Publisher:
    """Posts the replies of one account; subclasses implement a network.

    ``credentials``: the account's secrets and session (keys of ``social.account._publisher_credentials``);
    ``save_credentials(values)`` is called with the renewed ones (a refreshed token or session), to
    be stored on the account.
    """

    network = None
    label = "network"
    default_base_url = None
    max_length = None

    def __init__(self, credentials, *, base_url=None, auth_url=None, handle=None, account_ref=None,
                 allow_private=False, timeout=(5, 20), session=None, save_credentials=None):
        self.credentials = dict(credentials or {})
        self.base_url = (base_url or self.default_base_url or "").rstrip("/")
        self.auth_url = (auth_url or "").rstrip("/") or self.base_url
        self.handle = handle
        self.account_ref = account_ref
        self.timeout = timeout
        self.save_credentials = save_credentials or (lambda values: None)
        self.session = session or requests.Session()
        adapter = PinnedAddressAdapter(allow_private=allow_private)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    # ------------------------------------------------------------------ the interface

    @classmethod
    def length(cls, text):
        """The length of ``text`` as the network counts it against :attr:`max_length`."""
        return weighted_length(text)

    @classmethod
    def reply_text(cls, body, parent):
        """The text actually posted in answer to ``parent`` (Mastodon: the author's address first)."""
        return (body or "").strip()

    def whoami(self):
        """``{"handle", "name", "account_ref"}`` of the account the credentials belong to."""
        raise NotImplementedError

    def publish(self, text, parent, key):
        """Post ``text`` in answer to ``parent`` (a dict: ``external_id``, ``author_handle``, ``url``,
        ``cid``, ``root_id``, ``root_cid``, ``visibility``); ``key`` identifies the reply, the same at
        every attempt. Answer a :class:`Published`."""
        raise NotImplementedError

    def find_published(self, text, parent):
        """The :class:`Published` reply to ``parent`` with ``text`` among the account's latest posts,
        or None; networks honouring an idempotency key need not look."""
        return None

    # ------------------------------------------------------------------ HTTP

    def _secrets(self):
        return [value for value in self.credentials.values() if isinstance(value, str) and len(value) >= 4]

    def _clean(self, message):
        for secret in self._secrets():
            message = message.replace(secret, "***")
        return message

    def _auth_headers(self):
        return {}

    def _request(self, method, url, *, auth=True, headers=None, retry_auth=True, basic=None, **kwargs):
        """Send one request and answer its decoded JSON; raise :class:`PublishError` on failure.

        ``auth``: sign it with the account's token (:meth:`_auth_headers`); ``basic``: (user,
        password) of HTTP basic authentication (an OAuth client). A 401 (or the network's
        expired-session answer) renews the session once through :meth:`_renew` and sends the
        request again."""
        if basic:
            kwargs["auth"] = requests.auth.HTTPBasicAuth(*basic)
        all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
        if auth:
            all_headers.update(self._auth_headers())
        shown = public_url(url)
        try:
            check_url_shape(url)
            response = self.session.request(method, url, headers=all_headers, timeout=self.timeout,
                                            allow_redirects=False, **kwargs)
        except requests.ConnectTimeout:
            raise PublishError(f"{shown} could not be reached in time.") from None
        except requests.Timeout:
            raise PublishError(f"{shown} did not answer in time: the post may have been received.",
                               uncertain=method != "GET") from None
        except requests.ConnectionError as error:
            raise PublishError(f"{shown} could not be reached ({type(error).__name__}).",
                               uncertain=method != "GET") from None
        except requests.RequestException as error:
            raise PublishError(self._clean(f"The request to {shown} failed ({type(error).__name__}).")) from None
        except ConnectorError as error:  # an address refused (not http(s), private): fix the account's URL
            raise PublishError(self._clean(str(error)), permanent=True) from None
        body = response.content
        if auth and retry_auth and self._session_expired(response, body):
            self._renew()
            kwargs.pop("auth", None)
            return self._request(method, url, auth=auth, headers=headers, retry_auth=False, basic=basic, **kwargs)
        if response.status_code >= 300:
            raise self._http_error(response, body)
        if not body.strip():
            return {}
        try:
            return json.loads(body)
        except ValueError:
            raise PublishError(f"{shown} answered invalid JSON (HTTP {response.status_code}).") from None

    def _session_expired(self, response, body):
        """Whether the answer says the session or access token expired, and :meth:`_renew` may renew it."""
        return False

    def _renew(self):
        """Renew the session or access token (then :attr:`save_credentials`); raise
        :class:`PublishError` with ``auth_lost`` when the account cannot be reconnected."""
        raise PublishError(f"The {self.label} account's access was refused: reconnect it.", auth_lost=True,
                           status=401)

    def _http_error(self, response, body):
        status = response.status_code
        detail = self._clean(_error_detail(body, response.headers.get("Content-Type", "")))
        message = f"{self.label} answered HTTP {status}: {detail}."
        if status == 429:
            return PublishError(f"{self.label} is limiting the request rate (HTTP 429): {detail}.",
                                retry_after=self._retry_after(response), status=status)
        if status == 401:
            return PublishError(f"{message} The account must be reconnected.", auth_lost=True, status=status)
        return PublishError(message, permanent=status in PERMANENT_STATUSES or 400 <= status < 500, status=status)

    @staticmethod
    def _retry_after(response):
        """Seconds to wait: ``Retry-After`` (seconds), else a reset time (epoch seconds) in the
        network's rate-limit headers; None when the answer says nothing."""
        value = (response.headers.get("Retry-After") or "").strip()
        if value.isdigit():
            return float(value)
        for name in ("x-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset"):
            reset = (response.headers.get(name) or "").strip()
            try:
                reset = float(reset)
            except ValueError:
                continue
            now = datetime.now(timezone.utc).timestamp()
            # Reddit's x-ratelimit-reset is in seconds from now, the others an epoch time
            return max(0.0, reset - now) if reset > 10**9 else reset
        return None


class MastodonPublisher(Publisher):
    """Mastodon's REST API: an access token of the account (scopes ``read`` and ``write:statuses``)."""

    network = "mastodon"
    label = "Mastodon"
    max_length = 500

    @classmethod
    def reply_text(cls, body, parent):
        body = (body or "").strip()
        acct = (parent.get("author_handle") or "").lstrip("@")
        if not acct or body.lower().startswith(f"@{acct.lower()}"):
            return body
        return f"@{acct} {body}"

    @classmethod
    def length(cls, text):
        # Mastodon counts a URL as 23 characters and a mentioned account by its user name alone
        return weighted_length(re.sub(r"@([\w.-]+)@[\w.-]+\w", r"@\1", text or ""))

    def _auth_headers(self):
        return {"Authorization": f"Bearer {self.credentials.get('access_token') or ''}"}

    def whoami(self):
        account = self._request("GET", f"{self.base_url}/api/v1/accounts/verify_credentials")
        acct = account.get("acct") or account.get("username") or ""
        if acct and "@" not in acct:
            acct = f"{acct}@{self.base_url.split('://', 1)[-1].split('/', 1)[0].split(':', 1)[0]}"
        return {"handle": acct, "name": account.get("display_name") or account.get("username") or acct,
                "account_ref": str(account.get("id") or "")}

    def publish(self, text, parent, key):
        payload = {"status": text, "in_reply_to_id": parent["external_id"],
                   "visibility": parent.get("visibility") or "public"}
        if parent.get("lang"):
            payload["language"] = parent["lang"][:2]
        status = self._request("POST", f"{self.base_url}/api/v1/statuses", json=payload,
                               headers={"Idempotency-Key": key})
        if not status.get("id"):
            raise PublishError("Mastodon answered a status without an id.")
        return Published(str(status["id"]), status.get("url") or status.get("uri"))


class BlueskyPublisher(Publisher):
    """The account's PDS (XRPC): a session opened with the handle and an app password."""

    network = "bluesky"
    label = "Bluesky"
    default_base_url = "https://bsky.social"
    max_length = 300
    web_url = "https://bsky.app"

    @classmethod
    def length(cls, text):
        return grapheme_length(text)

    def _auth_headers(self):
        if not self.credentials.get("access_jwt"):
            self._create_session()
        return {"Authorization": f"Bearer {self.credentials.get('access_jwt') or ''}"}

    def _xrpc(self, name):
        return f"{self.base_url}/xrpc/{name}"

    def _session_expired(self, response, body):
        if response.status_code == 401:
            return True
        return response.status_code == 400 and b"ExpiredToken" in body

    def _create_session(self):
        identifier = self.credentials.get("identifier") or self.handle
        try:
            session = self._request("POST", self._xrpc("com.atproto.server.createSession"), auth=False,
                                    json={"identifier": identifier, "password": self.credentials.get("app_password")})
        except PublishError as error:
            if error.status in (400, 401):
                raise PublishError(f"{error} The handle or the app password is refused.", auth_lost=True,
                                   status=error.status) from None
            raise
        self._keep_session(session)

    def _keep_session(self, session):
        if not session.get("accessJwt"):
            raise PublishError("Bluesky answered a session without a token.", auth_lost=True)
        values = {"access_jwt": session["accessJwt"], "refresh_jwt": session.get("refreshJwt"),
                  "did": session.get("did") or self.credentials.get("did")}
        self.credentials.update(values)
        if session.get("handle"):
            self.handle = session["handle"]
        self.save_credentials({**values, "handle": self.handle})

    def _renew(self):
        refresh = self.credentials.get("refresh_jwt")
        if refresh:
            try:
                session = self._request("POST", self._xrpc("com.atproto.server.refreshSession"), auth=False,
                                        headers={"Authorization": f"Bearer {refresh}"})
            except PublishError as error:
                if error.status not in (400, 401):
                    raise
            else:
                return self._keep_session(session)
        self.credentials["access_jwt"] = None
        return self._create_session()

    def whoami(self):
        session = self._request("GET", self._xrpc("com.atproto.server.getSession"))
        self.credentials["did"] = session.get("did") or self.credentials.get("did")
        handle = session.get("handle") or self.handle
        return {"handle": handle, "name": handle, "account_ref": self.credentials.get("did")}

    def _did(self):
        if not self.credentials.get("did"):
            self._auth_headers()
        return self.credentials.get("did")

    def facets(self, text):
        """Mention facets (handles resolved to dids) and link facets of ``text``, with UTF-8 byte offsets."""
        facets = []
        for match in URL_RE.finditer(text):
            facets.append(self._facet(text, match.start(), match.end(),
                                      {"$type": "app.bsky.richtext.facet#link", "uri": match.group()}))
        for match in HANDLE_RE.finditer(text):
            did = self._resolve_handle(match.group(1))
            if did:
                facets.append(self._facet(text, match.start(), match.end(),
                                          {"$type": "app.bsky.richtext.facet#mention", "did": did}))
        return sorted(facets, key=lambda facet: facet["index"]["byteStart"])

    @staticmethod
    def _facet(text, start, end, feature):
        byte_start = len(text[:start].encode())
        return {"index": {"byteStart": byte_start, "byteEnd": byte_start + len(text[start:end].encode())},
                "features": [feature]}

    def _resolve_handle(self, handle):
        try:
            return self._request("GET", self._xrpc("com.atproto.identity.resolveHandle"),
                                 params={"handle": handle}).get("did")
        except PublishError as error:
            if error.permanent and not error.auth_lost:
                return None  # an unknown handle stays plain text
            raise

    def publish(self, text, parent, key):
        parent_ref = {"uri": parent["external_id"], "cid": parent.get("cid")}
        if not parent_ref["cid"]:
            raise PublishError("The post answered has no content id (cid): it cannot be answered on Bluesky.",
                               permanent=True)
        root_ref = {"uri": parent.get("root_id"), "cid": parent.get("root_cid")} \
            if parent.get("root_id") and parent.get("root_cid") else parent_ref
        record = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "reply": {"root": root_ref, "parent": parent_ref},
        }
        if parent.get("lang"):
            record["langs"] = [parent["lang"]]
        facets = self.facets(text)
        if facets:
            record["facets"] = facets
        did = self._did()
        answer = self._request("POST", self._xrpc("com.atproto.repo.createRecord"),
                               json={"repo": did, "collection": "app.bsky.feed.post", "record": record})
        return self._published(answer.get("uri"), answer.get("cid"))

    def _published(self, uri, cid):
        if not uri:
            raise PublishError("Bluesky answered a record without a uri.")
        return Published(uri, f"{self.web_url}/profile/{self.handle or self._did()}/post/{uri.rsplit('/', 1)[-1]}",
                         {"cid": cid})

    def find_published(self, text, parent):
        answer = self._request("GET", self._xrpc("com.atproto.repo.listRecords"),
                               params={"repo": self._did(), "collection": "app.bsky.feed.post", "limit": 25})
        for record in answer.get("records") or []:
            value = record.get("value") or {}
            reply_parent = ((value.get("reply") or {}).get("parent") or {}).get("uri")
            if value.get("text") == text and reply_parent == parent["external_id"]:
                return self._published(record.get("uri"), record.get("cid"))
        return None


class RedditPublisher(Publisher):
    """Reddit's OAuth API: a script app (password grant) or a refresh token, both with the app's
    client id and secret; the token comes from ``auth_url`` (www.reddit.com)."""

    network = "reddit"
    label = "Reddit"
    default_base_url = "https://oauth.reddit.com"
    max_length = 10000

    def _user_agent(self):
        return f"web:odoo-social-crm:18.0 (by /u/{self.handle or self.credentials.get('username') or 'unknown'})"

    def _auth_headers(self):
        if not self.credentials.get("access_token"):
            self._renew()
        return {"Authorization": f"bearer {self.credentials.get('access_token')}", "User-Agent": self._user_agent()}

    def _session_expired(self, response, body):
        return response.status_code == 401  # the access token lasts a day: ask for another

    def _renew(self):
        if self.credentials.get("refresh_token"):
            grant = {"grant_type": "refresh_token", "refresh_token": self.credentials["refresh_token"]}
        else:
            grant = {"grant_type": "password", "username": self.credentials.get("username") or "",
                     "password": self.credentials.get("password") or ""}
        try:
            answer = self._request(
                "POST", f"{self.auth_url}/api/v1/access_token", auth=False, data=grant,
                headers={"User-Agent": self._user_agent()},
                basic=(self.credentials.get("client_id") or "", self.credentials.get("client_secret") or ""))
        except PublishError as error:
            if error.status in (400, 401, 403):
                raise PublishError(f"{error} Reddit refused the app's credentials.", auth_lost=True,
                                   status=error.status) from None
            raise
        if answer.get("error") or not answer.get("access_token"):
            raise PublishError(f"Reddit refused the credentials: {answer.get('error') or 'no token'}.", auth_lost=True)
        self.credentials["access_token"] = answer["access_token"]
        self.save_credentials({"access_token": answer["access_token"]})

    def whoami(self):
        me = self._request("GET", f"{self.base_url}/api/v1/me")
        name = me.get("name") or ""
        self.handle = name or self.handle
        return {"handle": name, "name": name, "account_ref": f"t2_{me['id']}" if me.get("id") else name}

    def publish(self, text, parent, key):
        answer = self._request("POST", f"{self.base_url}/api/comment",
                               data={"thing_id": parent["external_id"], "text": text, "api_type": "json"})
        result = answer.get("json") or {}
        errors = result.get("errors") or []
        if errors:
            first = errors[0]
            detail = ": ".join(str(part) for part in first[:2]) if isinstance(first, list) else str(first)
            raise PublishError(f"Reddit refused the comment: {detail}.", permanent=True, status=200)
        things = ((result.get("data") or {}).get("things")) or []
        data = (things[0].get("data") if things else None) or {}
        return self._published(data)

    def _published(self, data):
        name = data.get("name") or (f"t1_{data['id']}" if data.get("id") else None)
        if not name:
            raise PublishError("Reddit answered a comment without an id.")
        permalink = data.get("permalink")
        return Published(name, permalink and f"https://www.reddit.com{permalink}")

    def find_published(self, text, parent):
        listing = self._request("GET", f"{self.base_url}/user/{self.handle}/comments",
                                params={"limit": 25, "sort": "new", "raw_json": 1})
        for child in (listing.get("data") or {}).get("children") or []:
            data = child.get("data") or {}
            if data.get("parent_id") == parent["external_id"] and (data.get("body") or "").strip() == text.strip():
                return self._published(data)
        return None


class XPublisher(Publisher):
    """X API v2 with an OAuth 2.0 user token (scopes tweet.read, tweet.write, users.read,
    offline.access), renewed with its refresh token, which X replaces at every renewal."""

    network = "x"
    label = "X"
    default_base_url = "https://api.x.com"
    max_length = 280
    # twitter-text v3: these ranges weigh 1, every other character 2, a URL 23
    NARROW = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))

    @classmethod
    def length(cls, text):
        return weighted_length(text, narrow=cls.NARROW)

    def _auth_headers(self):
        return {"Authorization": f"Bearer {self.credentials.get('access_token') or ''}"}

    def _session_expired(self, response, body):
        return response.status_code == 401 and bool(self.credentials.get("refresh_token"))

    def _renew(self):
        refresh = self.credentials.get("refresh_token")
        if not refresh:
            return super()._renew()
        client_id, secret = self.credentials.get("client_id") or "", self.credentials.get("client_secret")
        try:
            answer = self._request(
                "POST", f"{self.auth_url}/2/oauth2/token", auth=False, basic=(client_id, secret) if secret else None,
                data={"grant_type": "refresh_token", "refresh_token": refresh, "client_id": client_id})
        except PublishError as error:
            if error.status in (400, 401, 403):
                raise PublishError(f"{error} The refresh token is no longer valid: reconnect the account.",
                                   auth_lost=True, status=error.status) from None
            raise
        if not answer.get("access_token"):
            raise PublishError("X answered no access token.", auth_lost=True)
        values = {"access_token": answer["access_token"], "refresh_token": answer.get("refresh_token") or refresh}
        self.credentials.update(values)
        self.save_credentials(values)
        return None

    def whoami(self):
        user = self._request("GET", f"{self.base_url}/2/users/me").get("data") or {}
        self.handle = user.get("username") or self.handle
        self.account_ref = user.get("id") or self.account_ref
        return {"handle": user.get("username"), "name": user.get("name") or user.get("username"),
                "account_ref": user.get("id")}

    def publish(self, text, parent, key):
        answer = self._request("POST", f"{self.base_url}/2/tweets",
                               json={"text": text, "reply": {"in_reply_to_tweet_id": parent["external_id"]}})
        return self._published(answer.get("data") or {})

    def _published(self, data):
        if not data.get("id"):
            raise PublishError("X answered a post without an id.")
        return Published(str(data["id"]), f"https://x.com/{self.handle or 'i'}/status/{data['id']}")

    def find_published(self, text, parent):
        if not self.account_ref:
            self.whoami()
        answer = self._request("GET", f"{self.base_url}/2/users/{self.account_ref}/tweets",
                               params={"max_results": 10, "tweet.fields": "referenced_tweets"})
        for tweet in answer.get("data") or []:
            replied = [ref.get("id") for ref in tweet.get("referenced_tweets") or [] if ref.get("type") == "replied_to"]
            if tweet.get("text") == text and parent["external_id"] in replied:
                return self._published(tweet)
        return None
