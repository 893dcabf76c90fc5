"""The reputation block of the Settings screen: what it stores is what scoring, reputation, alerts
and reports read."""
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.social_crm.tests.common import save_settings

from ..models.res_config_settings import ALERT_SPIKE_P_VALUE
from .common import VERY_NEGATIVE, ReputationCommon


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationSettings(ReputationCommon):

    def setUp(self):
        super().setUp()
        self.params = self.env["ir.config_parameter"].sudo()

    def test_screen_shows_the_defaults(self):
        for key in ("positive_threshold", "negative_threshold", "half_life_days", "high_value_threshold",
                    "alert_reach_threshold", "alert_spike_p_value", "anecdotal_min_customers", "anecdotal_min_share",
                    "agreement_min_corrections", "agreement_low_below"):
            self.params.set_param(f"social_crm_reputation.{key}", False)
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(
            (settings.social_crm_positive_threshold, settings.social_crm_negative_threshold,
             settings.social_crm_half_life_days, settings.social_crm_high_value_threshold,
             settings.social_crm_alert_reach_threshold, settings.social_crm_alert_spike_p_value,
             settings.social_crm_anecdotal_min_customers, settings.social_crm_anecdotal_min_share,
             settings.social_crm_agreement_min_corrections, settings.social_crm_agreement_low_below),
            (0.05, -0.05, 90.0, 10000.0, 10000, 0.01, 30, 0.05, 20, 0.7))

    def test_sentiment_thresholds(self):
        mention = self._mentions((self.ann, "It is ok I guess."))
        score = mention.sentiment_score
        self.assertEqual(mention.sentiment_label, "positive")
        save_settings(self.env, social_crm_positive_threshold=score + 0.01)
        self.assertAlmostEqual(float(self.params.get_param("social_crm_reputation.positive_threshold")),
                               score + 0.01, places=3)
        mention.action_rescore_sentiment()
        self.assertEqual(mention.sentiment_label, "neutral")
        # 0 is a threshold, not "unset": Odoo would drop the parameter and the default would apply
        save_settings(self.env, social_crm_positive_threshold=0, social_crm_negative_threshold=0)
        self.assertEqual((self.params.get_param("social_crm_reputation.positive_threshold"),
                          self.params.get_param("social_crm_reputation.negative_threshold")), ("0", "0"))
        self.assertEqual(self.Mention._sentiment_thresholds(), (0.0, 0.0))
        self.assertEqual(Form(self.env["res.config.settings"]).social_crm_negative_threshold, 0.0)

    def test_thresholds_refused_when_they_make_no_sense(self):
        with self.assertRaises(ValidationError) as caught:
            save_settings(self.env, social_crm_positive_threshold=0.2, social_crm_negative_threshold=0.5)
        self.assertEqual(str(caught.exception),
                         "The negative sentiment threshold (0.5) cannot be above the positive one (0.2).")
        with self.assertRaises(ValidationError) as caught:
            save_settings(self.env, social_crm_positive_threshold=1.5)
        self.assertEqual(str(caught.exception), "Positive From must be a number between -1.0 and 1.0.")
        with self.assertRaises(ValidationError) as caught:
            save_settings(self.env, social_crm_half_life_days=0)
        self.assertEqual(str(caught.exception), "Half-life (days) must be a number above 0.")
        self.assertEqual(self.params.get_param("social_crm_reputation.half_life_days"), "90", "nothing saved")

    def test_customer_reputation(self):
        save_settings(self.env, social_crm_half_life_days=30, social_crm_high_value_threshold=500)
        self.assertEqual(self.Partner._social_reputation_prior(refresh=True)["half_life"], 30.0)
        self.assertEqual(self.Partner._social_high_value_threshold(), 500.0)
        self.assertIn(("social_customer_value", ">=", 500.0), self.Partner._social_high_value_negative_domain())

    def test_alerts(self):
        self.source.user_id = self.env.ref("base.user_admin")
        save_settings(self.env, social_crm_alert_reach_threshold=100, social_crm_alert_spike_p_value=0.05)
        self.assertEqual(ALERT_SPIKE_P_VALUE.read(self.env), 0.05)
        Alert = self.env["social.reputation.alert"]

        def loud_alerts(mentions):
            Alert._detect_for_mentions(mentions)
            return Alert.search([("mention_id", "in", mentions.ids), ("kind", "=", "high_reach_negative")])

        loud = self._mentions((self.ann, VERY_NEGATIVE, 0, 150))
        self.assertEqual(loud_alerts(loud).mention_id, loud, "150 followers are loud from 100")
        save_settings(self.env, social_crm_alert_reach_threshold=1000)
        self.assertFalse(loud_alerts(self._mentions((self.bob, VERY_NEGATIVE, 0, 150))))

    def test_anecdotal_limits(self):
        mentions = self._mentions((self.ann, "I love it!"), (self.bob, "Awful."))
        domain = [("id", "in", mentions.ids)]
        self.assertTrue(self.Mention.get_representativeness(domain)["anecdotal"])
        save_settings(self.env, social_crm_anecdotal_min_customers=2, social_crm_anecdotal_min_share=0)
        self.assertEqual((self.params.get_param("social_crm_reputation.anecdotal_min_customers"),
                          self.params.get_param("social_crm_reputation.anecdotal_min_share")), ("2", "0"))
        self.assertEqual(self.Mention._anecdotal_limits(), {"min_customers": 2, "min_share": 0.0})
        self.assertFalse(self.Mention.get_representativeness(domain)["anecdotal"])
        save_settings(self.env, social_crm_anecdotal_min_customers=3)
        self.assertTrue(self.Mention.get_representativeness(domain)["anecdotal"])

    def test_bad_stored_value_names_the_parameter(self):
        self.params.set_param("social_crm_reputation.anecdotal_min_share", "5%")
        with self.assertRaises(UserError) as caught:
            self.Mention.get_representativeness([])
        self.assertEqual(str(caught.exception), "The system parameter social_crm_reputation.anecdotal_min_share "
                                                "must be a number between 0.0 and 1.0, not '5%'.")
