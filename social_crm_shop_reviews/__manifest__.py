{
    "name": "Social CRM Shop Reviews",
    "summary": "Product reviews of the online shop as mentions: on the product, from the buyer, "
    "and the sentiment engine measured against the customers' stars",
    "version": "18.0.1.0.1",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "Social CRM for Odoo contributors",
    "website": "https://github.com/social-crm-odoo/social-crm",
    "development_status": "Alpha",
    "depends": ["social_crm_reputation", "website_sale"],
    "data": [
        "security/ir.model.access.csv",
        "security/social_review_agreement_security.xml",
        "views/social_mention_views.xml",
        "report/social_review_agreement_views.xml",
        "report/report_reputation_templates.xml",
    ],
    "demo": [
        "demo/shop_review_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "auto_install": True,
    "installable": True,
}
