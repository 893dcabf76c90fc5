import { registry } from "@web/core/registry";

/**
 * A salesperson works a mention from the inbox: opens it, takes it, answers it with the reply
 * composer (the next mention waiting opens), goes back to it and turns its buying signal into a lead.
 */
registry.category("web_tour.tours").add("social_crm_inbox_tour", {
    url: "/odoo/action-social_crm.social_mention_action",
    steps: () => [
        {
            content: "Open the mention comparing two products",
            trigger: ".o_list_view .o_data_row td:contains('Globex X2000')",
            run: "click",
        },
        {
            content: "Take it",
            trigger: ".o_form_view .o_form_statusbar button[name='action_assign_to_me']",
            run: "click",
        },
        {
            content: "It is mine now",
            trigger: ".o_form_view .o_field_widget[name='user_id'] input:value('Tour Salesman')",
        },
        {
            content: "Answer it",
            trigger: ".o_form_view .o_form_statusbar button[name='action_reply']",
            run: "click",
        },
        {
            content: "Write the reply",
            trigger: ".modal .o_field_widget[name='body'] textarea",
            run: "edit Both are good; the Acme Pro has the longer warranty. Shall we send you a quote?",
        },
        {
            content: "The composer links to the post, to answer it on the network",
            trigger: ".modal .o_field_widget[name='mention_url'] a[target='_blank'][href='https://x.com/tour_customer/status/1']",
        },
        {
            content: "Record the reply given there",
            trigger: ".modal button[name='action_record']:contains('Record reply')",
            run: "click",
        },
        {
            content: "The next mention waiting for an answer opens",
            trigger: ".o_form_view .o_field_widget[name='body']:contains('Still waiting for my parcel')",
        },
        {
            content: "Back to the mention just answered",
            trigger: ".o_breadcrumb .breadcrumb-item.o_back_button",
            run: "click",
        },
        {
            content: "The mention is answered",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Answered')",
        },
        {
            content: "Turn the buying signal into a lead",
            trigger: ".o_form_view button[name='action_create_lead']",
            run: "click",
        },
        {
            content: "The lead is open, linked to the customer",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value('Tour Customer')",
        },
    ],
});
