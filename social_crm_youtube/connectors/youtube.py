"""Comments on the videos of a YouTube channel: ``commentThreads.list`` of the YouTube Data API v3.

One call per page (``allThreadsRelatedToChannelId``, ``part=snippet,replies``, up to 100 threads,
``pageToken`` paging), authenticated by an API key. Each call costs one unit of the Google Cloud
project's daily quota, failed ones included: the connector counts them and stops before the
source's daily budget is exceeded (``quota_budget`` and ``quota_used`` of the config), leaving the
cursor where it stopped.

Cursor: ``{"page": token of the next page of this run, "since": time of the newest thread of the
previous run, "since_ids": its threads at that second, "newest"/"newest_ids": the same for this
run}``. A thread's time is that of its latest comment, the reply to an old thread included: a run
reads pages down to the first thread the previous run already had, and its final cursor is
``{"since", "since_ids"}`` of its newest thread.
"""
import html
import json
import re

from odoo.addons.social_crm.connectors import (
    Connector,
    ConnectorError,
    Page,
    iso_utc,
    make_author,
    mapping,
    public_url,
)

API_URL = "https://www.googleapis.com/youtube/v3"
WATCH_URL = "https://www.youtube.com/watch"
CHANNEL_URL = "https://www.youtube.com/channel"
CHANNEL_ID = re.compile(r"UC[A-Za-z0-9_-]{22}")
QUOTA_RESET = "midnight, Pacific time"


class YoutubeApiError(ConnectorError):
    """An error answer of the API; ``reason`` is Google's code of it (``quotaExceeded``, ``keyInvalid``...)."""

    def __init__(self, message, reason=None):
        super().__init__(message)
        self.reason = reason


