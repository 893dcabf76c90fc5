from odoo.addons.base.tests.common import BaseCommon


class SocialCrmCommon(BaseCommon):
    """Contacts with e-mails and phones, and their profiles, shared by the social_crm tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.us")
        cls.ann, cls.bob, cls.carl, cls.carl_twin = cls.env["res.partner"].create([
            {"name": "Ann Test", "email": "Ann.Test@Example.com", "phone": "+1 415 555 0177"},
            {"name": "Bob Test", "email": "bob.test@example.com", "phone": "(212) 555-0166",
             "country_id": cls.env.ref("base.us").id},
            {"name": "Carl Test", "email": "carl@example.com"},
            {"name": "Carl Twin", "email": "carl@example.com"},
        ])
        cls.ann_x = cls.env["social.profile"].create(
            {"partner_id": cls.ann.id, "network": "x", "handle": "@Ann_Test", "followers": 10})
