"""YouTube comments end to end: the Data API's answers served on 127.0.0.1, the poll of a real source,
the stored mentions checked field by field, and the daily quota as Google counts it.

The payloads in ``payloads/`` follow the ``commentThreadListResponse`` and error formats of the
YouTube Data API v3 documentation (commentThreads.list, errors).
"""
import json
from datetime import timedelta
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.social_crm.tests.test_connector_ingest import ConnectorIngestCase
from odoo.addons.social_crm.tests.test_connectors import Reply

PAYLOADS = Path(__file__).parent / "payloads"
CHANNEL = "UCAcmePhones4everXYZ1234"
API_KEY = "AIzaSyD-test-key_0123456789abcdefghijk"
THREADS_PATH = "/youtube/v3/commentThreads"


def youtube_reply(name, status=200):
    return Reply(status, (PAYLOADS / name).read_bytes(), {"Content-Type": "application/json; charset=UTF-8"})


@tagged("social_crm_youtube", "post_install", "-at_install")
class TestYoutubeIngest(ConnectorIngestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.youtube = cls.env["social.source"].create({
            "name": "Acme channel", "source_type": "youtube", "base_url": f"{cls.server.url}/youtube/v3",
            "youtube_channel_id": CHANNEL, "youtube_api_key": API_KEY, "youtube_daily_budget": 100,
        })

    def today(self):
        return self.youtube._youtube_quota_day()

    def requests(self):
        """``pageToken`` of each request received (None for the first page), after checking the rest."""
        tokens = []
        for received in self.server.received:
            query = dict(received.query)
            tokens.append(query.pop("pageToken", [None])[0])
            self.assertEqual(received.path, THREADS_PATH)
            self.assertEqual(query, {
                "part": ["snippet,replies"], "allThreadsRelatedToChannelId": [CHANNEL], "maxResults": ["50"],
                "order": ["time"], "textFormat": ["plainText"], "key": [API_KEY]})
        return tokens

    def serve_pages(self, *names):
        self.serve(THREADS_PATH, *(youtube_reply(name) for name in names))

    def cursor(self):
        return json.loads(self.youtube.cursor) if self.youtube.cursor else None

    def test_source_type_from_the_addon(self):
        self.assertEqual(self.youtube.network, "youtube", "the network of the connector")
        self.assertIn("youtube", self.env["social.source"]._polled_source_types())
        self.assertIn(("youtube", "YouTube comments"), self.env["social.source"]._fields["source_type"].selection)
        user = new_test_user(self.env, login="yt_user", groups="social_crm.social_crm_group_user")
        self.assertNotIn("youtube_api_key", self.youtube.with_user(user).fields_get())
        with self.assertRaises(AccessError):
            self.youtube.with_user(user).read(["youtube_api_key"])
        self.assertEqual(self.youtube.with_user(user).read(["youtube_channel_id"])[0]["youtube_channel_id"], CHANNEL)

    def test_comments_replies_and_missing_authors_over_two_pages(self):
        # a channel address pasted on a contact finds the author known by it
        bernd = self.env["social.profile"].create(
            {"partner_id": self.bob.id, "url": "https://www.youtube.com/channel/UCberndBerndBerndBernd01"})
        self.serve_pages("youtube_threads_page1.json", "youtube_threads_page2.json")
        self.assertEqual(self.poll(self.youtube), {"created": 5, "duplicates": 0, "errors": 1})
        self.assertEqual(self.requests(), [None, "PAGE2"])
        nobody = self.env["res.partner"]
        expected = {
            "UgzAcmeFan0001": {
                "author": "@AcmeFan", "name": "@AcmeFan", "profile": "youtube:acmefan", "known_by": "handle",
                "partner": nobody, "body": "My X2 gets hot while charging, is that normal? 🔥",
                "url": "https://www.youtube.com/watch?v=vid00000001&lc=UgzAcmeFan0001",
                "posted_at": "2024-11-02 09:00:00", "lang": False, "parent": False},
            "UgzAcmeFan0001.A1": {
                "author": "@lu-charges", "name": "@lu-charges", "profile": "youtube:lu-charges", "known_by": "handle",
                "partner": nobody, "body": "@AcmeFan same here since the update",
                "url": "https://www.youtube.com/watch?v=vid00000001&lc=UgzAcmeFan0001.A1",
                "posted_at": "2024-11-02 09:30:00", "lang": False, "parent": "UgzAcmeFan0001"},
            "UgzAcmeFan0001.A2": {  # a display name that is no @handle: known by the channel's address
                "author": "http://www.youtube.com/channel/UCberndBerndBerndBernd01", "name": "Bernd Müller",
                "profile": "youtube:ucberndberndberndbernd01", "known_by": "handle", "partner": self.bob,
                "body": "Mine too, it is the fast charger",
                "url": "https://www.youtube.com/watch?v=vid00000001&lc=UgzAcmeFan0001.A2",
                "posted_at": "2024-11-02 10:15:00", "lang": False, "parent": "UgzAcmeFan0001"},
            "UgzNightOwl0002": {  # no display name nor channel id, no original text: the channel URL, the shown text
                "author": "http://www.youtube.com/@NightOwl", "name": False, "profile": "youtube:nightowl",
                "known_by": "handle", "partner": nobody, "body": "Great review <3 but the camera is slow at night",
                "url": "https://www.youtube.com/watch?v=vid00000002&lc=UgzNightOwl0002",
                "posted_at": "2024-11-02 08:00:00", "lang": False, "parent": False},
            "UgzOnlyChannel0004": {
                "author": "https://www.youtube.com/channel/UConlyChannelIdKnown0001", "name": False,
                "profile": "youtube:uconlychannelidknown0001", "known_by": "handle", "partner": nobody,
                "body": "Where can I buy the X2 in Lyon?",
                "url": "https://www.youtube.com/watch?v=vid00000003&lc=UgzOnlyChannel0004",
                "posted_at": "2024-11-01 18:00:00", "lang": False, "parent": False},
        }
        stored = self.stored(self.youtube)
        self.assertEqual(sorted(stored), sorted(expected))
        for external_id, values in expected.items():
            with self.subTest(comment=external_id):
                self.assertEqual(self.values(stored[external_id]), values)
                self.assertEqual(stored[external_id].network, "youtube")
        self.assertEqual(stored["UgzAcmeFan0001"].child_ids, stored["UgzAcmeFan0001.A1"] | stored["UgzAcmeFan0001.A2"])
        self.assertEqual(stored["UgzAcmeFan0001"].profile_id.url, "http://www.youtube.com/@AcmeFan")
        self.assertEqual(stored["UgzAcmeFan0001.A2"].profile_id, bernd)
        # the comment of a closed account names nobody: not stored, and the source says so
        self.assertFalse(self.youtube.last_error)
        self.assertEqual((self.youtube.last_poll_warning_count, self.youtube.quarantine_count), (1, 1))
        self.assertIn("UgzGhost0003: author: needs a handle", self.youtube.last_poll_warning)
        self.assertEqual(self.cursor(), {"since": "2024-11-02T10:15:00Z", "since_ids": ["UgzAcmeFan0001"]})
        self.assertEqual((self.youtube.youtube_quota_date, self.youtube.youtube_quota_used), (self.today(), 2))
        self.assertEqual(self.youtube.youtube_quota_used_today, 2)

        # The next run reads down to the first thread it already had: a new thread, a new reply to an
        # old one (its thread comes back whole), and no second page.
        self.server.received.clear()
        self.serve(THREADS_PATH, youtube_reply("youtube_threads_newer.json"))
        self.assertEqual(self.poll(self.youtube), {"created": 2, "duplicates": 3, "errors": 0})
        self.assertEqual(self.requests(), [None])
        stored = self.stored(self.youtube)
        self.assertEqual(len(stored), 7)
        self.assertEqual(self.values(stored["UgzAcmeFan0001.A3"])["parent"], "UgzAcmeFan0001")
        self.assertEqual(stored["UgzNewer0005"].profile_id, stored["UgzAcmeFan0001.A1"].profile_id, "one author")
        self.assertEqual(self.cursor(), {"since": "2024-11-03T07:00:00Z", "since_ids": ["UgzNewer0005"]})
        self.assertEqual(self.youtube.youtube_quota_used, 3)

    def test_daily_budget_stops_polling_and_the_next_day_resumes(self):
        self.youtube.write({"youtube_daily_budget": 3})
        self.youtube.sudo().write({"youtube_quota_date": self.today(), "youtube_quota_used": 2})
        self.serve_pages("youtube_threads_page1.json", "youtube_threads_page2.json")
        self.assertEqual(self.poll(self.youtube), {"created": 4, "duplicates": 0, "errors": 0})
        self.assertEqual(self.requests(), [None], "one unit was left: one call")
        self.assertEqual(self.youtube.youtube_quota_used_today, 3)
        warning = ("The daily budget of 3 YouTube API units of this source is used up: "
                   "polling resumes where it stopped after midnight, Pacific time.")
        self.assertEqual(self.youtube.last_poll_warning, warning)
        self.assertEqual(self.youtube.last_poll_warning_count, 0)
        self.assertFalse(self.youtube.last_error)
        cursor = self.cursor()
        self.assertEqual(cursor["page"], "PAGE2")

        # the same day, nothing is sent
        self.server.received.clear()
        self.assertEqual(self.poll(self.youtube), {"created": 0, "duplicates": 0, "errors": 0})
        self.assertEqual(self.server.received, [])
        self.assertEqual((self.cursor(), self.youtube.last_poll_warning), (cursor, warning))

        # the next day, polling resumes on the page where it stopped
        self.youtube.sudo().youtube_quota_date = self.today() - timedelta(days=1)
        self.assertEqual(self.youtube.youtube_quota_used_today, 0)
        self.assertEqual(self.poll(self.youtube), {"created": 1, "duplicates": 0, "errors": 1})
        self.assertEqual(self.requests(), ["PAGE2"])
        self.assertEqual((self.youtube.youtube_quota_date, self.youtube.youtube_quota_used), (self.today(), 1))
        self.assertEqual(self.cursor(), {"since": "2024-11-02T10:15:00Z", "since_ids": ["UgzAcmeFan0001"]})
        self.assertNotIn("budget", self.youtube.last_poll_warning)

    def test_fetch_now_says_the_budget_is_spent(self):
        self.youtube.sudo().write({"youtube_quota_date": self.today(), "youtube_quota_used": 100})
        params = self.youtube.action_poll_now()["params"]
        self.assertEqual((params["type"], params["message"]), ("warning", (
            "0 new mentions, 0 already known, 0 failed.\nThe daily budget of 100 YouTube API units of this source "
            "is used up: polling resumes where it stopped after midnight, Pacific time.")))
        self.assertEqual(self.server.received, [])

    def test_quota_exceeded_is_a_poll_error_that_keeps_the_cursor(self):
        self.serve(THREADS_PATH, youtube_reply("youtube_threads_page1.json"),
                   youtube_reply("youtube_error_quota.json", 403))
        self.assertEqual(self.poll(self.youtube), {"created": 4, "duplicates": 0, "errors": 0})
        self.assertEqual(self.youtube.last_error, (
            "YouTube answered HTTP 403 (quotaExceeded): the API quota of the Google Cloud project is used up for "
            "today. Polling resumes where it stopped after midnight, Pacific time."))
        self.assertEqual(self.requests(), [None, "PAGE2"], "a 403 is not retried")
        self.assertEqual(self.cursor()["page"], "PAGE2", "the cursor of the stored page")
        self.assertEqual(self.youtube.youtube_quota_used_today, 2, "a refused call costs a unit too")

        self.server.received.clear()
        self.serve(THREADS_PATH, youtube_reply("youtube_threads_page2.json"))
        self.assertEqual(self.poll(self.youtube), {"created": 1, "duplicates": 0, "errors": 1})
        self.assertEqual(self.requests(), ["PAGE2"])
        self.assertFalse(self.youtube.last_error)
        self.assertEqual(len(self.stored(self.youtube)), 5)

    def test_bad_api_key(self):
        self.serve(THREADS_PATH, youtube_reply("youtube_error_key.json", 400))
        self.assertEqual(self.poll(self.youtube), {"created": 0, "duplicates": 0, "errors": 0})
        self.assertEqual(self.youtube.last_error, (
            "YouTube refused the API key (HTTP 400: API key not valid. Please pass a valid API key). Check the "
            "API key of the source and that the YouTube Data API v3 is enabled for its project."))
        self.assertNotIn(API_KEY, self.youtube.last_error)
        self.assertEqual(self.requests(), [None])
        self.assertFalse(self.youtube.cursor)
        self.assertEqual(self.youtube.youtube_quota_used_today, 1)
        self.assertFalse(self.stored(self.youtube))

    def test_expired_page_token_reads_again_from_the_newest_thread(self):
        self.youtube.sudo().cursor = json.dumps({"page": "STALE", "since": "2024-11-01T00:00:00Z", "since_ids": []})
        self.serve(THREADS_PATH, youtube_reply("youtube_error_page_token.json", 400),
                   youtube_reply("youtube_threads_page1.json"), youtube_reply("youtube_threads_page2.json"))
        self.assertEqual(self.poll(self.youtube), {"created": 5, "duplicates": 0, "errors": 1})
        self.assertEqual(self.requests(), ["STALE", None, "PAGE2"])
        self.assertEqual(self.youtube.youtube_quota_used_today, 3)

    def test_server_errors_are_retried_within_the_budget(self):
        self.youtube.write({"youtube_daily_budget": 2})
        self.serve(THREADS_PATH, Reply(503, b"{}"), Reply(503, b"{}"), youtube_reply("youtube_threads_page1.json"))
        self.assertEqual(self.poll(self.youtube), {"created": 0, "duplicates": 0, "errors": 0})
        self.assertEqual(self.youtube.last_error, (
            "The daily budget of 2 YouTube API units of this source was reached while retrying a failed call; "
            "polling resumes where it stopped after midnight, Pacific time."))
        self.assertEqual(len(self.server.received), 2, "no call beyond the budget")
        self.assertEqual(self.waits, [1.0, 2.0], "the back-off of the two retries")
        self.assertEqual(self.youtube.youtube_quota_used_today, 2)

    def test_settings_checked_before_any_call(self):
        self.youtube.youtube_channel_id = "acme"
        self.poll(self.youtube)
        self.assertIn("'acme' is not a YouTube channel id", self.youtube.last_error)
        self.youtube.write({"youtube_channel_id": CHANNEL, "youtube_api_key": False})
        self.poll(self.youtube)
        self.assertEqual(self.youtube.last_error, "The YouTube source needs a value for 'api_key'.")
        self.assertEqual(self.server.received, [])
        self.assertEqual(self.youtube.youtube_quota_used_today, 0)
