import { reactive } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

const PRESENCE_SECONDS = 20; // social.mention's PRESENCE_SECONDS: each open form announces itself
const PRESENCE_TIMEOUT = 50; // an announcement older than this is of someone gone

/**
 * Who else views or answers the mentions open in this tab, live.
 *
 * Components (the mention form's widget, the reply composer's) ``join`` a mention with their status,
 * ``viewing`` or ``replying``, and ``leave`` it; the tab announces its strongest status on the
 * mention (``social.mention.notify_presence``, a notification on the mention's bus channel) when it
 * changes and every 20 seconds, and "left" once nothing holds the mention any more. ``state`` is
 * reactive: the latest status of each other user, from the bus as it comes and from the answer of
 * each announcement (so that it holds without a live connection too).
 */
export const mentionPresenceService = {
    dependencies: ["bus_service", "orm"],

    start(env, { bus_service, orm }) {
        const state = reactive({ byMention: {} }); // mention id: {user id: {user_id, name, partner_id, status, seen}}
        const holders = new Map(); // mention id: Map(token: status)
        const announced = new Map(); // mention id: last status announced
        let lastToken = 0;
        let timer = null;

        const statusOf = (mentionId) =>
            [...holders.get(mentionId).values()].includes("replying") ? "replying" : "viewing";

        function setOthers(mentionId, others) {
            const now = Date.now();
            state.byMention[mentionId] = Object.fromEntries(
                others.map((other) => [other.user_id, { ...other, seen: now }])
            );
        }

        async function announce(mentionId, status) {
            announced.set(mentionId, status);
            try {
                const others = await orm.silent.call("social.mention", "notify_presence", [[mentionId], status]);
                if (holders.has(mentionId)) {
                    setOthers(mentionId, others);
                }
            } catch (error) {
                // the mention was deleted, or is no more readable: stop announcing it
                holders.delete(mentionId);
                announced.delete(mentionId);
                delete state.byMention[mentionId];
                console.warn("Presence on mention", mentionId, "stopped:", error);
            }
        }

        function tick() {
            const oldest = Date.now() - PRESENCE_TIMEOUT * 1000;
            for (const [mentionId, others] of Object.entries(state.byMention)) {
                for (const [userId, other] of Object.entries(others)) {
                    if (other.seen < oldest) {
                        delete state.byMention[mentionId][userId];
                    }
                }
            }
            for (const mentionId of holders.keys()) {
                announce(mentionId, statusOf(mentionId));
            }
            if (!holders.size) {
                browser.clearInterval(timer);
                timer = null;
            }
        }

        bus_service.subscribe("social.mention/presence", (payload) => {
            const { mention_id: mentionId, user_id: userId, status } = payload;
            if (userId === user.userId || !holders.has(mentionId)) {
                return;
            }
            const others = (state.byMention[mentionId] ||= {});
            if (status === "left") {
                delete others[userId];
            } else {
                others[userId] = { ...payload, seen: Date.now() };
            }
        });

        return {
            /** Hold ``mentionId`` open with ``status``; answer the token to give back to ``leave``. */
            join(mentionId, status = "viewing") {
                const token = ++lastToken;
                if (!holders.has(mentionId)) {
                    holders.set(mentionId, new Map());
                    bus_service.addChannel(`social.mention_${mentionId}`);
                }
                holders.get(mentionId).set(token, status);
                if (announced.get(mentionId) !== statusOf(mentionId)) {
                    announce(mentionId, statusOf(mentionId));
                }
                timer ||= browser.setInterval(tick, PRESENCE_SECONDS * 1000);
                return { mentionId, token };
            },

            leave({ mentionId, token }) {
                const tokens = holders.get(mentionId);
                if (!tokens?.delete(token)) {
                    return;
                }
                if (tokens.size) {
                    if (announced.get(mentionId) !== statusOf(mentionId)) {
                        announce(mentionId, statusOf(mentionId));
                    }
                    return;
                }
                holders.delete(mentionId);
                announced.delete(mentionId);
                delete state.byMention[mentionId];
                bus_service.deleteChannel(`social.mention_${mentionId}`);
                announce(mentionId, "left");
            },

            /** Reactive: ``byMention[id]`` = ``{user id: {user_id, name, partner_id, status}}``, the others. */
            state,
        };
    },
};

registry.category("services").add("social_mention_presence", mentionPresenceService);
