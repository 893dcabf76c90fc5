import { registry } from "@web/core/registry";

/**
 * A manager approves a requested redemption from Advocacy › Redemptions, marks it delivered, then
 * finds the coupon it issued on the advocate's contact.
 */
registry.category("web_tour.tours").add("social_crm_advocacy_redemption_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the CRM app",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        {
            content: "Open the Advocacy menu of the CRM app",
            trigger: ".o_menu_sections button[data-menu-xmlid='social_crm_advocacy.social_crm_advocacy_menu_root']",
            run: "click",
        },
        {
            content: "Go to the redemptions",
            trigger: ".dropdown-item[data-menu-xmlid='social_crm_advocacy.social_advocacy_redemption_menu']",
            run: "click",
        },
        {
            content: "Open the redemption the advocate requested",
            trigger: ".o_list_view .o_data_row td:contains('Tour Advocate')",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view .o_form_statusbar button[name='action_approve']",
            run: "click",
        },
        {
            content: "It is approved",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
        {
            content: "A coupon was issued",
            trigger: ".o_form_view .o_field_widget[name='coupon_id']:contains('Tour advocate coupons')",
        },
        {
            content: "Hand the reward over",
            trigger: ".o_form_view .o_form_statusbar button[name='action_deliver']",
            run: "click",
        },
        {
            content: "It is delivered",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Delivered')",
        },
        {
            content: "By whom",
            trigger: ".o_form_view .o_field_widget[name='delivered_by_id']:contains('Tour Advocacy Manager')",
        },
        {
            content: "Open the advocate",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] a.o_form_uri",
            run: "click",
        },
        {
            content: "Open the Advocacy tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Advocacy')",
            run: "click",
        },
        {
            content: "The coupon is on the advocate's contact",
            trigger:
                ".o_form_view .o_field_widget[name='advocacy_coupon_redemption_ids'] .o_data_row td:contains('Tour advocate coupons')",
        },
    ],
});
