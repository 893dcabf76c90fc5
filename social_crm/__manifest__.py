{
    "name": "Social CRM",
    "summary": "Social profiles on contacts, a mention stream matched to customers, "
    "an inbox to answer it and leads from buying signals",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "Social CRM for Odoo contributors",
    "website": "https://github.com/social-crm-odoo/social-crm",
    "development_status": "Alpha",
    "depends": ["mail", "utm", "phone_validation", "sms", "crm", "sale_crm"],
    "external_dependencies": {"python": ["requests", "phonenumbers"]},
    "data": [
        "security/social_crm_groups.xml",
        "security/ir.model.access.csv",
        "security/social_profile_security.xml",
        "views/social_profile_views.xml",
        "views/social_merge_suggestion_views.xml",
        "views/res_partner_views.xml",
        "views/social_crm_menus.xml",
    ],
    "demo": [
        "demo/social_profile_demo.xml",
    ],
    "installable": True,
    "application": True,
}
