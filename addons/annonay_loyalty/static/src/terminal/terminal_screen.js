import { Component, onWillStart, useRef, useState } from "@odoo/owl";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useAutofocus, useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/core/utils/numbers";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const RECAP_REPORT = "annonay_loyalty.report_loyalty_network_entry_recap";

function newOperationRef() {
    if (window.crypto?.randomUUID) {
        return window.crypto.randomUUID();
    }
    // Browsers without randomUUID (plain http on old tablets): same shape, random bytes.
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function emptyEnrolment(cardNumber = "") {
    return {
        card_number: cardNumber,
        name: "",
        birth_date: "",
        phone: "",
        email: "",
        email_consent: false,
        sms_consent: false,
    };
}

/**
 * The counter terminal: find the holder (USB scanner, camera, number, name or
 * phone), see the profile, preview then record a purchase, a wallet payment
 * or a refund, print or send the recap, enrol a new holder on a blank card.
 * Everything goes through the /loyalty/terminal/* routes; a card is reached
 * only through the signed token the find route answers.
 */
export class LoyaltyTerminalScreen extends Component {
    static template = "annonay_loyalty.TerminalScreen";
    static props = { ...standardActionServiceProps };

    setup() {
        this.notification = useService("notification");
        this.canUseCamera = isBarcodeScannerSupported();
        this.amountRef = useRef("amount");
        this.queryRef = useAutofocus({ refName: "query" });
        this.state = useState({
            isStaff: false,
            merchants: [],
            merchant: null,
            busy: false,
            ...this.blankCustomer(),
        });
        onWillStart(() => this.loadShop());
    }

    blankCustomer() {
        return {
            query: "",
            choices: [],
            card: null,
            profile: null,
            amount: "",
            planId: this.state?.merchant?.default_plan_id || false,
            mode: null, // credit | spend | refund
            preview: null,
            operationRef: null,
            refundChoices: null,
            refundPick: null,
            result: null,
            enrolOpen: false,
            showDetails: false, // phones: the holder's details fold under the balance
            enrolment: emptyEnrolment(),
        };
    }

    // ------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------

    get merchantParam() {
        return this.state.isStaff && this.state.merchant ? { merchant_id: this.state.merchant.id } : {};
    }

    async call(route, params = {}) {
        if (this.state.busy) {
            return null;
        }
        this.state.busy = true;
        try {
            return await rpc(`/loyalty/terminal/${route}`, { ...this.merchantParam, ...params }, {
                silent: true,
            });
        } catch (error) {
            this.showError(error);
            return null;
        } finally {
            this.state.busy = false;
        }
    }

    showError(error) {
        const message = error?.data?.message || error?.message;
        this.notification.add(message || _t("Something went wrong: try again."), {
            type: "danger",
            sticky: false,
        });
    }

    formatMoney(value) {
        const currency = this.state.merchant?.currency || { symbol: "", position: "after", digits: 2 };
        const amount = formatFloat(value || 0, { digits: [69, currency.digits] });
        return currency.position === "before"
            ? `${currency.symbol}\u00a0${amount}`
            : `${amount}\u00a0${currency.symbol}`;
    }

    formatSigned(value) {
        return (value > 0 ? "+" : value < 0 ? "\u2212" : "") + this.formatMoney(Math.abs(value));
    }

    // ------------------------------------------------------------------
    // Shop
    // ------------------------------------------------------------------

    async loadShop(merchantId) {
        const params = merchantId ? { merchant_id: merchantId } : {};
        let values;
        try {
            values = await rpc("/loyalty/terminal/init", params, { silent: true });
        } catch (error) {
            this.showError(error);
            return;
        }
        Object.assign(this.state, {
            isStaff: values.is_staff,
            merchants: values.merchants,
            merchant: values.merchant || null,
        });
        this.nextCustomer();
    }

    onShopChange(ev) {
        const merchantId = parseInt(ev.target.value);
        if (merchantId) {
            this.loadShop(merchantId);
        } else {
            this.state.merchant = null;
            this.nextCustomer();
        }
    }

    // ------------------------------------------------------------------
    // Find
    // ------------------------------------------------------------------

    async onFindSubmit(ev) {
        ev.preventDefault();
        await this.find(this.state.query);
    }

    async onCameraScan() {
        let barcode;
        try {
            barcode = await scanBarcode(this.env);
        } catch (error) {
            this.notification.add(error?.message || _t("The camera could not read the card."), {
                type: "warning",
            });
            return;
        }
        if (barcode) {
            this.state.query = barcode;
            await this.find(barcode);
        }
    }

    async find(query) {
        if (!(query || "").trim()) {
            this.notification.add(_t("Scan the card or type a card number, a name or a phone."), {
                type: "warning",
            });
            return;
        }
        const found = await this.call("find", { query });
        if (!found) {
            return;
        }
        Object.assign(this.state, { ...this.blankCustomer(), query: "" });
        if (found.blank_card) {
            this.state.enrolOpen = true;
            this.state.enrolment = emptyEnrolment(found.blank_card);
            this.notification.add(_t("This card is blank: enrol its new holder."), { type: "info" });
        } else if (found.choices) {
            this.state.choices = found.choices;
        } else {
            await this.openCard(found.card);
        }
    }

    async openCard(card) {
        this.state.choices = [];
        this.state.card = card;
        await this.loadProfile();
        this.focusAmount();
    }

    async loadProfile() {
        const profile = await this.call("profile", { card_token: this.state.card.token });
        if (profile) {
            this.state.profile = profile;
        }
    }

    focusAmount() {
        // After the profile renders, the amount field takes the scanner/keyboard.
        setTimeout(() => this.amountRef.el?.focus());
    }

    // ------------------------------------------------------------------
    // Operations
    // ------------------------------------------------------------------

    async onAddPurchase() {
        const preview = await this.call("preview", {
            card_token: this.state.card.token,
            amount: this.state.amount,
            plan_id: this.state.planId,
        });
        this.showPreview("credit", preview);
    }

    async onSpend() {
        const preview = await this.call("preview", {
            card_token: this.state.card.token,
            spend_amount: this.state.amount,
        });
        this.showPreview("spend", preview);
    }

    showPreview(mode, preview) {
        if (!preview) {
            return;
        }
        Object.assign(this.state, {
            mode,
            preview,
            result: null,
            refundChoices: null,
            operationRef: newOperationRef(),
        });
    }

    async onRefund() {
        const choices = await this.call("refund_choices", { card_token: this.state.card.token });
        if (!choices) {
            return;
        }
        Object.assign(this.state, {
            mode: "refund",
            preview: null,
            result: null,
            refundChoices: choices,
            refundPick: null,
        });
    }

    async onPickRefund(choice) {
        this.state.refundPick = choice;
        this.state.amount = formatFloat(choice.refundable, {
            digits: [69, this.state.merchant.currency.digits],
            thousandsSep: "",
        });
        await this.onRefundPreview();
    }

    async onRefundPreview() {
        const preview = await this.call("refund_preview", {
            card_token: this.state.card.token,
            entry_id: this.state.refundPick.id,
            amount: this.state.amount,
        });
        if (preview) {
            this.state.preview = preview;
            this.state.operationRef = newOperationRef();
        }
    }

    async onConfirm() {
        const { mode, card, operationRef } = this.state;
        let result;
        if (mode === "credit") {
            result = await this.call("credit", {
                card_token: card.token,
                amount: this.state.amount,
                plan_id: this.state.planId,
                operation_ref: operationRef,
            });
        } else if (mode === "spend") {
            result = await this.call("spend", {
                card_token: card.token,
                amount: this.state.amount,
                operation_ref: operationRef,
            });
        } else if (mode === "refund") {
            result = await this.call("refund", {
                card_token: card.token,
                entry_id: this.state.refundPick.id,
                amount: this.state.amount,
                operation_ref: operationRef,
            });
        }
        if (!result) {
            return;
        }
        Object.assign(this.state, {
            result,
            mode: null,
            preview: null,
            refundChoices: null,
            refundPick: null,
            amount: "",
            operationRef: null,
        });
        await this.loadProfile();
    }

    onAmountInput() {
        if (this.state.mode === "refund") {
            // The refund preview was for the former amount.
            this.state.preview = null;
        }
    }

    onAmountKeydown(ev) {
        if (ev.key === "Enter" && !this.state.mode) {
            this.onAddPurchase();
        } else if (ev.key === "Enter" && this.state.mode === "refund" && this.state.refundPick) {
            this.onRefundPreview();
        }
    }

    onCancelOperation() {
        Object.assign(this.state, {
            mode: null,
            preview: null,
            refundChoices: null,
            refundPick: null,
            operationRef: null,
        });
        this.focusAmount();
    }

    // ------------------------------------------------------------------
    // Recap
    // ------------------------------------------------------------------

    onPrintRecap() {
        // The HTML recap, sized for 80 mm receipt printers, printed by the browser.
        const frame = document.createElement("iframe");
        frame.className = "d-none";
        frame.src = `/report/html/${RECAP_REPORT}/${this.state.result.recap_id}`;
        frame.onload = () => {
            frame.contentWindow.focus();
            frame.contentWindow.print();
            setTimeout(() => frame.remove(), 60000);
        };
        document.body.appendChild(frame);
    }

    async onSendRecap(channel) {
        const sent = await this.call("send_recap", {
            card_token: this.state.card.token,
            recap_id: this.state.result.recap_id,
            channel,
        });
        if (sent) {
            this.notification.add(_t("Recap sent to %s.", sent.sent_to), { type: "success" });
        }
    }

    // ------------------------------------------------------------------
    // Enrolment and next customer
    // ------------------------------------------------------------------

    toggleDetails() {
        this.state.showDetails = !this.state.showDetails;
    }

    toggleEnrol() {
        this.state.enrolOpen = !this.state.enrolOpen;
    }

    async onEnrolSubmit(ev) {
        ev.preventDefault();
        const { card_number, ...holder } = this.state.enrolment;
        const found = await this.call("enrol", { card_number, holder });
        if (found) {
            this.notification.add(_t("Welcome %s: the card is ready.", found.card.name), {
                type: "success",
            });
            Object.assign(this.state, this.blankCustomer());
            await this.openCard(found.card);
        }
    }

    nextCustomer() {
        Object.assign(this.state, this.blankCustomer());
        setTimeout(() => this.queryRef.el?.focus());
    }
}

registry.category("actions").add("annonay_loyalty.terminal", LoyaltyTerminalScreen);
