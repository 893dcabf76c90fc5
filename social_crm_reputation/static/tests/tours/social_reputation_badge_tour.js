import { registry } from "@web/core/registry";

/**
 * On a contact, the reputation's smart button and the Social tab read the same rounded score,
 * the mentions it rests on and the trend with its sign and unit; the customer value has its
 * currency.
 */
registry.category("web_tour.tours").add("social_reputation_badge_tour", {
    steps: () => [
        {
            content: "The smart button: the rounded score",
            trigger:
                ".o_form_view button[name='action_view_social_reputation_mentions'] .o_stat_value:contains(/^\\s*62\\/100\\s*$/)",
        },
        {
            content: "The smart button: the evidence and the signed trend",
            trigger:
                ".o_form_view button[name='action_view_social_reputation_mentions'] .o_stat_text:contains('32 mentions ▲ +10.9 pts')",
        },
        {
            content: "Open the Social tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Social')",
            run: "click",
        },
        {
            content: "The tab reads the same badge",
            trigger:
                ".o_form_view .o_field_widget[name='social_reputation_badge']:contains('62/100 · 32 mentions ▲ +10.9 pts')",
        },
        {
            content: "The customer value with its currency",
            trigger: ".o_form_view .o_field_widget.o_field_monetary[name='social_customer_value']:contains('12,500.00')",
        },
        {
            content: "No unrounded score on the tab",
            trigger: ".o_form_view:not(:has(.o_field_widget[name='social_reputation_score']))",
        },
    ],
});
