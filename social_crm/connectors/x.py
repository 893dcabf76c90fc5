"""Posts matching an X API v2 recent search (``/2/tweets/search/recent``, bearer token).

Cursor (see NewestFirstConnector): ``page`` is the ``next_token``, ``since`` the ``since_id`` that
keeps a later run to newer posts.
"""
import html
import time

from .base import NewestFirstConnector, iso_utc, make_author, mapping, public_url

WEB_URL = "https://x.com"
USER_FIELDS = "username,name,public_metrics,url"
TWEET_FIELDS = "created_at,lang,conversation_id,referenced_tweets,public_metrics,note_tweet"


class XConnector(NewestFirstConnector):
    """Posts of the last seven days matching ``query``; ``bearer_token`` never appears in a message."""

    label = "X"
    network = "x"

    def __init__(self, config, **options):
        super().__init__(config, **options)
        self.endpoint = f"{self._base_url('https://api.x.com')}/2/tweets/search/recent"
        self.query = self._setting("query", required=True)
        self._token = self._setting("bearer_token", required=True)
        self.page_size = self._page_size(100, minimum=10)

    def _secrets(self):
        return (self._token,)

    def _fetch(self, page, since):
        params = {
            "query": self.query,
            "max_results": self.page_size,
            "expansions": "author_id",
            "user.fields": USER_FIELDS,
            "tweet.fields": TWEET_FIELDS,
            "since_id": since,
            "next_token": page,
        }
        answer = self._get_json(self.endpoint, params, {"Authorization": f"Bearer {self._token}"})
        tweets = answer.get("data") or []
        users = mapping(answer.get("includes")).get("users") or []
        if not isinstance(tweets, list) or not isinstance(users, list):
            raise self._error(f"X answered a search of an unexpected shape from {public_url(self.endpoint)}.")
        users_by_id = {user.get("id"): user for user in users if isinstance(user, dict)}
        items = [
            self._normalize(tweet, mapping(users_by_id.get(tweet.get("author_id"))))
            for tweet in tweets
            if isinstance(tweet, dict) and tweet.get("id")
        ]
        return items, mapping(answer.get("meta")).get("next_token")

    def _normalize(self, tweet, user):
        """``user`` is the author's entry of ``includes.users``, empty when the answer lacks it
        (a suspended or protected account): the post's ``author_id`` identifies the author then."""
        username = user.get("username")
        author_id = tweet.get("author_id") if isinstance(tweet.get("author_id"), str) else None
        replied_to = [
            ref.get("id") for ref in tweet.get("referenced_tweets") or [] if mapping(ref).get("type") == "replied_to"
        ]
        # The API escapes &, < and > in texts; a long post's full text is in note_tweet.
        text = html.unescape(mapping(tweet.get("note_tweet")).get("text") or tweet.get("text") or "")
        return self._mention(
            tweet["id"],
            author=make_author(
                handle=username,
                account_id=author_id,
                name=user.get("name"),
                url=f"{WEB_URL}/{username}" if username else author_id and f"{WEB_URL}/i/user/{author_id}",
                followers=mapping(user.get("public_metrics")).get("followers_count"),
            ),
            text=text,
            url=f"{WEB_URL}/{username or 'i/web'}/status/{tweet['id']}",
            posted_at=iso_utc(tweet.get("created_at")),
            lang=tweet.get("lang") if tweet.get("lang") != "und" else None,
            parent_id=replied_to[0] if replied_to else None,
        )

    def _retry_after(self, response):
        """X announces the end of the rate-limit window in x-rate-limit-reset (Unix time)."""
        wait = super()._retry_after(response)
        reset = response.headers.get("x-rate-limit-reset", "")
        if wait is None and reset.isdigit():
            wait = max(0.0, int(reset) - time.time())
        return wait
