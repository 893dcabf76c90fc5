import { registry } from "@web/core/registry";

/**
 * A salesperson sees the top advocates and the redemptions to approve on the Social overview, and
 * opens the first advocate's contact.
 */
registry.category("web_tour.tours").add("social_crm_advocacy_overview_tour", {
    url: "/odoo/social-overview",
    steps: () => [
        {
            content: "The best advocate first, with the points earned",
            trigger: ".o_social_overview_advocates li:first-child:contains('Ann Tour'):contains('120 points')",
            timeout: 60000, // the first page of a loaded server builds its assets
        },
        {
            content: "then the second",
            trigger: ".o_social_overview_advocates li:nth-child(2):contains('Bob Tour'):contains('45 points')",
        },
        {
            content: "One redemption waits for approval",
            trigger: ".o_social_overview_counter[data-counter='redemptions']:contains('1')",
        },
        { content: "Open Ann", trigger: ".o_social_overview_advocate:contains('Ann Tour')", run: "click" },
        { content: "Her contact", trigger: ".o_form_view .o_field_widget[name='name'] input:value('Ann Tour')" },
    ],
});
