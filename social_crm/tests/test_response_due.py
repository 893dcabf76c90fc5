"""Response deadlines in business hours: the source team's working hours (else the company's), its
leaves, its time zone; breaches when answered late or left unanswered; the response-time report."""
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import FR, MO, relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import SocialCrmCommon, save_settings


def utc_naive(tz_name, day, hour, minute=0):
    """``day`` at ``hour:minute`` in ``tz_name``, as naive UTC (how Odoo stores datetimes)."""
    local = pytz.timezone(tz_name).localize(datetime.combine(day, time(hour, minute)))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestResponseDue(SocialCrmCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's standard 40 hours: Monday to Friday 8-12 and 13-17 (the defaults of a new calendar)
        cls.calendar = cls.env["resource.calendar"].create({"name": "Service desk UTC", "tz": "UTC"})
        cls.company.resource_calendar_id = cls.calendar
        cls.team = cls.env["crm.team"].create({"name": "Social care"})
        cls.source = cls.env["social.source"].create(
            {"name": "Due hook", "source_type": "webhook", "network": "x"})
        cls.team_source = cls.env["social.source"].create(
            {"name": "Team hook", "source_type": "webhook", "network": "x", "team_id": cls.team.id})
        cls.Mention = cls.env["social.mention"]
        # a Friday four weeks ago, the Monday after it: any run date
        today = fields.Date.today()
        cls.friday = today + relativedelta(weeks=-4, weekday=FR(-1))
        cls.monday = cls.friday + relativedelta(weekday=MO(+1))
        save_settings(cls.env, social_crm_response_target_hours=4.0)

    def mention(self, external_id, posted_at, source=None, **extra):
        return self.Mention.create({
            "source_id": (source or self.source).id, "network": "x", "external_id": external_id,
            "author_handle": "due_author", "body": "Where is my parcel?", "posted_at": posted_at, **extra})

    def test_friday_evening_is_due_monday_noon(self):
        mention = self.mention("fri", datetime.combine(self.friday, time(17, 0)))
        self.assertEqual(mention.response_due_at, datetime.combine(self.monday, time(12, 0)))

    def test_lunch_break_and_weekend(self):
        # Friday 15:30 + 4 h: 1.5 h on Friday, 2.5 h on Monday morning
        mention = self.mention("fri1530", datetime.combine(self.friday, time(15, 30)))
        self.assertEqual(mention.response_due_at, datetime.combine(self.monday, time(10, 30)))
        # Saturday noon: counted from Monday 8:00
        saturday = self.mention("sat", datetime.combine(self.friday + timedelta(days=1), time(12, 0)))
        self.assertEqual(saturday.response_due_at, datetime.combine(self.monday, time(12, 0)))
        # Monday 11:00 + 4 h: 1 h before lunch, 3 h after
        monday = self.mention("mon", datetime.combine(self.monday, time(11, 0)))
        self.assertEqual(monday.response_due_at, datetime.combine(self.monday, time(16, 0)))

    def test_holiday_of_the_calendar_is_skipped(self):
        self.env["resource.calendar.leaves"].create({
            "name": "Bank holiday", "calendar_id": self.calendar.id, "resource_id": False,
            "date_from": datetime.combine(self.monday, time(0, 0)),
            "date_to": datetime.combine(self.monday, time(23, 59, 59))})
        mention = self.mention("holiday", datetime.combine(self.friday, time(17, 0)))
        self.assertEqual(mention.response_due_at, datetime.combine(self.monday + timedelta(days=1), time(12, 0)))

    def test_time_zone_of_the_calendar(self):
        self.calendar.tz = "America/New_York"
        # Friday 16:00 in New York (21:00 or 20:00 UTC): 1 h on Friday, 3 h on Monday, i.e. 11:00 there
        posted = utc_naive("America/New_York", self.friday, 16)
        mention = self.mention("ny", posted)
        self.assertEqual(mention.response_due_at, utc_naive("America/New_York", self.monday, 11))
        # the same instant on a Tokyo calendar is Saturday 5:00 or 6:00 there: Monday 12:00 in Tokyo
        self.calendar.tz = "Asia/Tokyo"
        tokyo = self.mention("tokyo", posted)
        self.assertEqual(tokyo.response_due_at, utc_naive("Asia/Tokyo", self.monday, 12))

    def test_team_hours_and_target_come_first(self):
        night = self.env["resource.calendar"].create({
            "name": "Late shift", "tz": "UTC", "attendance_ids": [(5, 0, 0)] + [
                (0, 0, {"name": f"Day {day}", "dayofweek": str(day), "hour_from": 18, "hour_to": 22})
                for day in range(7)]})
        self.team.write({"resource_calendar_id": night.id, "social_response_hours": 2.0})
        posted = datetime.combine(self.friday, time(21, 0))
        team_mention = self.mention("team", posted, source=self.team_source)
        company_mention = self.mention("company", posted)
        # 1 h on Friday evening, 1 h on Saturday evening
        self.assertEqual(team_mention.response_due_at, datetime.combine(self.friday + timedelta(days=1), time(19, 0)))
        self.assertEqual(company_mention.response_due_at, datetime.combine(self.monday, time(12, 0)))
        # without its own target the team uses the setting's (4 h): Friday 1 h, Saturday 3 h
        self.team.social_response_hours = 0
        default_target = self.mention("team2", posted, source=self.team_source)
        self.assertEqual(default_target.response_due_at,
                         datetime.combine(self.friday + timedelta(days=1), time(21, 0)))

    def test_batch_matches_plan_hours(self):
        """The batch computation answers what resource.calendar.plan_hours answers for each mention."""
        self.env["resource.calendar.leaves"].create({
            "name": "Afternoon off", "calendar_id": self.calendar.id, "resource_id": False,
            "date_from": datetime.combine(self.monday, time(13, 0)),
            "date_to": datetime.combine(self.monday, time(17, 0))})
        self.calendar.tz = "Europe/Brussels"
        start = datetime.combine(self.friday - timedelta(days=2), time(5, 17))
        times = [start + timedelta(minutes=97 * step) for step in range(120)]  # about 8 days, every hour or so
        for hours in (0.5, 4.0, 13.25, 45.0):
            with self.subTest(hours=hours):
                planned = self.calendar._social_plan_hours_batch(hours, times)
                expected = [self.calendar.plan_hours(hours, dt, compute_leaves=True).replace(microsecond=0)
                            for dt in times]
                self.assertEqual(planned, expected)

    def test_kept_working_time_matches_plan_hours(self):
        """As superuser (ingestion), the working time of each day is kept per process: the deadlines
        are still those of resource.calendar.plan_hours, across days, weekends, leaves and time zones."""
        self.env["resource.calendar.leaves"].create({
            "name": "Morning off", "calendar_id": self.calendar.id, "resource_id": False,
            "date_from": datetime.combine(self.monday, time(14, 0)),
            "date_to": datetime.combine(self.monday, time(16, 30))})
        self.calendar.tz = "America/New_York"
        start = datetime.combine(self.friday - timedelta(days=3), time(23, 41))
        times = [start + timedelta(minutes=61 * step) for step in range(200)]  # about 8 days
        calendar = self.calendar.sudo()
        for hours in (0.25, 4.0, 30.5):
            with self.subTest(hours=hours):
                expected = [self.calendar.plan_hours(hours, dt, compute_leaves=True).replace(microsecond=0)
                            for dt in times]
                self.assertEqual(calendar._social_plan_hours_batch(hours, times), expected)
                # and again from what was kept, a few at a time
                self.assertEqual([due for index in range(0, len(times), 7)
                                  for due in calendar._social_plan_hours_batch(hours, times[index:index + 7])],
                                 expected)

    def test_changes_of_working_time_apply_to_the_next_batch(self):
        """A leave, working hours or a time zone changed after a batch count for the next one, though
        ingestion keeps the working time of its calendars per process."""
        posted = datetime.combine(self.monday, time(9, 0))
        self.assertEqual(self.mention("keep1", posted).response_due_at, datetime.combine(self.monday, time(14, 0)))
        leave = self.env["resource.calendar.leaves"].create({
            "name": "Closed", "calendar_id": self.calendar.id, "resource_id": False,
            "date_from": datetime.combine(self.monday, time(0, 0)),
            "date_to": datetime.combine(self.monday, time(23, 59, 59))})
        tuesday = self.monday + timedelta(days=1)
        self.assertEqual(self.mention("keep2", posted).response_due_at, datetime.combine(tuesday, time(12, 0)))
        self.calendar.attendance_ids.filtered(
            lambda attendance: attendance.dayofweek == "1" and attendance.hour_from == 8).hour_from = 10
        self.assertEqual(self.mention("keep3", posted).response_due_at, datetime.combine(tuesday, time(15, 0)))
        leave.unlink()
        self.assertEqual(self.mention("keep4", posted).response_due_at, datetime.combine(self.monday, time(14, 0)))
        self.calendar.tz = "Europe/Brussels"  # 9:00 UTC is 10:00 or 11:00 there: due at 14:00 or 15:00 there
        due = self.mention("keep5", posted).response_due_at
        self.assertEqual(due, utc_naive("Europe/Brussels", self.monday, 15 if utc_naive(
            "Europe/Brussels", self.monday, 10) == posted else 16))

    def test_answered_late_or_in_time(self):
        posted = datetime.combine(self.monday, time(9, 0))
        late, in_time = self.mention("late", posted), self.mention("in_time", posted)
        due = datetime.combine(self.monday, time(14, 0))
        self.assertEqual((late.response_due_at, in_time.response_due_at), (due, due))
        late.write({"replied_at": due + timedelta(minutes=1), "state": "answered"})
        in_time.write({"replied_at": due, "state": "answered"})
        self.assertEqual((late.response_breached, in_time.response_breached), (True, False))

    def test_cron_marks_overdue_unanswered(self):
        posted = datetime.combine(self.monday, time(9, 0))  # due Monday 14:00
        with freeze_time(datetime.combine(self.monday, time(9, 30))):
            waiting, ignored, answered = (self.mention(f"w{i}", posted) for i in range(3))
            ignored.state = "ignored"
            answered.write({"replied_at": fields.Datetime.now(), "state": "answered"})
            self.assertEqual((waiting | ignored | answered).mapped("response_breached"), [False] * 3)
            self.assertEqual(self.Mention._cron_mark_response_breaches(), 0)
        with freeze_time(datetime.combine(self.monday, time(14, 1))):
            self.assertEqual(self.Mention._cron_mark_response_breaches(), 1)
        self.assertEqual([waiting.response_breached, ignored.response_breached, answered.response_breached],
                         [True, False, False])

    def test_created_past_its_deadline_is_breached_at_once(self):
        with freeze_time(datetime.combine(self.monday + timedelta(days=1), time(9, 0))):
            old = self.mention("old", datetime.combine(self.monday, time(9, 0)))
            fresh = self.mention("fresh", datetime.combine(self.monday + timedelta(days=1), time(8, 30)))
        self.assertEqual((old.response_breached, fresh.response_breached), (True, False))

    def test_ingestion_computes_deadlines_in_batch(self):
        """No query per mention: 100 ingested mentions cost what 5 cost, plus a margin."""
        posted = datetime.combine(self.friday, time(17, 0))

        def ingest(prefix, count):
            items = [{"id": f"{prefix}{i}", "text": "Hello", "author": {"handle": f"{prefix}_{i}"},
                      "posted_at": (posted + timedelta(hours=i)).isoformat() + "Z"} for i in range(count)]
            before = self.cr.sql_log_count
            mentions = self.Mention._ingest(self.team_source, items)["mentions"]
            return self.cr.sql_log_count - before, self.Mention.browse([m.id for m in mentions.values()])

        ingest("warm", 2)
        small, _mentions = ingest("small", 5)
        big, mentions = ingest("big", 100)
        self.assertLessEqual(big, small + 5)
        self.assertEqual(mentions[0].response_due_at, datetime.combine(self.monday, time(12, 0)))
        self.assertEqual(len(mentions.filtered("response_due_at")), 100)


@tagged("post_install", "-at_install")
class TestResponseTimeReport(SocialCrmCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create({"name": "Around the clock", "tz": "UTC",
                                                            "attendance_ids": [(5, 0, 0)] + [
            (0, 0, {"name": f"Day {day}", "dayofweek": str(day), "hour_from": 0, "hour_to": 24})
            for day in range(7)]})
        cls.team = cls.env["crm.team"].create(
            {"name": "Report team", "resource_calendar_id": cls.calendar.id, "social_response_hours": 5.0})
        cls.source = cls.env["social.source"].create(
            {"name": "Report hook", "source_type": "webhook", "network": "mastodon", "team_id": cls.team.id})

    def test_in_time_share_median_and_90th_percentile(self):
        posted = fields.Datetime.now().replace(microsecond=0) - timedelta(days=3)
        Mention = self.env["social.mention"]
        mentions = Mention.create([{
            "source_id": self.source.id, "network": "mastodon", "external_id": f"r{i}",
            "author_handle": f"@user{i}@example.social", "posted_at": posted} for i in range(6)])
        # answered after 1, 2, 3, 4 and 10 hours (target 5 h: the last one is late); one still open
        for mention, hours in zip(mentions, (1, 2, 3, 4, 10), strict=False):
            mention.write({"replied_at": posted + timedelta(hours=hours), "state": "answered"})
        Mention._cron_mark_response_breaches()  # the open one is 3 days past its 5 hours
        Report = self.env["social.mention.sla.report"]
        groups = Report._read_group(
            [("team_id", "=", self.team.id)], ["team_id"],
            ["mention_count:sum", "answered_count:sum", "breached_count:sum", "in_time_rate:avg",
             "response_hours_median:avg", "response_hours_p90:avg"])
        self.assertEqual(len(groups), 1)
        team, count, answered, late, in_time, median, p90 = groups[0]
        self.assertEqual((team, count, answered, late), (self.team, 6, 5, 2))
        self.assertAlmostEqual(in_time, 400 / 6)  # 4 in time among 6 answered or past their deadline
        self.assertAlmostEqual(median, 3.0)
        self.assertAlmostEqual(p90, 7.6)  # between 4 and 10 h, as percentile_cont interpolates
        by_network = Report._read_group([("team_id", "=", self.team.id)], ["network", "posted_at:week"],
                                        ["response_hours_median:avg"])
        self.assertEqual([(network, median) for network, _week, median in by_network], [("mastodon", 3.0)])
