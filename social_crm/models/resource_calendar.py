from bisect import bisect_left, bisect_right
from datetime import timedelta

from pytz import utc

from odoo import models

PLAN_WINDOW = timedelta(days=14)
PLAN_MAX_WINDOWS = 100  # as resource.calendar.plan_hours: give up after about four years


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _social_plan_hours_batch(self, hours, datetimes):
        """``plan_hours(hours, dt, compute_leaves=True)`` for each of ``datetimes`` (naive UTC), in one
        pass: the calendar's work intervals (its time zone, its global leaves) are read once for the
        whole span, instead of once per date. Answer the naive UTC datetimes in the same order (``False``
        where the calendar has no working time left)."""
        self.ensure_one()
        if not datetimes:
            return []
        starts = [dt.replace(tzinfo=utc) for dt in datetimes]
        first, last = min(starts), max(starts)
        end = last
        for _window in range(PLAN_MAX_WINDOWS):
            end += PLAN_WINDOW
            intervals = [(start, stop) for start, stop, _meta in self._work_intervals_batch(first, end)[False]]
            if sum((stop - start).total_seconds() for start, stop in intervals if stop > last) >= hours * 3600:
                break
        # done[i]: working seconds before intervals[i]; stops: ends of the intervals, for the lookups
        done, total = [], 0.0
        for start, stop in intervals:
            done.append(total)
            total += (stop - start).total_seconds()
        stops = [stop for _start, stop in intervals]
        ends = [seconds + (stop - start).total_seconds()
                for seconds, (start, stop) in zip(done, intervals, strict=True)]
        planned = []
        for dt in starts:
            index = bisect_right(stops, dt)  # the first interval ending after dt
            if index == len(intervals):
                planned.append(False)
                continue
            start = intervals[index][0]
            target = done[index] + max((dt - start).total_seconds(), 0.0) + hours * 3600
            found = bisect_left(ends, target - 1e-6, lo=index)
            if found == len(intervals):
                planned.append(False)
                continue
            due = intervals[found][0] + timedelta(seconds=target - done[found])
            planned.append(due.astimezone(utc).replace(tzinfo=None, microsecond=0))
        return planned
