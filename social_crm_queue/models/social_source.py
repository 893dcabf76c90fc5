import logging

from odoo import models

from odoo.addons.queue_job.job import identity_exact

from ..jobs import JOBS_CONTEXT_KEY, jobs_enabled, try_lock

_logger = logging.getLogger(__name__)


class SocialSource(models.Model):
    _inherit = "social.source"

    def _poll_due_sources(self, batch_size=10):
        """One job per due source, on the channel *root.social.poll*: the job workers of every
        server poll several sources at once. A source whose poll is waiting in the queue already
        gets no second one (identity key); ``batch_size`` does not apply, all due sources are queued."""
        if not jobs_enabled(self.env):
            return super()._poll_due_sources(batch_size=batch_size)
        for source in self:
            source.with_delay(identity_key=identity_exact, description=self.env._(
                "Poll %(name)s", name=source.display_name))._poll_job()
        return len(self)

    def _poll_job(self):
        """The job polling one source, in one transaction: what it ingested is kept when it ends, and
        a worker dying half-way leaves nothing behind (the job is run again from the stored cursor).
        A poll of the same source still running elsewhere makes it end at once. The after-work of
        its pages is done in it: it runs in the background already, a job more would only add the
        queue's own cost to each page."""
        self.ensure_one()
        source = self.with_context(**{JOBS_CONTEXT_KEY: False}).exists()
        if not source:
            return "source deleted"
        if not try_lock(source):
            _logger.info("Source %s (#%s) is being polled by another job: skipped", source.name, source.id)
            return "polled by another job at this moment"
        result = source._poll()
        return "{created} new, {duplicates} known, {errors} failed".format(**result)

    def _stream_store(self, items, deleted_ids, status):
        """A live stream's batches keep their after-work (series, alerts, points) inline: the stream
        command is a background process already, and an alert raised at stream speed must not wait
        for a job worker. The queue would only add its own delay to every batch of a few posts."""
        return super(SocialSource, self.with_context(**{JOBS_CONTEXT_KEY: False}))._stream_store(
            items, deleted_ids, status)

