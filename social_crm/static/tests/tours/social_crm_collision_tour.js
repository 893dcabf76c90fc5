import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { session } from "@web/session";

/** Do ``work`` as a colleague, in the same browser: sign in as them, then back as the tour's user. */
async function asColleague(login, work) {
    await rpc("/web/session/authenticate", { db: session.db, login, password: login });
    try {
        await work();
    } finally {
        await rpc("/web/session/authenticate", { db: session.db, login: "collision_ann", password: "collision_ann" });
    }
}

function call(model, method, args) {
    return rpc(`/web/dataset/call_kw/${model}/${method}`, { model, method, args, kwargs: {} });
}

const mentionId = () => Number(window.location.pathname.split("/").at(-1));

/**
 * Two agents on one mention: Ann sees Bob viewing it, then replying to it; Bob answers first, and
 * Ann's answer is refused with his name.
 */
registry.category("web_tour.tours").add("social_crm_collision_tour", {
    steps: () => [
        {
            content: "Ann has the mention open",
            trigger: ".o_form_view .o_field_widget[name='author_handle']:contains('tour_collision')",
            timeout: 60000, // the first page of a loaded server builds its assets
        },
        {
            content: "Bob opens it too",
            trigger: ".o_form_view",
            run: () => asColleague("collision_bob", () => call("social.mention", "notify_presence", [[mentionId()], "viewing"])),
        },
        {
            content: "Ann starts her answer",
            trigger: ".o_form_view .o_form_statusbar button[name='action_reply']",
            run: "click",
        },
        {
            content: "The composer says Bob views the mention",
            trigger: ".modal .o_social_mention_presence_user:contains('Agent Bob is viewing')",
        },
        {
            content: "Bob starts his answer, and records it first",
            trigger: ".modal .o_field_widget[name='body'] textarea",
            run: () =>
                asColleague("collision_bob", async () => {
                    await call("social.mention", "notify_presence", [[mentionId()], "replying"]);
                    const [composer] = await call("social.mention.reply", "create", [
                        [{ mention_id: mentionId(), body: "Please send us a photo of it." }],
                    ]);
                    await call("social.mention.reply", "action_record", [[composer]]);
                }),
        },
        {
            content: "Within seconds, Ann sees Bob replying, and the warning",
            trigger: ".modal .o_social_mention_presence_user:contains('Agent Bob is replying')",
            timeout: 30000, // the composer asks again every 20 seconds
        },
        { content: "The warning", trigger: ".modal .o_social_mention_presence_warning" },
        {
            content: "Ann writes hers anyway",
            trigger: ".modal .o_field_widget[name='body'] textarea",
            run: "edit Sorry! We send a new one today.",
        },
        { content: "and records it", trigger: ".modal button[name='action_record']", run: "click" },
        {
            content: "Refused: Bob answered meanwhile",
            trigger: ".modal-body:contains('Agent Bob answered this mention'):contains('Please send us a photo of it.')",
        },
    ],
});