class YoutubeConnector(Connector):
    """Comment threads of the videos of ``channel_id``, newest first; ``api_key`` never appears in a message."""

    label = "YouTube"
    network = "youtube"

    def __init__(self, config, **options):
        super().__init__(config, **options)
        self.endpoint = f"{self._base_url(API_URL)}/commentThreads"
        self.channel_id = str(self._setting("channel_id", required=True))
        if not CHANNEL_ID.fullmatch(self.channel_id):
            raise ConnectorError(
                f"{self.channel_id!r} is not a YouTube channel id: it starts with UC and has 24 characters "
                "(YouTube Studio › Settings › Channel › Advanced settings).")
        self._key = self._setting("api_key", required=True)
        self.page_size = self._page_size(100, maximum=100)
        budget = self._setting("quota_budget")
        self.quota_budget = int(budget) if budget is not None else None  # None: no budget of our own
        self.quota_used = int(self._setting("quota_used", 0))  # units spent today, this run's included

    def _secrets(self):
        return (self._key,)

    # ------------------------------------------------------------------ quota

    def _budget_left(self):
        return self.quota_budget is None or self.quota_used < self.quota_budget

    def _before_request(self, url):
        """Every call costs a unit, a retried one too: never send one beyond the budget."""
        if not self._budget_left():
            raise self._error(
                f"The daily budget of {self.quota_budget} YouTube API units of this source was reached while "
                f"retrying a failed call; polling resumes where it stopped after {QUOTA_RESET}.")
        self.quota_used += 1

    # ------------------------------------------------------------------ pages

    def fetch_page(self, cursor):
        state = self._load_cursor(cursor, page=None, since=None, since_ids=[], newest=None, newest_ids=[])
        if not self._budget_left():
            self.stop_reason = (
                f"The daily budget of {self.quota_budget} YouTube API units of this source is used up: "
                f"polling resumes where it stopped after {QUOTA_RESET}.")
            return Page([], cursor, False)
        try:
            answer = self._fetch(state["page"])
        except YoutubeApiError as error:
            if error.reason != "invalidPageToken" or not state["page"]:
                raise
            state["page"] = None  # the token expired between two runs: read again from the newest thread
            return self.fetch_page(self._dump_cursor(state))
        threads = answer.get("items") or []
        if not isinstance(threads, list):
            raise self._error(
                f"YouTube answered comment threads of an unexpected shape from {public_url(self.endpoint)}.")
        items, known_reached = [], False
        newest, newest_ids = state["newest"], list(state["newest_ids"])
        for thread in threads:
            if not isinstance(thread, dict) or not thread.get("id"):
                continue
            thread_items = self._normalize_thread(thread)
            moment = max((item["posted_at"] for item in thread_items if item["posted_at"]), default=None)
            if moment and state["since"] and (
                moment < state["since"] or (moment == state["since"] and thread["id"] in state["since_ids"])
            ):
                known_reached = True  # the previous run had this thread as it is
                continue
            items += thread_items
            if moment and (newest is None or moment > newest):
                newest, newest_ids = moment, [thread["id"]]
            elif moment and moment == newest and thread["id"] not in newest_ids:
                newest_ids.append(thread["id"])
        next_page = answer.get("nextPageToken")
        if next_page and isinstance(next_page, str) and next_page != state["page"] and not known_reached:
            cursor = {"page": next_page, "since": state["since"], "since_ids": state["since_ids"] or None,
                      "newest": newest, "newest_ids": newest_ids or None}
            return Page(items, self._dump_cursor(cursor), True)
        if newest is None:
            final = {"since": state["since"], "since_ids": state["since_ids"] or None}
        else:
            final = {"since": newest, "since_ids": newest_ids}
        return Page(items, self._dump_cursor(final), False)

    def _fetch(self, page_token):
        params = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": self.channel_id,
            "maxResults": self.page_size,
            "order": "time",
            "textFormat": "plainText",
            "pageToken": page_token,
            "key": self._key,
        }
        return self._get_json(self.endpoint, params)

    def _normalize_thread(self, thread):
        """The top-level comment of ``thread`` and the replies it carries, as mentions."""
        snippet = mapping(thread.get("snippet"))
        top = mapping(snippet.get("topLevelComment"))
        top_id = top.get("id") or thread["id"]
        video_id = snippet.get("videoId")
        items = [self._normalize(top, top_id, video_id)]
        for reply in mapping(thread.get("replies")).get("comments") or []:
            if isinstance(reply, dict) and reply.get("id"):
                items.append(self._normalize(reply, reply["id"], video_id, parent_id=top_id))
        return items

    def _normalize(self, comment, comment_id, video_id, parent_id=None):
        """One comment as a mention. Its author is known by their @handle (channels show it as their
        display name; a legacy display name is a name only), else by the address of their channel,
        built from its id when the answer gives none: the key a channel address pasted on a
        contact gets too."""
        snippet = mapping(comment.get("snippet"))
        display_name = snippet.get("authorDisplayName") if isinstance(snippet.get("authorDisplayName"), str) else ""
        handle = display_name if display_name.startswith("@") and not any(c.isspace() for c in display_name) else None
        channel_id = mapping(snippet.get("authorChannelId")).get("value")
        channel_url = snippet.get("authorChannelUrl") if isinstance(snippet.get("authorChannelUrl"), str) else None
        if not channel_url and isinstance(channel_id, str) and channel_id:
            channel_url = f"{CHANNEL_URL}/{channel_id}"
        video_id = snippet.get("videoId") or video_id
        # textOriginal is given to the comment's author only, as a rule: the displayed text, asked as
        # plain text, may still hold HTML entities
        text = snippet.get("textOriginal")
        if not text or not isinstance(text, str):
            text = html.unescape(snippet["textDisplay"]) if isinstance(snippet.get("textDisplay"), str) else ""
        return self._mention(
            comment_id,
            author=make_author(
                handle=handle,
                name=display_name.strip() or None,
                url=channel_url,
            ),
            text=text,
            url=f"{WATCH_URL}?v={video_id}&lc={comment_id}" if isinstance(video_id, str) and video_id else None,
            posted_at=iso_utc(snippet.get("publishedAt")),
            parent_id=snippet.get("parentId") or parent_id,
        )

    # ------------------------------------------------------------------ errors

    def _http_error(self, response, body):
        """Google's errors say their reason: a quota used up, a refused key, a bad page token."""
        try:
            error = mapping(mapping(json.loads(body)).get("error"))
        except ValueError:
            error = {}
        errors, details = error.get("errors"), error.get("details")
        first = next((e for e in errors if isinstance(e, dict)), {}) if isinstance(errors, list) else {}
        detail_reasons = [d.get("reason") for d in details if isinstance(d, dict)] if isinstance(details, list) else []
        reason = first.get("reason") or next((r for r in detail_reasons if r), None)
        message = " ".join(str(error.get("message") or first.get("message") or "").split())[:200].rstrip(".")
        if not reason and not message:
            return super()._http_error(response, body)  # not an answer of the API (a proxy's page, say)
        reason = reason if isinstance(reason, str) else None
        status = response.status_code
        if reason in ("quotaExceeded", "dailyLimitExceeded"):
            text = (f"YouTube answered HTTP {status} ({reason}): the API quota of the Google Cloud project is used up "
                    f"for today. Polling resumes where it stopped after {QUOTA_RESET}.")
        elif reason in ("keyInvalid", "API_KEY_INVALID", "keyExpired") or (status == 400 and "API key" in message):
            text = (f"YouTube refused the API key (HTTP {status}: {message}). Check the API key of the source "
                    "and that the YouTube Data API v3 is enabled for its project.")
        elif reason in ("commentsDisabled", "channelNotFound"):
            text = f"YouTube answered HTTP {status} ({reason}): {message}. Check the channel id of the source."
        else:
            text = f"{public_url(response.url)} answered HTTP {status} {response.reason}: {message}" + (
                f" ({reason})." if reason else ".")
        for secret in self._secrets():
            text = text.replace(secret, "***") if secret else text
        return YoutubeApiError(text, reason)
