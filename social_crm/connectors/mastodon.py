"""Public statuses of a Mastodon hashtag or account (REST API v1).

Cursor (see NewestFirstConnector): ``page`` is the ``max_id`` of the next older page, ``since`` the
``since_id`` that keeps a later run to newer statuses; both are status ids.

The live stream of a source (``mastodon_stream.py``) reads the timelines of ``TIMELINES`` too, to
fill the gap a reconnection left: :meth:`MastodonConnector.fetch_newer`.
"""
from urllib.parse import quote, urlsplit

from .base import ConnectorError, NewestFirstConnector, html_to_text, iso_utc, make_author, mapping

# REST listings of the timelines a live source streams: (path, parameters); "mentions" answers
# notifications (each holding its status), the others statuses.
TIMELINES = {
    "public": ("/api/v1/timelines/public", {}),
    "local": ("/api/v1/timelines/public", {"local": "true"}),
    "mentions": ("/api/v1/notifications", {"types[]": "mention"}),
}


class MastodonConnector(NewestFirstConnector):
    """Statuses of ``hashtag`` (or of the account ``mastodon_account_id``) on the instance ``base_url``; or,
    with ``timeline`` (a key of :data:`TIMELINES`), of that timeline. ``access_token`` (a token of
    the account, scope ``read``) is sent when given: the mentions of the account need it.
    """

    label = "Mastodon"
    network = "mastodon"

    def __init__(self, config, **options):
        super().__init__(config, **options)
        base_url = self._base_url()
        hashtag = str(self._setting("hashtag", "")).lstrip("#")
        account_id = self._setting("mastodon_account_id")
        timeline = self._setting("timeline")
        self.access_token = self._setting("access_token")
        if timeline in TIMELINES:
            path, self.params = TIMELINES[timeline]
            self.endpoint = f"{base_url}{path}"
        elif hashtag:
            self.endpoint = f"{base_url}/api/v1/timelines/tag/{quote(hashtag, safe='')}"
            self.params = {}
        elif account_id:
            self.endpoint = f"{base_url}/api/v1/accounts/{quote(str(account_id), safe='')}/statuses"
            self.params = {"exclude_reblogs": "true"}  # boosts are other people's words
        else:
            raise ConnectorError("The Mastodon source needs a hashtag or an account id.")
        self.instance_host = urlsplit(base_url).hostname
        self.page_size = self._page_size(40, maximum=40)

    def _secrets(self):
        return (self.access_token,)

    def _headers(self):
        return {"Authorization": f"Bearer {self.access_token}"} if self.access_token else {}

    def _fetch(self, page, since):
        params = {**self.params, "limit": self.page_size, "max_id": page, "since_id": since}
        statuses = self._get_json(self.endpoint, params, headers=self._headers(), expect=list)
        items = [self._normalize(status) for status in statuses if isinstance(status, dict) and status.get("id")]
        oldest = min((item["id"] for item in items), key=self._rank, default=None)
        return items, oldest

    def fetch_newer(self, min_id, max_pages=25):
        """The entries (statuses, or notifications for ``mentions``) of the timeline after the id
        ``min_id``, oldest first, as ``(id as a number, entry)``: ``min_id`` pages forward, each page
        holding those just after it. At most ``max_pages`` pages: the poller fills what is older."""
        entries = []
        for _page in range(max_pages):
            answer = self._get_json(self.endpoint, {**self.params, "limit": self.page_size, "min_id": min_id},
                                    headers=self._headers(), expect=list)
            page = sorted((int(entry["id"]), entry) for entry in answer
                          if isinstance(entry, dict) and str(entry.get("id", "")).isdigit())
            page = [(position, entry) for position, entry in page if position > int(min_id)]
            entries += page
            if len(page) < self.page_size:
                break
            min_id = page[-1][0]
        return entries

    def _normalize(self, status):
        account = mapping(status.get("account"))
        text = html_to_text(status.get("content"))
        if status.get("spoiler_text"):
            text = f"{status['spoiler_text']}\n\n{text}".strip()
        return self._mention(
            status["id"],
            author=make_author(
                handle=self._handle(account),
                name=account.get("display_name") or account.get("username"),
                url=account.get("url"),
                followers=account.get("followers_count"),
            ),
            text=text,
            url=status.get("url") or status.get("uri"),
            posted_at=iso_utc(status.get("created_at")),
            lang=status.get("language"),
            parent_id=status.get("in_reply_to_id"),
            refs={"visibility": status.get("visibility") if isinstance(status.get("visibility"), str) else None},
        )

    def _handle(self, account):
        """The account's full address ``user@domain``: ``acct`` omits the domain for local accounts."""
        acct = account.get("acct") or account.get("username")
        if not acct or "@" in acct:
            return acct
        return f"{acct}@{urlsplit(account.get('url') or '').hostname or self.instance_host}"
