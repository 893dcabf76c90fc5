import { registry } from "@web/core/registry";

const ANSWER = "Switch the battery saver off, then pair again: it works great now.";

/** A customer answers another customer's question on the website forum. */
registry.category("web_tour.tours").add("social_crm_forum_answer_tour", {
    steps: () => [
        {
            content: "Reply to the question",
            trigger: "a:contains('Reply').collapsed",
            run: "click",
            timeout: 60000,
        },
        {
            content: "Write the answer",
            trigger: ".note-editable p",
            run: `editor ${ANSWER}`,
            timeout: 60000,
        },
        {
            trigger: ".note-editable:not(:has(br))",
            timeout: 30000,
        },
        {
            content: "Post it",
            trigger: "button:contains('Post Answer')",
            run: "click",
        },
        {
            content: "The answer is on the forum",
            trigger: `.o_wforum_post_content:contains('${ANSWER}')`,
            timeout: 30000,
        },
    ],
});

/** In the backend, the answer is a mention of the customer who wrote it, on their contact. */
registry.category("web_tour.tours").add("social_crm_forum_contact_tour", {
    steps: () => [
        {
            content: "Open the Social tab of the contact",
            trigger: ".o_form_view .o_notebook a.nav-link:contains('Social')",
            run: "click",
            timeout: 60000,
        },
        {
            content: "The forum answer is among the latest mentions",
            trigger: `.o_field_widget[name='social_latest_mention_ids'] .o_data_row:contains('${ANSWER}')`,
            timeout: 30000,
        },
    ],
});
