from bisect import bisect_left, bisect_right
from datetime import datetime, time, timedelta

from pytz import utc

from odoo import api, models, tools

PLAN_WINDOW = timedelta(days=14)
PLAN_MAX_WINDOWS = 100  # as resource.calendar.plan_hours: give up after about four years


def _drop_kept_intervals(env):
    """A calendar, its working hours or a leave changed: the work intervals each process keeps
    (:meth:`ResourceCalendar._social_work_intervals_of_days`) are dropped."""
    env.registry.clear_cache()


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        _drop_kept_intervals(self.env)
        return records

    def write(self, vals):
        result = super().write(vals)
        _drop_kept_intervals(self.env)
        return result

    def unlink(self):
        result = super().unlink()
        _drop_kept_intervals(self.env)
        return result


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        _drop_kept_intervals(self.env)
        return records

    def write(self, vals):
        result = super().write(vals)
        _drop_kept_intervals(self.env)
        return result

    def unlink(self):
        result = super().unlink()
        _drop_kept_intervals(self.env)
        return result


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        _drop_kept_intervals(self.env)
        return records

    def write(self, vals):
        result = super().write(vals)
        _drop_kept_intervals(self.env)
        return result

    def unlink(self):
        result = super().unlink()
        _drop_kept_intervals(self.env)
        return result

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
            intervals = self._social_work_intervals(first, end)
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

    def _social_work_intervals(self, start, end):
        """``[(start, stop)]`` (seconds since the epoch) of the work intervals of the calendar between
        the aware datetimes ``start`` and ``end``, its global leaves excluded: those of the whole UTC
        days around them, cut to ``[start, end]``. As superuser (ingestion plans every batch's
        deadlines), the days' intervals are kept per process until a calendar, its working hours or
        a leave changes."""
        self.ensure_one()
        if not self.env.su:  # the leaves read depend on the user's rights: not kept
            return [(lo.timestamp(), hi.timestamp()) for lo, hi, _meta in self._work_intervals_batch(start, end)[False]]
        first_day = datetime.combine(start.astimezone(utc).date(), time.min, utc)
        after_last_day = datetime.combine(end.astimezone(utc).date(), time.min, utc) + timedelta(days=1)
        low, high = start.timestamp(), end.timestamp()
        kept = self._social_work_intervals_of_days(first_day, after_last_day)
        return [(max(lo, low), min(hi, high)) for lo, hi in kept if hi > low and lo < high]

    @tools.ormcache("self.id", "first_day", "after_last_day", "self.env.context.get('employee_timezone')")
    def _social_work_intervals_of_days(self, first_day, after_last_day):
        """The work intervals of :meth:`_social_work_intervals` from ``first_day`` to ``after_last_day``
        (UTC midnights), as superuser."""
        return tuple((lo.timestamp(), hi.timestamp())
                     for lo, hi, _meta in self._work_intervals_batch(first_day, after_last_day)[False])

