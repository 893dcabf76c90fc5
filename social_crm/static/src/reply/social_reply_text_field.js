import { useEffect, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { TextField, textField } from "@web/views/fields/text/text_field";

// The networks' own counting, as social_crm/connectors/publish.py does it on the server (which
// has the last word when the reply is sent): every URL counts 23; X weighs most characters 2.
const URL_RE = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gu;
const X_NARROW = [[0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]];

function weighted(text, narrow) {
    let total = 0;
    for (const char of text) {
        const code = char.codePointAt(0);
        total += !narrow || narrow.some(([low, high]) => low <= code && code <= high) ? 1 : 2;
    }
    return total;
}

function withUrls(text, narrow) {
    let total = 0;
    let position = 0;
    for (const match of text.matchAll(URL_RE)) {
        total += weighted(text.slice(position, match.index), narrow) + 23;
        position = match.index + match[0].length;
    }
    return total + weighted(text.slice(position), narrow);
}

/** The length of ``text`` posted in answer to ``author`` on ``network``, as the network counts it. */
export function replyLength(network, text, author) {
    text = (text || "").trim().normalize("NFC");
    if (network === "mastodon") {
        const acct = (author || "").replace(/^@/, "");
        if (acct && !text.toLowerCase().startsWith(`@${acct.toLowerCase()}`)) {
            text = `@${acct} ${text}`;
        }
        return withUrls(text.replace(/@([\w.-]+)@[\w.-]+\w/gu, "@$1"));
    }
    if (network === "bluesky") {
        return [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].length;
    }
    return withUrls(text, network === "x" ? X_NARROW : null);
}

/**
 * The text of a reply, with the characters left under it, counted as the network counts them
 * while the agent types (the record only learns the text when the field is left).
 */
export class SocialReplyTextField extends TextField {
    static template = "social_crm.SocialReplyTextField";

    setup() {
        super.setup();
        this.counter = useState({ typed: null });
        // the record's text changed (a template was chosen, the field was left): count it
        useEffect(
            () => {
                this.counter.typed = null;
            },
            () => [this.props.record.data[this.props.name]]
        );
    }

    onCounterInput(ev) {
        this.counter.typed = ev.target.value;
    }

    get maxLength() {
        return this.props.record.data.max_length;
    }

    get remaining() {
        const data = this.props.record.data;
        const text = this.counter.typed ?? data[this.props.name] ?? "";
        return this.maxLength - replyLength(data.network, text, data.mention_author);
    }
}

registry.category("fields").add("social_reply_text", { ...textField, component: SocialReplyTextField });
