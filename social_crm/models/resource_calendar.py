from bisect import bisect_left, bisect_right
from datetime import datetime, timedelta

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
            intervals = [(start.timestamp(), stop.timestamp())
                         for start, stop, _meta in self._work_intervals_batch(first, end)[False]]
            if sum(stop - start for start, stop in intervals if stop > last.timestamp()) >= hours * 3600:
                break
        # plain seconds since the epoch: comparing aware datetimes of several time zones is slow
        # done[i]: working seconds before intervals[i]; ends[i]: working seconds at its end
        done, ends, total = [], [], 0.0
        for start, stop in intervals:
            done.append(total)
            total += stop - start
            ends.append(total)
        stops = [stop for _start, stop in intervals]
        planned = []
        for dt in starts:
            moment = dt.timestamp()
            index = bisect_right(stops, moment)  # the first interval ending after dt
            if index == len(intervals):
                planned.append(False)
                continue
            target = done[index] + max(moment - intervals[index][0], 0.0) + hours * 3600
            found = bisect_left(ends, target - 1e-6, lo=index)
            if found == len(intervals):
                planned.append(False)
                continue
            due = intervals[found][0] + target - done[found]
            planned.append(datetime.fromtimestamp(round(due), utc).replace(tzinfo=None))
        return planned
