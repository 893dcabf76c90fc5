from odoo import fields, models
from odoo.exceptions import ValidationError

from odoo.addons.social_crm.tools.settings import Setting

from ..lib import sentiment

POSITIVE_THRESHOLD = Setting("social_crm_reputation.positive_threshold", float, sentiment.POSITIVE_THRESHOLD,
                             minimum=-1.0, maximum=1.0)
NEGATIVE_THRESHOLD = Setting("social_crm_reputation.negative_threshold", float, sentiment.NEGATIVE_THRESHOLD,
                             minimum=-1.0, maximum=1.0)
HALF_LIFE_DAYS = Setting("social_crm_reputation.half_life_days", float, 90.0, positive=True)
HIGH_VALUE_THRESHOLD = Setting("social_crm_reputation.high_value_threshold", float, 10000.0, minimum=0.0)
ALERT_REACH_THRESHOLD = Setting("social_crm_reputation.alert_reach_threshold", int, 10000, positive=True)
ALERT_SPIKE_P_VALUE = Setting("social_crm_reputation.alert_spike_p_value", float, 0.01, positive=True, maximum=1.0)
ANECDOTAL_MIN_CUSTOMERS = Setting("social_crm_reputation.anecdotal_min_customers", int, 30, minimum=0)
ANECDOTAL_MIN_SHARE = Setting("social_crm_reputation.anecdotal_min_share", float, 0.05, minimum=0.0, maximum=1.0)
AGREEMENT_MIN_CORRECTIONS = Setting("social_crm_reputation.agreement_min_corrections", int, 20, positive=True)
AGREEMENT_LOW_BELOW = Setting("social_crm_reputation.agreement_low_below", float, 0.7, positive=True, maximum=1.0)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    social_crm_positive_threshold = POSITIVE_THRESHOLD.field(
        fields.Float, string="Positive From", digits=(16, 3),
        help="VADER compound score (from -1 to 1) at or above which a mention is positive.")
    social_crm_negative_threshold = NEGATIVE_THRESHOLD.field(
        fields.Float, string="Negative Up To", digits=(16, 3),
        help="VADER compound score (from -1 to 1) at or below which a mention is negative; between the two "
             "thresholds a mention is neutral.")
    social_crm_half_life_days = HALF_LIFE_DAYS.field(
        fields.Float, string="Half-life (days)", digits=(16, 1),
        help="Age in days at which a mention weighs half as much in a customer's reputation.")
    social_crm_high_value_threshold = HIGH_VALUE_THRESHOLD.field(
        fields.Float, string="High Value From", digits=(16, 2),
        help="Confirmed sales of the last 12 months (untaxed, in the company's currency) from which a customer "
             "is high value, for the segment \"high value with a negative reputation\".")
    social_crm_alert_reach_threshold = ALERT_REACH_THRESHOLD.field(
        fields.Integer, string="Loud Negative From (followers)",
        help="A negative mention whose author has at least this many followers raises an alert.")
    social_crm_alert_spike_p_value = ALERT_SPIKE_P_VALUE.field(
        fields.Float, string="Spike Probability", digits=(16, 4),
        help="A day's count of negative mentions is a spike when an ordinary day of the source gives it with a "
             "probability below this (0.01: once in a hundred days). Lower: fewer, surer alerts.")
    social_crm_anecdotal_min_customers = ANECDOTAL_MIN_CUSTOMERS.field(
        fields.Integer, string="Anecdotal Below (customers)",
        help="A figure resting on fewer distinct customers than this is flagged as anecdotal.")
    social_crm_anecdotal_min_share = ANECDOTAL_MIN_SHARE.field(
        fields.Float, string="Anecdotal Below (share of customers)",
        help="A figure whose customers are a smaller share of the active customer base (customers with a sale "
             "confirmed in the last 12 months) than this is flagged as anecdotal.")

    social_crm_agreement_min_corrections = AGREEMENT_MIN_CORRECTIONS.field(
        fields.Integer, string="Measured From (corrections)",
        help="The engine's agreement with the team on a language and network is measured once the team "
             "corrected at least this many of its mentions; below, reports say it is not measured yet. An engine "
             "for another language is enabled only once measured on at least this many labelled texts.")
    social_crm_agreement_low_below = AGREEMENT_LOW_BELOW.field(
        fields.Float, string="Low Agreement Below",
        help="The engine's agreement with the team is low when even the upper bound of its 95 % Wilson "
             "interval is below this: reports then say that the figures resting on it are unreliable. An engine "
             "for another language is enabled only with a measured accuracy of at least this.")

    social_crm_brand_keywords = fields.Char(
        related="company_id.social_brand_keywords", readonly=False, string="Own Brand Keywords")

    def set_values(self):
        if self.social_crm_negative_threshold > self.social_crm_positive_threshold:
            raise ValidationError(self.env._(
                "The negative sentiment threshold (%(negative)s) cannot be above the positive one (%(positive)s).",
                negative=self.social_crm_negative_threshold, positive=self.social_crm_positive_threshold))
        return super().set_values()
