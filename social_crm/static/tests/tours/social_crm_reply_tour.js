import { registry } from "@web/core/registry";

/**
 * An agent answers a Bluesky mention from Odoo: the composer answers from the company's account,
 * counts the graphemes left and previews the text; "Send" queues the reply and opens the next mention.
 */
registry.category("web_tour.tours").add("social_crm_reply_send_tour", {
    steps: () => [
        {
            content: "Answer the mention",
            trigger: ".o_form_view .o_form_statusbar button[name='action_reply']",
            run: "click",
        },
        {
            content: "The reply goes out from the company's Bluesky account",
            trigger: ".modal .o_field_widget[name='account_id'] input:value('Acme on Bluesky')",
        },
        {
            content: "Write the reply",
            trigger: ".modal .o_field_widget[name='body'] textarea",
            run: "edit Thanks Ann, the X2 ships tomorrow!",
        },
        {
            content: "The counter shows what is left of Bluesky's 300 graphemes",
            trigger: ".modal .o_social_reply_remaining:contains('266')",
        },
        {
            content: "Send it",
            trigger: ".modal button[name='action_send']:contains('Send')",
            run: "click",
        },
        {
            content: "The next mention waiting for an answer opens",
            trigger: ".o_form_view .o_field_widget[name='body']:contains('Where is my order')",
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
    ],
});

/** Once the job delivered it, the conversation shows the mention and the reply, in order. */
registry.category("web_tour.tours").add("social_crm_reply_conversation_tour", {
    steps: () => [
        {
            content: "Open the conversation",
            trigger: ".o_form_view button[name='action_view_conversation']",
            run: "click",
        },
        {
            content: "The customer's post comes first",
            trigger: ".o_list_view .o_data_row:first-child td:contains('Is the X2 in stock')",
        },
        {
            content: "Our reply follows, sent",
            trigger: ".o_list_view .o_data_row:nth-child(2):contains('ships tomorrow'):contains('Sent')",
        },
    ],
});

/** With reply approval on, a manager finds an agent's reply waiting and posts it. */
registry.category("web_tour.tours").add("social_crm_reply_approval_tour", {
    steps: () => [
        {
            content: "The agent's reply waits in Replies to Approve",
            trigger: ".o_list_view .o_data_row td:contains('we can hold one for you')",
            run: "click",
        },
        {
            content: "The reply says it waits for approval",
            trigger: ".o_form_view .alert-info:contains('waits for the approval')",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view .o_form_statusbar button[name='action_approve_reply']",
            run: "click",
        },
        {
            content: "It no longer waits",
            trigger: ".o_form_view:not(:has(.alert-info:contains('waits for the approval')))",
        },
        {
            content: "Open its delivery",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Delivery')",
            run: "click",
        },
        {
            content: "It is queued for delivery",
            trigger: ".o_form_view .o_field_widget[name='delivery_state']:contains('Queued')",
        },
    ],
});
